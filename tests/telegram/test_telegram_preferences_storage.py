"""Preferences through the bot on both storage back-ends: SQLite and a real PostgreSQL."""

from __future__ import annotations

from typing import Any

from bot.channels.telegram.users import CHANNEL
from bot.config import Settings
from bot.runtime import Runtime
from bot.storage import Database
from bot.storage.repositories import UserPrefs
from tests.support.botapi import TOKEN
from tests.telegram.support import start_harness


async def test_preferences_are_stored_and_forgotten(database_url: str, settings_for: Any,
                                                    bundled_kb: Any) -> None:
    settings: Settings = settings_for(database_url)
    settings = Settings(**{**settings.__dict__, "telegram_token": TOKEN})
    db = Database(settings.database_url)
    db.migrate()
    runtime = Runtime(settings, db, bundled_kb)
    bot = await start_harness(runtime)
    key = runtime.users.key(CHANNEL, bot.api.default_user["id"])
    try:
        await bot.text("/kunta Kokkola")
        await bot.text("/ammattilainen")
        await bot.text("/kieli sv")
        assert runtime.users.get(key) == UserPrefs("sv", "272", True)
        await bot.text("/unohda")
        assert runtime.users.get(key) is None
    finally:
        await bot.app.shutdown()
        runtime.close()
