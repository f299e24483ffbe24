"""Sending HTML messages: split cleanly at Telegram's 4096-character limit."""

from __future__ import annotations

import re

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters

LIMIT = 4096
RESERVE = 64
"""Room kept in each piece for the tags that close and reopen formatting at a cut."""
_TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>")


def sendable(text: str) -> str:
    """``text`` with any lone surrogate (JSON can carry "\\ud800" in an update) as "?", so that
    echoing it back can be encoded."""
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> int:
    """The longest prefix of ``text`` (in characters) within ``limit`` UTF-16 units."""
    if units(text) <= limit:
        return len(text)
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if units(text[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _inside_markup(text: str, at: int) -> bool:
    """Whether a cut at ``at`` falls inside a tag or an entity."""
    if text.rfind("<", 0, at) > text.rfind(">", 0, at):
        return True
    amp = text.rfind("&", 0, at)
    return amp > text.rfind(";", 0, at) and at - amp <= 10


def _cut(text: str, limit: int) -> int:
    """Where to cut: between paragraphs, else lines, else words, else anywhere safe."""
    end = _fit(text, limit)
    for separator in ("\n\n", "\n", " "):
        at = text.rfind(separator, 0, end)
        while at > 0 and _inside_markup(text, at):
            at = text.rfind(separator, 0, at)
        if at > limit // 4:
            return at
    while end > 1 and _inside_markup(text, end):
        end -= 1
    return end


def _open_tags(html: str) -> list[tuple[str, str]]:
    """Tags opened and not closed in ``html``: (name, the whole start tag)."""
    stack: list[tuple[str, str]] = []
    for m in _TAG.finditer(html):
        if m.group(1):
            if stack and stack[-1][0] == m.group(2):
                stack.pop()
        else:
            stack.append((m.group(2), m.group(0)))
    return stack


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """Pieces of at most ``limit`` units; formatting cut in two is closed and reopened."""
    pieces: list[str] = []
    rest = text.strip()
    while units(rest) > limit:
        at = _cut(rest, limit - RESERVE)
        head, rest = rest[:at].rstrip(), rest[at:].strip()
        still_open = _open_tags(head)
        head += "".join(f"</{name}>" for name, _ in reversed(still_open))
        rest = "".join(tag for _, tag in still_open) + rest
        if head:
            pieces.append(head)
    if rest:
        pieces.append(rest)
    return pieces


async def send_html(bot: Bot, chat_id: int, text: str, *,
                    markup: InlineKeyboardMarkup | None = None,
                    reply_to: int | None = None) -> Message:
    """Send ``text`` (Telegram HTML) in as many messages as it needs; the keyboard goes under
    the last one, and each one answers ``reply_to`` when given."""
    pieces = split_html(text)
    if not pieces:
        raise ValueError("send_html needs a non-empty text")
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    for piece in pieces[:-1]:
        await bot.send_message(chat_id, piece, reply_parameters=reply)
    return await bot.send_message(chat_id, pieces[-1], reply_parameters=reply, reply_markup=markup)
