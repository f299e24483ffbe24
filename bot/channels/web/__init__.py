"""The web channel: one aiohttp application for the web chat, /api, /admin, health checks
and the Telegram webhook (see :func:`create_app` and :func:`run_server`)."""

from bot.channels.web.app import create_app
from bot.channels.web.server import run_server

__all__ = ["create_app", "run_server"]
