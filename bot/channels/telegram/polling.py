"""`python -m bot polling`: the Telegram bot with long polling."""

from __future__ import annotations

import sys

from telegram.error import InvalidToken, NetworkError

from bot.catalogue import CatalogueError
from bot.channels.telegram.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.runtime import Runtime


def run_polling(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM; the exit code (2: no token, 1: could not start)."""
    if not settings.telegram_token:
        print("TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the environment.",
              file=sys.stderr)
        return 2
    try:
        runtime = Runtime.open(settings)
    except CatalogueError as exc:
        print(f"The catalogue could not be loaded: {len(exc.problems)} error(s); see "
              f"`python -m bot check {settings.knowledge_dir}`.", file=sys.stderr)
        return 1
    try:
        build_application(runtime, settings).run_polling(allowed_updates=ALLOWED_UPDATES)
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
