"""Crisis detection on 180 independent messages (tests/data/crisis-messages.yaml): acute
danger is flagged, calm messages written close to them are not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.crisis import is_crisis
from bot.matching.analysis import default_analyzer
from bot.matching.text import normalise, tokenize

MESSAGES = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "crisis-messages.yaml")
                          .read_text(encoding="utf-8"))


def flagged(text: str) -> bool:
    tokens = tokenize(normalise(text))
    return is_crisis(tokens, [default_analyzer().keys(t.lower, "*") for t in tokens])


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_crisis_messages_flagged_and_calm_ones_not(language: str) -> None:
    msgs = [m for m in MESSAGES if m["language"] == language]
    missed = [m["text"] for m in msgs if m["crisis"] and not flagged(m["text"])]
    false = [m["text"] for m in msgs if not m["crisis"] and flagged(m["text"])]
    assert not missed, f"crisis not flagged: {missed}"
    assert not false, f"calm flagged: {false}"
