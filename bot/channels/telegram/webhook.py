"""POST /telegram/webhook: check the secret, answer the update, then acknowledge it.

The 200 goes out only after the update has been handled (its reply sent), well within
Telegram's webhook timeout. A process that dies before that has acknowledged nothing, so
Telegram delivers the update again, to this replica or another: none is lost. Which
updates are being answered or were answered is kept in the database (ids only, never the
content), so that exactly one replica answers each, whichever one a redelivery reaches.
When the database is away, updates are answered all the same (the replica's memory then
tells redeliveries apart): people keep getting answers through an outage.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.channels.pools import storing
from bot.channels.telegram.link import TelegramLink
from bot.channels.web.httputil import json_error, json_response, parse_json, read_body, same_secret
from bot.channels.web.limits import WebLimits
from bot.config import Settings
from bot.runtime import Runtime

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CLAIM_TIMEOUT = 2.0
"""Seconds the claim of an update may take before it is answered without one."""


class RecentIds:
    """The last ``size`` update ids this replica saw: tells a redelivery from a new update
    while the database cannot (it is away or locked)."""

    def __init__(self, size: int = 100_000):
        self.size = size
        self._ids: OrderedDict[int, None] = OrderedDict()

    def __contains__(self, update_id: int) -> bool:
        return update_id in self._ids

    def add(self, update_id: int) -> None:
        self._ids[update_id] = None
        self._ids.move_to_end(update_id)
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)


class Webhook:
    """The webhook route over a PTB application started by :class:`TelegramLink`."""

    def __init__(self, runtime: Runtime, settings: Settings, link: TelegramLink | None,
                 limits: WebLimits):
        self.runtime = runtime
        self.secret = settings.telegram_webhook_secret
        self.lease = settings.telegram_update_lease
        self.link = link
        self.limits = limits
        self._chats: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self.seen = RecentIds()
        if link is not None and not self.secret:
            log.warning("TELEGRAM_WEBHOOK_SECRET is not set: the webhook refuses every update")

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not self.secret or not same_secret(given, self.secret):
            return json_error(403, "forbidden", "missing or wrong secret token")
        if self.link is None:
            return json_error(404, "telegram_disabled", "Telegram is not enabled on this server")
        data = parse_json(await read_body(request, self.limits.webhook_body))
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return json_error(400, "bad_update", "an update needs an integer update_id")
        application = self.link.application
        if not self.link.running:  # Telegram delivers it again later
            return json_error(503, "unavailable", "Telegram processing is not running")
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # noqa: BLE001
            # A malformed update; its content is not logged.
            log.warning("unreadable update (%s)", type(exc).__name__)
            return json_error(400, "bad_update", "the update could not be read")
        update_id = data["update_id"]
        try:
            state = await asyncio.wait_for(
                storing(self.runtime, self.runtime.updates.claim, update_id, self.lease),
                CLAIM_TIMEOUT)
        except (SQLAlchemyError, TimeoutError) as exc:
            # The database is away or locked: answer all the same (only this replica's
            # memory then tells a redelivery from a new update).
            log.warning("cannot record the update (%s); answering it all the same",
                        type(exc).__name__)
            state = "done" if update_id in self.seen else "unrecorded"
        self.seen.add(update_id)
        if state == "done":
            return json_response({"ok": True, "duplicate": True})
        if state == "busy":  # another replica is answering it; if it dies, a redelivery will
            return json_error(503, "in_progress", "this update is being answered")
        try:
            async with self._in_order(update):
                await application.process_update(update)
        except BaseException:
            if state == "claimed":
                await self._release(update_id)
            raise
        if state == "unrecorded":
            return json_response({"ok": True})
        try:
            await storing(self.runtime, self.runtime.updates.done, update_id)
        except SQLAlchemyError as exc:  # answered, and Telegram gets its 200: no redelivery
            log.warning("cannot mark an update answered (%s)", type(exc).__name__)
        return json_response({"ok": True})

    @asynccontextmanager
    async def _in_order(self, update: Update) -> AsyncIterator[None]:
        """One update of a chat at a time, in the order they arrived, as the user wrote them.
        A chat's lock lives as long as an update of that chat holds or waits for it."""
        who = update.effective_chat or update.effective_user
        if who is None:
            yield
            return
        lock = self._chats.get(who.id)
        if lock is None:
            lock = self._chats[who.id] = asyncio.Lock()
        async with lock:
            yield

    async def _release(self, update_id: int) -> None:
        try:
            await storing(self.runtime, self.runtime.updates.release, update_id)
        except SQLAlchemyError:
            pass  # the claim runs out by itself
