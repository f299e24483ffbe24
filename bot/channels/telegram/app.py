"""The PTB application: handlers wired over one :class:`bot.runtime.Runtime`."""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.channels.telegram import buttons, commands, handlers, inline
from bot.channels.telegram.deps import KEY, Deps
from bot.config import Settings
from bot.runtime import Runtime

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "inline_query"]
"""The update kinds the bot handles (for getUpdates and setWebhook)."""


def build_application(runtime: Runtime, settings: Settings, *, updater: bool = True,
                      request: BaseRequest | None = None) -> Application:  # type: ignore[type-arg]
    """The bot for ``settings.telegram_token`` at ``settings.telegram_api_base_url``.

    With ``updater=False`` (webhook mode) put updates on ``application.update_queue``
    yourself; call ``application.post_init(application)`` after ``initialize()`` to register
    the commands (``run_polling`` does both). ``request`` replaces the HTTP transport (tests).
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines show the bot token
    builder = (ApplicationBuilder()
               .token(settings.telegram_token or "")
               .base_url(settings.telegram_api_base_url)
               .defaults(Defaults(parse_mode=ParseMode.HTML,
                                  link_preview_options=LinkPreviewOptions(is_disabled=True)))
               .rate_limiter(AIORateLimiter(max_retries=2))
               .post_init(commands.register_commands))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if not updater:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data[KEY] = Deps(runtime, settings)
    message = filters.UpdateType.MESSAGE
    application.add_handlers([
        InlineQueryHandler(inline.on_inline_query),
        CallbackQueryHandler(buttons.on_button),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, handlers.on_edited),
        MessageHandler(message & filters.Regex(commands.PATTERN), commands.on_command),
        MessageHandler(message & filters.TEXT, handlers.on_text),
        MessageHandler(message, handlers.on_other),
    ])
    application.add_error_handler(handlers.on_error)
    return application
