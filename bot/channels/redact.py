"""Keep the deployment's secrets out of the log, whoever writes the line.

Libraries log what they see: python-telegram-bot's "Invalid token" error quotes the bot
token, a database driver's error may quote the URL with its password. The processes that
serve (`serve`, `polling`) put a filter on the log handlers that blanks every configured
secret in each line, its arguments and its traceback.
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config import Settings

MASK = "[redacted]"
MIN_SECRET = 6
"""Shorter values are not treated as secrets (they would blank ordinary words)."""


def secrets_of(settings: Settings) -> list[str]:
    """The secret strings in ``settings``, longest first."""
    found = [settings.telegram_token, settings.admin_token, settings.telegram_webhook_secret]
    if settings.telegram_token and ":" in settings.telegram_token:
        found.append(settings.telegram_token.split(":", 1)[1])
    with contextlib.suppress(ArgumentError, ValueError):  # unparsable: no password to hide
        found.append(make_url(settings.database_url).password)
    return sorted({s for s in found if s and len(s) >= MIN_SECRET}, key=len, reverse=True)


class RedactSecrets(logging.Filter):
    """Replaces each secret in a record (message, arguments and traceback) with MASK."""

    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = secrets

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


def redact_secrets(settings: Settings) -> None:
    """Put the filter on every handler of the root logger (call after logging is set up)."""
    secrets = secrets_of(settings)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets(secrets))
