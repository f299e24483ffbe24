"""Fixtures of the Telegram tests: a runtime over the bundled catalogue, and the bot's
application on an in-process recording request (see tests/telegram/support.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import load_settings, sqlite_url
from bot.runtime import Runtime
from bot.storage import Database
from tests.support.botapi import TOKEN
from tests.telegram.support import BotHarness, start_harness


@pytest.fixture
def runtime(tmp_path: Path, bundled_kb: Any) -> Iterator[Runtime]:
    """A runtime with a fresh SQLite database, sharing the session's bundled catalogue."""
    settings = load_settings({"HYTEOPAS_DATA_DIR": str(tmp_path / "data"),
                              "DATABASE_URL": sqlite_url(tmp_path / "tg.sqlite3"),
                              "TELEGRAM_BOT_TOKEN": TOKEN})
    db = Database(settings.database_url)
    db.migrate()
    rt = Runtime(settings, db, bundled_kb)
    yield rt
    rt.close()


@pytest.fixture
async def bot(runtime: Runtime) -> AsyncIterator[BotHarness]:
    harness = await start_harness(runtime)
    yield harness
    await harness.app.shutdown()


