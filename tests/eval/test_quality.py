"""Quality on the independent evaluation set (tests/eval): a regression guard.

The numbers asserted are floors a little under what the matcher measured when this was
written (see benchmarks/RESULTS.md for the figures of each run); the held-out part is only
measured here, never used to tune.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.evalset import Answer, evaluate, load_questions
from bot.core.answer import answer
from bot.core.context import Context

FLOORS = {"dev": (70.0, 82.0), "heldout": (70.0, 85.0)}
# Calm questions read as a crisis by the meaning-based check alone (issue 11): they keep their
# own options below the emergency lines. Ceilings at what was measured on 2026-12-07
# (benchmarks/RESULTS.md, "Safety"); before the meaning check it was 0 everywhere.
CALM_FLAGGED = {"dev": 8, "heldout": 7, "bundled": 15, "eval2": 16}
EVAL2 = Path(__file__).resolve().parent.parent / "eval2"


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_quality_floor(eval_kb, split: str) -> None:
    def ask(q):  # noqa: ANN001, ANN202
        r = answer(q.question, Context(municipality=q.home, limit=3), eval_kb)
        return Answer(tuple(x.service.id for x in r.results), r.crisis, r.language)

    m = evaluate(load_questions(split=split), ask)["all"]
    s = m.summary()
    r1, r3 = FLOORS[split]
    assert s["recall@1"] >= r1 and s["recall@3"] >= r3, s
    assert m.crisis_flagged == m.n_crisis, "every crisis message must be flagged"
    assert m.calm_flagged <= CALM_FLAGGED[split], "more calm messages flagged as a crisis"
    assert s["off-topic FP %"] <= 15.0, s


def test_bundled_catalogue_topic_questions(bundled_kb) -> None:
    """Issue 5's measure: a fitting service of the bundled catalogue in the top 3 for ≥ 90 %
    of 100 topic questions from the four pilot regions, in Finnish and Swedish."""
    def ask(q):  # noqa: ANN001, ANN202
        r = answer(q.question, Context(municipality=q.home, limit=3), bundled_kb)
        return Answer(tuple(x.service.id for x in r.results), r.crisis, r.language)

    path = Path(__file__).resolve().parent / "bundled-questions.yaml"
    m = evaluate(load_questions(path), ask)["all"]
    assert m.summary()["recall@3"] >= 90.0, m.summary()
    assert m.calm_flagged <= CALM_FLAGGED["bundled"]


def test_second_catalogue_written_apart() -> None:
    """tests/eval2: another author's fictional catalogue and 150 questions, measured unseen
    first (recall@1 80.2 %, recall@3 93.7 %); the floors guard against regressions."""
    from bot.catalogue import load_catalogue
    from bot.core.knowledge import KnowledgeBase

    kb = KnowledgeBase(load_catalogue(EVAL2 / "catalogue"))

    def ask(q):  # noqa: ANN001, ANN202
        r = answer(q.question, Context(municipality=q.home, limit=3), kb)
        return Answer(tuple(x.service.id for x in r.results), r.crisis, r.language)

    m = evaluate(load_questions(EVAL2 / "questions.yaml"), ask)["all"]
    s = m.summary()
    assert s["recall@1"] >= 75.0 and s["recall@3"] >= 88.0, s
    assert m.crisis_flagged == m.n_crisis and m.calm_flagged <= CALM_FLAGGED["eval2"], s
    assert m.off_topic_referred == 0, s
