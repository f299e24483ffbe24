"""`python -m benchmarks.safety`: crisis recognition on the labelled safety set, and what the
crisis check costs.

    python -m benchmarks.safety                 # figures per split, held-out first
    python -m benchmarks.safety --errors        # also the tune split's errors (never held-out)
    python -m benchmarks.safety --write         # benchmarks/safety-figures.md (+ latency at 10k)

Recall per crisis class and false alarms per calm class, by language and split; "rules only"
is the same with the meaning-based check switched off. Latency: ``answer()`` on a synthetic
catalogue of 10 000 services, in a child process pinned to one core with one OpenMP thread,
CPU time per question, for everyday questions and for the safety set's messages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml

import bot.core.safety as safety
from bot.core.safety.rules import read_rules
from bot.matching.analysis import default_analyzer
from bot.matching.text import normalise, tokenize

HERE = Path(__file__).resolve().parent
SET = HERE.parent / "tests" / "data" / "safety" / "messages.yaml"
CRISIS_CLASSES = ("suicide", "overdose", "violence", "child", "medical")
CALM_CLASSES = ("calm", "ordinary")


def load(path: Path = SET) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def classify(text: str) -> safety.Assessment:
    tokens = tokenize(normalise(text))
    return safety.assess(normalise(text), tokens,
                         [default_analyzer().keys(t.lower, "*") for t in tokens])


def table(messages: list[dict], split: str) -> tuple[list[str], dict[str, float]]:
    """Markdown rows for one split and the headline figures."""
    cell: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for m in messages:
        if m["split"] == split:
            cell[(m["class"], m["language"])].append(classify(m["text"]).crisis)
    rows = ["| class | fi | sv |", "|---|---:|---:|"]
    for cls in (*CRISIS_CLASSES, *CALM_CLASSES):
        vals = [f"{sum(xs)}/{len(xs)}" if (xs := cell.get((cls, lang), [])) else "–"
                for lang in ("fi", "sv")]
        what = "flagged" if cls in CRISIS_CLASSES else "false alarms"
        rows.append(f"| {cls} ({what}) | {vals[0]} | {vals[1]} |")
    heads: dict[str, float] = {}
    for lang in ("fi", "sv"):
        crisis = [x for c in CRISIS_CLASSES for x in cell.get((c, lang), [])]
        heads[f"recall {lang}"] = sum(crisis) / max(1, len(crisis))
        calm = [x for c in CALM_CLASSES for x in cell.get((c, lang), [])]
        heads[f"false alarms {lang}"] = sum(calm)
    return rows, heads


def headline(heads: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3f}" if "recall" in k else f"{k} {int(v)}" for k, v in heads.items())


def latency(n_services: int = 10_000) -> dict[str, dict[str, float]]:
    """CPU ms per answer (p50, p99, max) in a pinned child process, by kind of question."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.safety", "--latency-child",
                          str(n_services)], capture_output=True, text=True, check=True,
                         env={**os.environ, "OMP_NUM_THREADS": "1"}, cwd=HERE.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _latency_child(n_services: int) -> None:
    from benchmarks.evalset import load_question_sets
    from benchmarks.synthetic import write_catalogue
    from bot.catalogue import load_catalogue
    from bot.core.answer import answer
    from bot.core.context import Context
    from bot.core.knowledge import KnowledgeBase

    os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(load_catalogue(write_catalogue(Path(tmp) / "cat", n_services)))
    everyday = [q.question for qs in load_question_sets().values() for q in qs]
    sets = {"everyday questions (eval sets)": everyday,
            "safety set messages": [m["text"] for m in load()]}
    res = {}
    for name, questions in sets.items():
        for q in questions[:20]:
            answer(q, Context(), kb)  # warm caches
        times = []
        for q in questions:
            t = time.thread_time_ns()
            answer(q, Context(), kb)
            times.append((time.thread_time_ns() - t) / 1e6)
        a = np.asarray(times)
        res[name] = {"n": len(a), "p50": float(np.percentile(a, 50)),
                     "p99": float(np.percentile(a, 99)), "max": float(a.max())}
    print(json.dumps(res))


def write(messages: list[dict]) -> Path:
    lines = [f"Measured by `python -m benchmarks.safety --write` on "
             f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.", ""]
    for split in ("heldout", "tune"):
        rows, heads = table(messages, split)
        with_rules = safety.meaning_check
        safety.meaning_check = lambda: None  # type: ignore[assignment]
        try:
            _, rules_heads = table(messages, split)
        finally:
            safety.meaning_check = with_rules
        n = sum(m["split"] == split for m in messages)
        lines += [f"### {split} ({n} messages)", "", *rows, "",
                  f"Rules and meaning: {headline(heads)}.", "",
                  f"Rules only (the meaning check off): {headline(rules_heads)}.", ""]
    lat = latency()
    lines += ["### Cost of answering with the crisis check (10 000 services, one core)", "",
              "| questions | n | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {k} | {v['n']} | {v['p50']:.2f} | {v['p99']:.2f} | {v['max']:.2f} |"
              for k, v in lat.items()]
    path = HERE / "safety-figures.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="list the tune split's errors")
    ap.add_argument("--write", action="store_true", help="write benchmarks/safety-figures.md")
    ap.add_argument("--latency-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.latency_child:
        _latency_child(args.latency_child)
        return
    messages = load()
    if args.write:
        print(f"wrote {write(messages)}")
        return
    for split in ("heldout", "tune"):
        rows, heads = table(messages, split)
        print(f"## {split}\n\n" + "\n".join(rows) + f"\n\n{headline(heads)}\n")
    if args.errors:
        for m in messages:
            if m["split"] != "tune" or (a := classify(m["text"])).crisis == m["crisis"]:
                continue
            tokens = tokenize(normalise(m["text"]))
            rules = read_rules(tokens, [default_analyzer().keys(t.lower, "*") for t in tokens])
            print(f"{m['id']:14} want={m['crisis']!s:5} got={sorted(a.kinds)} "
                  f"rules={sorted(rules.kinds)} cue={rules.cue} {m['text']}")


if __name__ == "__main__":
    main()
