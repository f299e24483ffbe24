"""`python -m bot serve`: one process serving the web chat, the API, admin and Telegram."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from telegram.ext import Application

from bot.catalogue import CatalogueError
from bot.channels.redact import redact_secrets
from bot.channels.web.app import create_app
from bot.config import Settings
from bot.runtime import Runtime

log = logging.getLogger(__name__)


class AccessLog(AbstractAccessLogger):
    """``"GET /path" 200 1234 0.002s``: what was served, not to whom (no client address, no
    headers) and without the query string, which may hold what a client should not have
    put there (a token in ``?token=``, a question in ``?q=``)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info('"%s %s" %s %s %.6fs', request.method, request.path, response.status,
                         response.body_length, time)

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)


def _telegram_application(runtime: Runtime, settings: Settings) -> Application | None:
    if not settings.telegram_token:
        return None
    from bot.channels.telegram.app import build_application

    return build_application(runtime, settings, updater=False)


def chat_address(host: str, port: int) -> str:
    """The URL a person on this machine opens to reach the web chat."""
    shown = "localhost" if host in ("", "0.0.0.0", "::") else host
    return f"http://{f'[{shown}]' if ':' in shown else shown}:{port}/"


LINGERING = 1.0
"""Seconds the rest of an unread body is read and dropped before the connection is closed
(aiohttp's default, 10 s, would let a client that trickles a body hold the connection)."""


def make_runner(app: web.Application, settings: Settings) -> web.AppRunner:
    """The runner of ``app``: idle connections, and ones still sending their headers, close
    after HTTP_KEEPALIVE_TIMEOUT; a body must arrive within HTTP_BODY_TIMEOUT; after SIGTERM,
    requests in progress (webhook updates being answered) get HTTP_SHUTDOWN_TIMEOUT to finish."""
    return web.AppRunner(app, access_log_class=AccessLog, handle_signals=False,
                         keepalive_timeout=settings.http_keepalive_timeout,
                         shutdown_timeout=settings.http_shutdown_timeout,
                         lingering_time=LINGERING)


async def _serve(app: web.Application, settings: Settings) -> int:
    runner = make_runner(app, settings)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        try:
            await site.start()
        except OSError as exc:
            log.error("cannot listen on %s:%s (%s)", settings.host, settings.port, exc.strerror)
            return 1
        port = runner.addresses[0][1] if runner.addresses else settings.port
        print(f"Hyteopas web chat: {chat_address(settings.host, port)}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        log.info("stopping")
        return 0
    finally:
        await runner.cleanup()


def run_server(settings: Settings) -> int:
    """Serve until SIGINT/SIGTERM; the exit status (0, or 1 when it cannot start)."""
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redact_secrets(settings)
    try:
        runtime = Runtime.open(settings)
    except CatalogueError as exc:
        log.error("the catalogue in %s cannot be loaded:\n%s", settings.knowledge_dir, exc)
        return 1
    except Exception as exc:  # noqa: BLE001
        # E.g. the database is unreachable; the message may hold the URL.
        log.error("cannot start: %s", type(exc).__name__)
        return 1
    try:
        app = create_app(runtime, settings, _telegram_application(runtime, settings))
        return asyncio.run(_serve(app, settings))
    finally:
        runtime.close()
