"""The aiohttp application: health, web chat, /api, Telegram webhook, admin, replica sync."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import web
from telegram.ext import Application

from bot.channels.web import health, page, share
from bot.channels.web.admin import Admin, add_disabled_routes, admin_enabled
from bot.channels.web.api import Api
from bot.channels.web.httputil import BODY_TIMEOUT, TRUST_PROXY, guard
from bot.channels.web.limits import WebLimits
from bot.channels.sync import ReplicaSync
from bot.channels.telegram.link import WEBHOOK_PATH, TelegramLink
from bot.channels.telegram.webhook import Webhook
from bot.config import Settings
from bot.runtime import Runtime

log = logging.getLogger(__name__)

SYNC_INTERVAL = 2.0


def create_app(runtime: Runtime, settings: Settings, telegram_app: Application | None = None,
               *, limits: WebLimits | None = None,
               sync_interval: float = SYNC_INTERVAL) -> web.Application:
    """Everything one replica serves. ``telegram_app`` (built with ``updater=False``) is
    started and stopped with the web application and fed from the webhook."""
    limits = limits or WebLimits(api_burst=settings.rate_limit_burst,
                                 api_per_second=settings.rate_limit_per_second)
    app = web.Application(middlewares=[guard], client_max_size=limits.api_body)
    app[TRUST_PROXY] = settings.trust_proxy_headers
    app[BODY_TIMEOUT] = settings.http_body_timeout
    lock = asyncio.Lock()
    link = TelegramLink(telegram_app, settings) if telegram_app is not None else None

    health.add_routes(app, runtime)
    page.add_routes(app, limits.question_chars)
    share.add_routes(app, runtime)
    Api(runtime, limits).add_routes(app)
    app.router.add_post(WEBHOOK_PATH, Webhook(runtime, settings, link, limits).handle)
    if admin_enabled(settings.admin_token):
        status = link.status if link else (lambda: {"enabled": False})
        Admin(runtime, settings.admin_token or "", limits, lock, status).add_routes(app)
    else:
        log.warning("admin API disabled: ADMIN_TOKEN is unset or too short")
        add_disabled_routes(app)

    async def replica_sync(_app: web.Application) -> AsyncIterator[None]:
        sync = ReplicaSync(runtime, lock, sync_interval)
        sync.start()
        yield
        await sync.stop()

    app.cleanup_ctx.append(replica_sync)
    if link is not None:
        async def telegram(_app: web.Application) -> AsyncIterator[None]:
            await link.start()
            yield
            await link.stop()

        app.cleanup_ctx.append(telegram)
    return app
