"""Every user-facing message in the code has a Finnish and a Swedish translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.config import LOCALES_DIR, PROJECT_ROOT
from bot.i18n import translator

DOMAINS = {
    "messages": ["bot/core", "bot/catalogue", "bot/cli.py", "bot/runtime.py"],
    "telegram": ["bot/channels/telegram"],
    "web": ["bot/channels/web"],
}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "t": None, "N_": None}


def extracted(paths: list[str]) -> set[str]:
    ids: set[str] = set()
    for rel in paths:
        path = PROJECT_ROOT / rel
        if path.is_file():
            from babel.messages.extract import extract_from_file
            found = extract_from_file("python", str(path), keywords=KEYWORDS)
        elif path.is_dir():
            found = (m[2:] for m in extract_from_dir(str(path), method_map=[("**.py", "python")],
                                                     keywords=KEYWORDS))
        else:
            continue
        for item in found:
            msg = item[1]
            ids.update(msg[:1] if isinstance(msg, (tuple, list)) else (msg,))
    return {i for i in ids if i}


@pytest.mark.parametrize("domain", list(DOMAINS))
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_message_translated(domain: str, lang: str) -> None:
    ids = extracted(DOMAINS[domain])
    assert ids or domain != "messages"
    po = LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    assert po.exists(), f"{po} missing"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    missing = sorted(i for i in ids if i not in translated or not translated[i].string
                     or translated[i].fuzzy)
    assert not missing, f"untranslated in {lang}/{domain}.po: {missing}"


def test_translator_formats() -> None:
    from datetime import date
    assert translator("fi").date(date(2026, 3, 5)) == "5.3.2026"
    assert translator("sv").date(date(2026, 3, 5)) == "2026-03-05"
    assert translator("sv")("Address") == "Adress"
    assert translator("fi")("Address") == "Osoite"
