"""Crisis first: does a message signal acute danger, and of which kind?

Two readers, combined: word rules (``rules.py``: precise, typo-tolerant, with calm contexts)
and a meaning-based check (``meaning.py``: sentence vectors of labelled exemplars) that
catches what people write without the rules' words ("en halua herätä huomenna"). Where a
rule matched but an everyday context set it aside ("herätä aikaisin töihin", a game), that
verdict stands. The kinds decide the reply: ``suicide``, ``overdose`` (overdose or self-harm), ``violence``, ``child``
(a child or a vulnerable adult in danger) and ``medical`` (an emergency seen by a bystander).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import simplemma

from bot.core.safety.meaning import MeaningCheck
from bot.core.safety.rules import KINDS, read_rules
from bot.matching.analysis import Keys
from bot.matching.embedding import default_embedder
from bot.matching.text import Token


DANGER_THRESHOLD = 0.8  # with a word of harm to life or body (rules.CUES)
UNCUED_THRESHOLD = 0.98  # without one: indirect words ("kohta kaikki on ohi") must read surely
PAST_THRESHOLD = 0.95  # a message about a time long past needs a surer reading
SHORT = 3  # a message of this many words at most and no cue is a keyword look-up: not embedded
FIRST_PERSON = frozenset(
    "minä mä mää mie mua mut minua minut mulle minulle mun minun meitä meidät meille meidän "
    "jag mig mej mitt min mina oss vi vår vårt våra".split())

WORD_LANGUAGES = ("fi", "sv", "en")
"""A message with no word of these languages (keyboard mashing, only emoji or digits) is
not read by meaning: sentence vectors of such text land anywhere, even near a crisis."""

__all__ = ["KINDS", "Assessment", "assess", "meaning_check"]


@dataclass(frozen=True)
class Assessment:
    """The safety reading of one message. ``kinds`` is empty when there is no acute danger;
    ``writer_involved`` tells a victim or a person at risk from a bystander; ``by_rules``
    whether a word rule confirmed it (the meaning check alone is less sure)."""

    kinds: frozenset[str] = frozenset()
    writer_involved: bool = True
    by_rules: bool = False  # a word rule matched (not only the meaning check)

    @property
    def crisis(self) -> bool:
        return bool(self.kinds)

    @property
    def emergency_only(self) -> bool:
        """Only 112 fits: a medical emergency, or violence that a bystander sees."""
        calls_only = {"medical"} if self.writer_involved else {"medical", "violence"}
        return self.crisis and self.kinds <= calls_only


@lru_cache(maxsize=1)
def meaning_check() -> MeaningCheck | None:
    """The process-wide meaning-based check, or ``None`` without the embedding model."""
    embedder = default_embedder()
    return MeaningCheck(embedder) if embedder is not None else None


def _a_word(token: str) -> bool:
    return any(simplemma.is_known(token, lang=lang) for lang in WORD_LANGUAGES)


def assess(text: str, tokens: list[Token], keys: list[Keys]) -> Assessment:
    """Read ``text`` (already tokenised and analysed) for acute danger."""
    rules = read_rules(tokens, keys)
    kinds = set(rules.kinds)
    check = meaning_check()
    if check is not None and (rules.cue or len(tokens) > SHORT) \
            and not (rules.everyday and not rules.kinds) \
            and (rules.cue or any(_a_word(t.lower) for t in tokens)):
        reading = check.read(text)
        threshold = (PAST_THRESHOLD if rules.past
                     else DANGER_THRESHOLD if rules.cue else UNCUED_THRESHOLD)
        if reading.danger >= threshold:
            kinds.add(reading.kind)
    involved = any(t.lower in FIRST_PERSON for t in tokens)
    return Assessment(frozenset(kinds), involved, bool(rules.kinds))
