"""Fixtures of the Telegram tests: a runtime over the bundled catalogue, and the bot's
application on an in-process recording request (``Application.process_update``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.channels.telegram.app import build_application
from bot.config import load_settings, sqlite_url
from bot.runtime import Runtime
from bot.storage import Database
from tests.support.botapi import TOKEN, BotApiState, Call, RecordingRequest


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


class BotHarness:
    """The bot's application answering through a :class:`BotApiState`, one update at a time."""

    def __init__(self, app: Application, api: BotApiState):  # type: ignore[type-arg]
        self.app = app
        self.api = api
        self.errors: list[BaseException] = []

    async def send(self, update: dict[str, Any]) -> list[Call]:
        """Process ``update`` and return the calls the bot made (failing on any handler error)."""
        start = self.api.mark()
        await self.app.process_update(Update.de_json(update, self.app.bot))
        assert not self.errors, f"a handler failed: {self.errors!r}"
        return self.api.calls[start:]

    async def text(self, text: str, **kw: Any) -> list[Call]:
        return await self.send(self.api.message_update(text, **kw))

    async def press(self, message: dict[str, Any], data: str, **kw: Any) -> list[Call]:
        return await self.send(self.api.callback_update(message, data, **kw))


async def start_harness(runtime: Runtime, api: BotApiState | None = None) -> BotHarness:
    api = api or BotApiState()
    app = build_application(runtime, runtime.settings, updater=False, request=RecordingRequest(api))
    harness = BotHarness(app, api)

    async def record(update: object, context: Any) -> None:
        harness.errors.append(context.error)

    app.add_error_handler(record)
    await app.initialize()
    return harness


@pytest.fixture
async def bot(runtime: Runtime) -> AsyncIterator[BotHarness]:
    harness = await start_harness(runtime)
    yield harness
    await harness.app.shutdown()


def sent_texts(calls: list[Call]) -> list[str]:
    """The plain texts of the messages sent in ``calls``."""
    return [c.result["text"] for c in calls if c.method == "sendMessage" and c.ok]


def failed(calls: list[Call]) -> list[Call]:
    return [c for c in calls if not c.ok]
