"""`python -m bot polling`: the Telegram bot with long polling.

Besides the bot, the process watches the database for a catalogue that another process
stored (`python -m bot reload`, the admin page of a web replica) and swaps it in.
"""

from __future__ import annotations

import asyncio
import sys

from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.catalogue import CatalogueError
from bot.channels.redact import redact_secrets
from bot.channels.sync import ReplicaSync
from bot.channels.telegram.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.runtime import Runtime

SYNC_INTERVAL = 2.0
"""Seconds between looks at the stored catalogue version."""


def _with_catalogue_sync(application: Application, runtime: Runtime) -> None:  # type: ignore[type-arg]
    sync = ReplicaSync(runtime, asyncio.Lock(), SYNC_INTERVAL)
    register = application.post_init

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        if register:
            await register(app)
        sync.start()

    async def post_stop(app: Application) -> None:  # type: ignore[type-arg]
        await sync.stop()

    application.post_init = post_init
    application.post_stop = post_stop


def run_polling(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM; the exit code (2: no token, 1: could not start)."""
    if not settings.telegram_token:
        print("TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the environment.",
              file=sys.stderr)
        return 2
    redact_secrets(settings)
    try:
        runtime = Runtime.open(settings)
    except CatalogueError as exc:
        print(f"The catalogue could not be loaded: {len(exc.problems)} error(s); see "
              f"`python -m bot check {settings.knowledge_dir}`.", file=sys.stderr)
        return 1
    try:
        application = build_application(runtime, settings)
        _with_catalogue_sync(application, runtime)
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        print("The Bot API did not accept TELEGRAM_BOT_TOKEN.", file=sys.stderr)
        return 1
    except NetworkError as exc:
        print(f"Cannot reach the Bot API at TELEGRAM_API_BASE_URL ({type(exc).__name__}).",
              file=sys.stderr)
        return 1
    finally:
        runtime.close()
    return 0
