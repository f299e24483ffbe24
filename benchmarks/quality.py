"""Quality: every labelled question through the project and through each baseline.

Baselines pick one of a few variants (by MRR on the dev split) and a score threshold for
off-topic questions (:func:`benchmarks.systems.gate`, on the dev split); the held-out
splits are only measured. The project is measured as it is (its own tuning).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.evalset import (
    EVAL_CATALOGUE,
    Answer,
    Question,
    grouped_metrics,
    load_question_sets,
)
from benchmarks.systems import System, gate, make


@dataclass
class SystemQuality:
    name: str
    label: str
    has_crisis: bool
    variant: dict[str, Any] = field(default_factory=dict)
    threshold: float | None = None
    tuning: list[dict[str, Any]] = field(default_factory=list)
    groups: dict[str, dict[str, float]] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)


def groups_of(q: Question) -> list[str]:
    """The groups a question is reported in. 'eval:*' are the two independent fictional sets
    (tests/eval, all splits, and tests/eval2); 'unseen:*' leaves out dev, the split the
    baselines are tuned on; the bundled catalogue's questions are reported apart."""
    if q.split == "bundled":
        return ["split:bundled", f"bundled:lang:{q.language}"]
    out = ["eval:all", f"split:{q.split}", f"lang:{q.language}", f"kind:{q.kind}"]
    if q.split != "dev":
        out.append(f"unseen:lang:{q.language}")
    return out


def sample(questions: list[Question], n: int | None) -> list[Question]:
    """A fixed sample spread over kinds (the --quick run), or all questions."""
    if not n or n >= len(questions):
        return questions
    rng = random.Random(6)
    by_kind: dict[str, list[Question]] = {}
    for q in questions:
        by_kind.setdefault(q.kind, []).append(q)
    picked: list[Question] = []
    while len(picked) < n:
        for kind in sorted(by_kind):
            if by_kind[kind] and len(picked) < n:
                picked.append(by_kind[kind].pop(rng.randrange(len(by_kind[kind]))))
    return picked


def _tune(factory: Callable[[dict[str, Any]], System],
          dev: list[Question]) -> tuple[System, list[dict[str, Any]]]:
    """Choose the variant with the best dev MRR (no gate), then its dev gate threshold."""
    tried, best = [], None
    for variant in factory({}).variants:
        system = factory(variant)
        system.build(system.load(EVAL_CATALOGUE))
        rr, n, rows = 0.0, 0, []
        for q in dev:
            if q.kind != "off_topic" and not (q.answerable and q.kind != "crisis"):
                continue
            hits = system.search(q.question, 3)
            ids = [i for i, _ in hits]
            rank = next((r for r, i in enumerate(ids) if i in q.expected), None)
            if q.kind != "off_topic":
                n += 1
                rr += 1 / (rank + 1) if rank is not None else 0.0
            rows.append((hits[0][1] if hits else None, rank is not None, q.kind == "off_topic"))
        mrr = rr / max(1, n)
        threshold, right = gate(rows)
        tried.append({"variant": variant, "dev MRR (no gate)": round(mrr, 3),
                      "threshold": round(threshold, 4), "dev handled right": f"{right}/{len(rows)}"})
        if best is None or mrr > best[0]:
            if best is not None:
                best[1].close()
            best = (mrr, system, threshold)
        else:
            system.close()
    _, system, threshold = best
    system.threshold = threshold
    return system, tried


def run(names: list[str], pg_database: Callable[[str], str] | None = None,
        n_questions: int | None = None, log: Callable[[str], None] = print) -> list[SystemQuality]:
    """Quality of each system on every question set (all of them, or a sample of n)."""
    sets = load_question_sets()
    total = sum(map(len, sets.values()))
    if n_questions:
        sets = {cat: sample(qs, max(1, n_questions * len(qs) // total)) for cat, qs in sets.items()}
    dev = [q for q in sets.get(EVAL_CATALOGUE, []) if q.split == "dev"]
    if pg_database is not None:  # one database per catalogue; each system uses its own table
        pg_database = functools.lru_cache(maxsize=None)(pg_database)
    results = []
    for name in names:
        if name == "postgres" and pg_database is None:
            continue

        def factory(variant: dict[str, Any], catalogue: Path = EVAL_CATALOGUE,
                    name: str = name) -> System:
            db = f"quality_{catalogue.parent.name if catalogue.name == 'catalogue' else catalogue.name}"
            kw = {"url": pg_database(db)} if name == "postgres" else {}
            s = make(name, **kw)
            s.variant = variant
            return s

        if name == "hyteopas":
            system, tuning = factory({}), []
            system.build(system.load(EVAL_CATALOGUE))
        else:
            system, tuning = _tune(factory, dev)
        sq = SystemQuality(name, system.label, system.has_crisis, system.variant, system.threshold,
                           tuning)
        rows: list[tuple[Question, Answer, list[str]]] = []
        for catalogue, questions in sets.items():
            asker = system
            if catalogue != EVAL_CATALOGUE:
                asker = factory(system.variant, catalogue)
                asker.threshold = system.threshold
                asker.build(asker.load(catalogue))
            rows += [(q, asker.ask(q.question, q.home, limit=3), groups_of(q))
                     for q in questions]
            if asker is not system:
                asker.close()
        system.close()
        keys = {id(q): k for q, _, k in rows}
        metrics = grouped_metrics(((q, a) for q, a, _ in rows), lambda q, keys=keys: keys[id(q)])
        sq.groups = {k: m.summary() for k, m in sorted(metrics.items())}
        sq.misses = {k: m.misses for k, m in sorted(metrics.items()) if k.startswith("split:")}
        results.append(sq)
        s = sq.groups.get("eval:all", {})
        log(f"  quality {name:12s} R@1 {s.get('recall@1')} R@3 {s.get('recall@3')} MRR {s.get('MRR')} "
            f"off-topic FP {s.get('off-topic FP %')} crisis {s.get('crisis recall %')}")
    return results
