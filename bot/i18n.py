"""Gettext translations (locales/<lang>/LC_MESSAGES/<domain>.po) and babel formatting.

The .po files are the source of truth: they are compiled in memory when first used, so a
compiled catalogue can never be stale. Domains: ``messages`` (core and CLI), ``telegram``,
``web``. Message ids are English; every id has a Finnish and a Swedish translation
(tests/test_i18n.py checks that).
"""

from __future__ import annotations

import gettext
import io
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.config import LOCALES_DIR

LANGUAGES = ("fi", "sv")
DEFAULT_LANGUAGE = "fi"
DOMAINS = ("messages", "telegram", "web")


def normalise_language(code: str | None) -> str | None:
    """'sv-FI', 'sv_SE', 'SV' → 'sv'; 'fi*' → 'fi'; anything else → None."""
    if not code:
        return None
    code = code.strip().lower()[:2]
    return code if code in LANGUAGES else None


@lru_cache(maxsize=None)
def translations(language: str, domain: str = "messages",
                 locales: Path = LOCALES_DIR) -> gettext.NullTranslations:
    """The translations of ``domain`` in ``language`` (a null one if the file is missing)."""
    po = locales / language / "LC_MESSAGES" / f"{domain}.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=domain)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


class Translator:
    """``_`` and ``ngettext`` plus locale-aware dates and numbers for one language."""

    def __init__(self, language: str, domain: str = "messages"):
        self.language = normalise_language(language) or DEFAULT_LANGUAGE
        self._t = translations(self.language, domain)
        self.locale = Locale.parse(self.language)

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def date(self, value: date) -> str:
        return format_date(value, format="short" if self.language == "sv" else "d.M.yyyy",
                           locale=self.locale)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)


@lru_cache(maxsize=None)
def translator(language: str | None, domain: str = "messages") -> Translator:
    return Translator(language or DEFAULT_LANGUAGE, domain)


def N_(message: str) -> str:
    """Mark a message for extraction; translate it later with a Translator."""
    return message
