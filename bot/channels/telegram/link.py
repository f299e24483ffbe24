"""Runs the Telegram application inside the web server (webhook mode, no updater).

Mirrors what PTB's ``run_webhook`` does around its own server: initialize, post_init,
start, set the webhook when ``WEBHOOK_URL`` is set; on exit stop, post_stop, shutdown,
post_shutdown. A Bot API that is unreachable at start does not stop the web server:
starting is retried in the background, and updates wait in the queue meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application

from bot.config import Settings

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
FIRST_START_WAIT = 15.0
MAX_RETRY_DELAY = 60.0


def webhook_target(url: str) -> str:
    """WEBHOOK_URL as given, or with /telegram/webhook added when it names only the host."""
    if urlsplit(url).path in ("", "/"):
        return url.rstrip("/") + WEBHOOK_PATH
    return url


class TelegramLink:
    """Owns the start and stop of one PTB :class:`Application` built with ``updater=False``."""

    def __init__(self, application: Application, settings: Settings):
        self.application = application
        self.settings = settings
        self.initialized = False
        self.running = False
        self.webhook_registered = False
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start in the background; wait a little so that a healthy start is complete."""
        self._task = asyncio.create_task(self._start_with_retries(), name="telegram-start")
        await asyncio.wait({self._task}, timeout=FIRST_START_WAIT)
        if not self.running:
            log.warning("Telegram is not reachable yet; still trying in the background")

    async def _start_with_retries(self) -> None:
        delay = 1.0
        while True:
            try:
                await self._start_once()
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                # Network or Bot API error; the message may hold the URL.
                log.warning("Telegram start failed (%s); retrying in %.0f s", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_DELAY)

    async def _start_once(self) -> None:
        app = self.application
        if not self.initialized:
            await app.initialize()
            self.initialized = True
            if app.post_init:
                await app.post_init(app)
        if not self.running:
            await app.start()
            self.running = True
        if self.settings.webhook_url and not self.webhook_registered:
            await app.bot.set_webhook(url=webhook_target(self.settings.webhook_url),
                                      secret_token=self.settings.telegram_webhook_secret,
                                      allowed_updates=Update.ALL_TYPES)
            self.webhook_registered = True
            log.info("Telegram webhook registered")

    async def stop(self) -> None:
        """Finish the queued updates, then shut the application down."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        app = self.application
        if self.running:
            await app.stop()
            self.running = False
            if app.post_stop:
                await app.post_stop(app)
        if self.initialized:
            await app.shutdown()
            self.initialized = False
            if app.post_shutdown:
                await app.post_shutdown(app)

    def status(self) -> dict[str, Any]:
        return {"enabled": True, "running": self.running,
                "webhook_registered": self.webhook_registered,
                "queued_updates": self.application.update_queue.qsize()}
