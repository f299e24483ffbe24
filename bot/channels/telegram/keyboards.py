"""Inline keyboards and the data their buttons carry.

Button data is stateless and versioned: ``v1:<action>:<language>:<argument>``, at most 64
bytes. Nothing about the conversation is kept on the server: a service is named by a short
digest of its id (stable across restarts and catalogue reloads), "more options" carries the
digests of the further options the core ranked (``<offset>:<digest><digest>…``), and the
language is the reply's own. Data of another version, or a service no longer in the
catalogue, gets a polite "expired".
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalogue.model import Area, Service, ServiceTable, pick
from bot.core.context import Reply
from bot.i18n import LANGUAGES, translator

VERSION = "v1"
MAX_DATA_BYTES = 64
MAX_LABEL = 40
TOKEN_CHARS = 8
MORE_SLOTS = 6
"""Further options a "more options" button can carry (its data stays within 64 bytes)."""
CLEAR = "-"
"""The SET_MUNICIPALITY argument that removes the home municipality."""


class Action(StrEnum):
    DETAILS = "d"
    MORE = "m"
    ASK_MUNICIPALITY = "k"
    SET_MUNICIPALITY = "s"
    REPORT = "r"
    LANGUAGE = "l"
    PROFESSIONAL = "p"


@dataclass(frozen=True)
class ButtonData:
    """What one button asks for, in the language of the message it sits under."""

    action: Action
    language: str
    argument: str = ""

    def encode(self) -> str:
        data = f"{VERSION}:{self.action.value}:{self.language}:{self.argument}"
        if len(data.encode()) > MAX_DATA_BYTES:
            raise ValueError(f"callback data over {MAX_DATA_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def decode(cls, data: object) -> ButtonData | None:
        """The button's meaning, or None for data of another version or of no known form."""
        if not isinstance(data, str):
            return None
        parts = data.split(":", 3)
        if len(parts) != 4 or parts[0] != VERSION or parts[2] not in LANGUAGES:
            return None
        try:
            action = Action(parts[1])
        except ValueError:
            return None
        return cls(action, parts[2], parts[3])


def service_token(service_id: str) -> str:
    """An 8-character digest of a service id, the same in every process and catalogue."""
    digest = hashlib.sha256(service_id.encode()).digest()[:6]
    return base64.urlsafe_b64encode(digest).decode()


def more_argument(offset: int, services: list[Service]) -> str:
    """The MORE button's argument: how many options were shown, and the next ones."""
    return f"{offset}:" + "".join(service_token(s.id) for s in services[:MORE_SLOTS])


def parse_more(argument: str) -> tuple[int, list[str]] | None:
    """(offset, tokens) of a MORE argument, or None when it is not one."""
    offset, _, tokens = argument.partition(":")
    if not offset.isdigit() or not tokens or len(tokens) % TOKEN_CHARS:
        return None
    return int(offset), [tokens[i:i + TOKEN_CHARS] for i in range(0, len(tokens), TOKEN_CHARS)]


class ServiceTokens(ServiceTable):
    """Finds a service by :func:`service_token`; the table follows the catalogue version."""

    def __init__(self) -> None:
        super().__init__(key=lambda s: service_token(s.id))


def _button(text: str, data: ButtonData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data.encode())


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def reply_keyboard(reply: Reply, further: list[Service]) -> InlineKeyboardMarkup:
    """Under an answer: details of each option, more options (when there are ``further``
    ones), change municipality."""
    _ = translator(reply.language, "telegram")
    lang = reply.language
    rows = [[_button(f"ℹ️ {n}. {_short(pick(r.service.name, lang)[0])}",
                     ButtonData(Action.DETAILS, lang, service_token(r.service.id)))]
            for n, r in enumerate(reply.results, start=reply.offset + 1)]
    last = []
    if further:
        last.append(_button(_("➕ More options"), ButtonData(
            Action.MORE, lang, more_argument(reply.offset + len(reply.results), further))))
    last.append(_button(_("📍 Change municipality"), ButtonData(Action.ASK_MUNICIPALITY, lang)))
    return InlineKeyboardMarkup([*rows, last])


def without_more(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """``markup`` without its "more options" button (once pressed, it has done its work)."""
    if markup is None:
        return None
    rows = [[b for b in row
             if not ((d := ButtonData.decode(b.callback_data)) and d.action is Action.MORE)]
            for row in markup.inline_keyboard]
    return InlineKeyboardMarkup([row for row in rows if row])


def card_keyboard(service: Service, language: str) -> InlineKeyboardMarkup:
    """Under one service's details: report outdated information."""
    _ = translator(language, "telegram")
    return InlineKeyboardMarkup([[_button(_("⚠️ Report outdated information"),
                                          ButtonData(Action.REPORT, language,
                                                     service_token(service.id)))]])


def language_keyboard(language: str) -> InlineKeyboardMarkup:
    """Suomi / Svenska."""
    return InlineKeyboardMarkup([[
        _button("🇫🇮 Suomi", ButtonData(Action.LANGUAGE, language, "fi")),
        _button("🇸🇪 Svenska", ButtonData(Action.LANGUAGE, language, "sv")),
    ]])


def municipality_choices(areas: list[Area], language: str) -> InlineKeyboardMarkup:
    """One button per suggested municipality."""
    return InlineKeyboardMarkup([[_button(f"📍 {pick(a.name, language)[0]}",
                                          ButtonData(Action.SET_MUNICIPALITY, language, a.code))]
                                 for a in areas])


def municipality_menu(language: str) -> InlineKeyboardMarkup:
    """For someone who has a home municipality: change it or remove it."""
    _ = translator(language, "telegram")
    return InlineKeyboardMarkup([[
        _button(_("📍 Change"), ButtonData(Action.ASK_MUNICIPALITY, language)),
        _button(_("✖️ Remove"), ButtonData(Action.SET_MUNICIPALITY, language, CLEAR)),
    ]])


def professional_keyboard(language: str, professional: bool) -> InlineKeyboardMarkup:
    """The one button that switches the professional view the other way."""
    _ = translator(language, "telegram")
    text = _("Switch to the resident view") if professional else _("Switch to the professional view")
    return InlineKeyboardMarkup([[_button(text, ButtonData(Action.PROFESSIONAL, language,
                                                           "0" if professional else "1"))]])
