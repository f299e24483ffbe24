"""Long replies are split cleanly: at paragraphs, never inside a tag or an entity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.messages import LIMIT, split_html, units
from tests.support.botapi import ApiError, plain_text


def test_short_text_is_one_piece() -> None:
    assert split_html("  <b>Hei</b>\n\nmaailma ") == ["<b>Hei</b>\n\nmaailma"]


def test_cuts_between_paragraphs() -> None:
    paragraphs = [f"{n}. <b>Palvelu {n}</b>\n" + ("Kuvaus &amp; lisätiedot. " * 30).strip()
                  for n in range(30)]
    pieces = split_html("\n\n".join(paragraphs))
    assert len(pieces) > 1
    assert all(units(p) <= LIMIT for p in pieces)
    assert all(p.split("\n")[0].split(".")[0].isdigit() for p in pieces)
    assert "\n\n".join(pieces) == "\n\n".join(paragraphs)


def test_formatting_cut_in_two_is_closed_and_reopened() -> None:
    pieces = split_html("<b>" + "sana " * 1000 + "</b>")
    assert len(pieces) == 2
    for piece in pieces:
        assert piece.startswith("<b>") and piece.endswith("</b>")
        plain_text(piece, "HTML")


def test_emoji_count_twice() -> None:
    pieces = split_html("🙂" * 3000)
    assert len(pieces) == 2 and all(units(p) <= LIMIT for p in pieces)


@given(st.lists(st.sampled_from(["sana", "<b>lihava</b>", "&amp;", "&lt;x&gt;", "\n", "\n\n",
                                 " ", "ä", "🙂", '<a href="https://e.fi/?a=1&amp;b=2">linkki</a>',
                                 "x" * 500]), max_size=600))
def test_every_piece_is_valid_telegram_html_within_the_limit(parts: list[str]) -> None:
    text = "".join(parts)
    if not text.strip():
        return
    pieces = split_html(text)
    for piece in pieces:
        assert units(piece) <= LIMIT
        try:
            plain_text(piece, "HTML")
        except ApiError as exc:
            pytest.fail(f"{exc.description}: {piece[:200]!r}")
    assert "".join(plain_text(p, "HTML") for p in pieces).replace(" ", "").replace("\n", "") == \
        plain_text(text, "HTML").replace(" ", "").replace("\n", "")
