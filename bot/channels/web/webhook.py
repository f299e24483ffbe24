"""POST /telegram/webhook: check the secret, answer 200 at once, queue the update once."""

from __future__ import annotations

import logging
from collections import OrderedDict

from aiohttp import web
from telegram import Update

from bot.channels.web.admin import same_secret
from bot.channels.web.httputil import json_error, json_response, parse_json, read_body
from bot.channels.web.limits import WebLimits
from bot.channels.web.telegram_link import TelegramLink

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_WAITING = 10_000
"""Updates queued while the Bot API is unreachable before new ones are refused (503)."""


class RecentIds:
    """The last ``size`` update ids queued (Telegram retries an update it thinks was lost)."""

    def __init__(self, size: int = 100_000):
        self.size = size
        self._ids: OrderedDict[int, None] = OrderedDict()

    def __contains__(self, update_id: int) -> bool:
        return update_id in self._ids

    def add(self, update_id: int) -> None:
        self._ids[update_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)


class Webhook:
    """The webhook route; updates go to the PTB application's queue, processed in order."""

    def __init__(self, secret: str | None, link: TelegramLink | None, limits: WebLimits):
        self.secret = secret
        self.link = link
        self.limits = limits
        self.seen = RecentIds()
        if link is not None and not secret:
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
        if not self.link.running and application.update_queue.qsize() >= MAX_WAITING:
            return json_error(503, "unavailable", "Telegram processing is not running")
        if data["update_id"] in self.seen:
            return json_response({"ok": True, "duplicate": True})
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # noqa: BLE001
            # A malformed update; its content is not logged.
            log.warning("unreadable update (%s)", type(exc).__name__)
            return json_error(400, "bad_update", "the update could not be read")
        self.seen.add(data["update_id"])
        application.update_queue.put_nowait(update)  # no await since the check: no race
        return json_response({"ok": True})
