"""The labelled evaluation set (tests/eval) and the metrics every system is scored on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    kind: str
    split: str
    expected: tuple[str, ...]
    crisis: bool = False
    home: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.expected) and self.kind not in ("off_topic",)


@dataclass(frozen=True)
class Answer:
    ids: tuple[str, ...]
    crisis: bool = False
    language: str | None = None


def load_questions(path: Path = EVAL_DIR / "questions.yaml", split: str | None = None) -> list[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = [Question(str(d["id"]), str(d["question"]), d["language"], d["kind"], d.get("split", "dev"),
                    tuple(d.get("expected") or ()), bool(d.get("crisis")), d.get("home"))
           for d in data]
    return [q for q in out if split is None or q.split == split]


@dataclass
class Metrics:
    n_answerable: int = 0
    hit1: int = 0
    hit3: int = 0
    rr: float = 0.0
    n_off_topic: int = 0
    off_topic_referred: int = 0
    n_crisis: int = 0
    crisis_flagged: int = 0
    n_calm: int = 0
    calm_flagged: int = 0
    n_language: int = 0
    language_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, q: Question, a: Answer) -> None:
        if a.language is not None:
            self.n_language += 1
            self.language_right += a.language == q.language
        if q.kind == "off_topic":
            self.n_off_topic += 1
            self.off_topic_referred += bool(a.ids)
            if a.ids:
                self.misses.append(f"{q.id} OFF-TOPIC referred {a.ids[:1]}: {q.question}")
        if q.kind == "crisis" or q.crisis:
            self.n_crisis += 1
            self.crisis_flagged += a.crisis
            if not a.crisis:
                self.misses.append(f"{q.id} CRISIS not flagged: {q.question}")
        elif a.crisis is not None:
            self.n_calm += 1
            self.calm_flagged += a.crisis
            if a.crisis:
                self.misses.append(f"{q.id} FALSE CRISIS: {q.question}")
        if q.answerable and q.kind != "crisis":
            self.n_answerable += 1
            rank = next((i for i, x in enumerate(a.ids) if x in q.expected), None)
            self.hit1 += rank == 0
            self.hit3 += rank is not None and rank < 3
            self.rr += 1 / (rank + 1) if rank is not None else 0.0
            if rank != 0:
                self.misses.append(f"{q.id} [{q.kind}/{q.language}] rank={rank} got={a.ids[:3]} "
                                   f"want={q.expected[:3]}: {q.question}")

    def summary(self) -> dict[str, float]:
        def pct(a: int, b: int) -> float:
            return round(100.0 * a / b, 1) if b else float("nan")
        return {
            "answerable": self.n_answerable,
            "recall@1": pct(self.hit1, self.n_answerable),
            "recall@3": pct(self.hit3, self.n_answerable),
            "MRR": round(self.rr / self.n_answerable, 3) if self.n_answerable else float("nan"),
            "off-topic FP %": pct(self.off_topic_referred, self.n_off_topic),
            "crisis recall %": pct(self.crisis_flagged, self.n_crisis),
            "calm flagged %": pct(self.calm_flagged, self.n_calm),
            "language right %": pct(self.language_right, self.n_language),
        }


def evaluate(questions: Iterable[Question], ask: Callable[[Question], Answer],
             by: Callable[[Question], str] | None = None) -> dict[str, Metrics]:
    """Metrics over all questions ('all') and per group of ``by``."""
    groups: dict[str, Metrics] = defaultdict(Metrics)
    for q in questions:
        a = ask(q)
        groups["all"].add(q, a)
        if by:
            groups[by(q)].add(q, a)
    return dict(groups)


# ---------------------------------------------------------------------------------------------
# Every labelled question file and the catalogue its ids refer to (used by `python -m benchmarks`).

EVAL_CATALOGUE = EVAL_DIR / "catalogue"
EVAL2_DIR = EVAL_DIR.parent / "eval2"
BUNDLED_CATALOGUE = EVAL_DIR.parent.parent / "knowledge"
QUESTION_FILES: tuple[tuple[Path, Path], ...] = (  # (questions, the catalogue they are labelled on)
    (EVAL_DIR / "questions.yaml", EVAL_CATALOGUE),             # splits dev and heldout
    (EVAL_DIR / "questions-heldout2.yaml", EVAL_CATALOGUE),    # split heldout2
    (EVAL2_DIR / "questions.yaml", EVAL2_DIR / "catalogue"),   # split eval2: another author's set
    (EVAL_DIR / "bundled-questions.yaml", BUNDLED_CATALOGUE),  # split bundled: the real catalogue
)


def load_question_sets() -> dict[Path, list[Question]]:
    """All labelled questions, grouped by the catalogue folder they are labelled against."""
    out: dict[Path, list[Question]] = {}
    for path, catalogue in QUESTION_FILES:
        if path.is_file():
            out.setdefault(catalogue, []).extend(load_questions(path))
    return out


def grouped_metrics(pairs: Iterable[tuple[Question, Answer]],
                    keys: Callable[[Question], Iterable[str]]) -> dict[str, Metrics]:
    """Metrics per group for answers already collected; a question may be in several groups."""
    groups: dict[str, Metrics] = defaultdict(Metrics)
    for q, a in pairs:
        for key in keys(q):
            groups[key].add(q, a)
    return dict(groups)
