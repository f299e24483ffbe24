"""The earlier crisis set (tests/data/crisis-messages.yaml, 180 messages): its messages now
also serve as exemplars of the meaning check (bot/core/safety/exemplars.yaml), so this is a
regression check of rules and exemplars together, not an unseen measure."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.safety import assess
from bot.matching.analysis import default_analyzer
from bot.matching.text import normalise, tokenize

MESSAGES = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "crisis-messages.yaml")
                          .read_text(encoding="utf-8"))


def flagged(text: str) -> bool:
    tokens = tokenize(normalise(text))
    return assess(normalise(text), tokens,
                  [default_analyzer().keys(t.lower, "*") for t in tokens]).crisis


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_crisis_messages_flagged_and_calm_ones_not(language: str) -> None:
    msgs = [m for m in MESSAGES if m["language"] == language]
    missed = [m["text"] for m in msgs if m["crisis"] and not flagged(m["text"])]
    false = [m["text"] for m in msgs if not m["crisis"] and flagged(m["text"])]
    assert not missed, f"crisis not flagged: {missed}"
    assert not false, f"calm flagged: {false}"
