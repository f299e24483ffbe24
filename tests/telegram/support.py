"""Helpers of the Telegram tests: the bot's application answering in-process through a
:class:`BotApiState` (``Application.process_update`` with a recording request)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.channels.telegram.app import build_application
from bot.runtime import Runtime
from tests.support.botapi import BotApiState, Call, RecordingRequest


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


def sent_texts(calls: list[Call]) -> list[str]:
    """The plain texts of the messages sent in ``calls``."""
    return [c.result["text"] for c in calls if c.method == "sendMessage" and c.ok]


def failed(calls: list[Call]) -> list[Call]:
    return [c for c in calls if not c.ok]
