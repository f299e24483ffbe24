"""The in-memory index of a catalogue: weighted keys per service, as numpy postings.

A service's text fields are analysed in their own language; each key gets the field's
weight (name > keywords > summary > topic > description > provider). Concepts found in the
text (``c:<id>``), the service's topic codes (``t:<code>``) and its areas (``in:…``/``at:…``)
are keys too, so one structure answers words, concepts, topics and places.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

import numpy as np

from bot.catalogue.model import Area, Catalogue, Service
from bot.catalogue.places import Places
from bot.matching.analysis import Analyzer
from bot.matching.concepts import ConceptMatcher
from bot.matching.text import STOPWORDS, tokenize

FIELD_WEIGHTS = {"name": 3.0, "keywords": 2.5, "summary": 1.5, "description": 0.6, "provider": 0.5}
PART_WEIGHT = 0.5
TOPIC_WEIGHTS = (3.0, 1.5)  # the first topic of a service, the others
K1, B = 1.2, 0.3
MIN_N = 50
TEXT_CACHE = 200_000


@dataclass
class Postings:
    idx: np.ndarray  # service indexes, ascending
    tf: np.ndarray  # weighted term frequency per service


class ServiceIndex:
    def __init__(self, catalogue: Catalogue, analyzer: Analyzer, concepts: ConceptMatcher,
                 places: Places):
        self.services: tuple[Service, ...] = catalogue.services
        self.n = len(self.services)
        self.analyzer = analyzer
        self.concepts = concepts
        self._text_cache: dict[tuple[str, str], tuple[tuple[str, float, bool], ...]] = {}
        key_ids: dict[str, int] = {}
        term_col, doc_col, weight_col = array("i"), array("i"), array("f")
        lengths = np.zeros(self.n, dtype=np.float32)
        for i, s in enumerate(self.services):
            terms = self._terms(s)
            lengths[i] = sum(w for k, w in terms.items() if not k.startswith(("t:", "c:")))
            terms.update(dict.fromkeys(self._area_keys(s.areas, places), 1.0))
            terms.update({"aud:" + c: 1.0 for c in s.audiences})
            terms.update({"lang:" + c: 1.0 for c in s.languages})
            for key, w in terms.items():
                term_col.append(key_ids.setdefault(key, len(key_ids)))
                doc_col.append(i)
                weight_col.append(w)
        self._text_cache.clear()
        self.avg_len = float(lengths.mean()) if self.n else 1.0
        self.norm = (K1 * (1 - B + B * lengths / max(self.avg_len, 1e-6))).astype(np.float32)
        self._pack(key_ids, term_col, doc_col, weight_col)
        del term_col, doc_col, weight_col
        self.nationwide = np.array([s.nationwide for s in self.services], dtype=bool)
        self.restricted = np.array([bool(s.audiences) for s in self.services], dtype=bool)
        self.young_only = np.array([bool(s.audiences) and set(s.audiences) <= {"children", "youth"}
                                    for s in self.services], dtype=bool)
        self.vocabulary = sorted({k for k in self.key_ids if ":" not in k and len(k) >= 4}
                                 | {k for k in concepts.vocabulary if len(k) >= 4})

    def _pack(self, key_ids: dict[str, int], terms: array, docs: array, weights: array) -> None:
        """Group the (key, service, weight) triples by key into one CSR structure: key k's
        services are ``docs[starts[k]:starts[k + 1]]`` (compact: no object per key)."""
        t = np.frombuffer(terms, dtype=np.int32)
        order = np.lexsort((np.frombuffer(docs, dtype=np.int32), t))
        self.key_ids = key_ids
        self.docs = np.frombuffer(docs, dtype=np.int32)[order]
        self.weights = np.frombuffer(weights, dtype=np.float32)[order]
        counts = np.bincount(t, minlength=len(key_ids))
        self.starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    def get(self, key: str) -> Postings | None:
        """The services that have ``key`` and its weight in each (views, no copies)."""
        k = self.key_ids.get(key)
        if k is None:
            return None
        a, b = self.starts[k], self.starts[k + 1]
        return Postings(self.docs[a:b], self.weights[a:b])

    def _analyse_text(self, text: str, lang: str) -> tuple[tuple[str, float, bool], ...]:
        """(key, weight multiplier, is a concept) for one text; cached, since catalogues
        repeat texts (provider names, keywords, areas)."""
        cached = self._text_cache.get((text, lang))
        if cached is not None:
            return cached
        toks = tokenize(text, limit=400)
        keys = [self.analyzer.keys(t.lower, lang) for t in toks]
        out: dict[str, float] = {}
        for tok, k in zip(toks, keys):
            if tok.lower in STOPWORDS or len(tok.lower) < 2 or tok.lower.isdigit():
                continue
            for key in k.full:
                out[key] = out.get(key, 0.0) + 1.0
            for key in k.parts | k.derived:
                out[key] = out.get(key, 0.0) + PART_WEIGHT
        result = tuple((key, w, False) for key, w in out.items()) + tuple(
            ("c:" + hit.concept.id, hit.strength, True)
            for hit in self.concepts.find(keys, [t.lower for t in toks]))
        if len(self._text_cache) < TEXT_CACHE:
            self._text_cache[(text, lang)] = result
        return result

    def _add_text(self, terms: dict[str, float], text: str, lang: str, weight: float) -> None:
        for key, w, concept in self._analyse_text(text, lang):
            if concept:
                terms[key] = max(terms.get(key, 0.0), weight * w)
            else:
                terms[key] = terms.get(key, 0.0) + weight * w

    def _terms(self, s: Service) -> dict[str, float]:
        terms: dict[str, float] = {}
        fields = {"name": s.name, "summary": s.summary, "description": s.description,
                  "provider": s.provider.name}
        for fname, text in fields.items():
            for lang, value in text.items():
                self._add_text(terms, value, lang if lang in ("fi", "sv") else "*",
                               FIELD_WEIGHTS[fname])
        for lang, words in s.keywords.items():
            for w in words:
                self._add_text(terms, w, lang if lang in ("fi", "sv") else "*",
                               FIELD_WEIGHTS["keywords"])
        for j, code in enumerate(s.topics):
            terms["t:" + code] = TOPIC_WEIGHTS[min(j, 1)]
        return terms

    @staticmethod
    def _area_keys(areas: tuple[Area, ...], places: Places) -> set[str]:
        keys = set()
        for a in areas:
            keys.add("at:" + a.key)
            if a.kind == "municipality":
                m = places.municipality(a.code)
                if m:
                    keys |= {"in:" + a.key, "in:" + m.region.key, "in:" + m.county.key}
            elif a.kind in ("region", "county"):
                keys.add("in:" + a.key)
        return keys

    def idf(self, key: str) -> float:
        """BM25 idf, as if the catalogue had at least ``MIN_N`` services: a tiny catalogue
        must not make every word look common."""
        p = self.get(key)
        df = 0 if p is None else len(p.idx)
        return math.log(1 + (max(self.n, MIN_N) - df + 0.5) / (df + 0.5))

    def bm25(self, key: str, out: np.ndarray, weight: float = 1.0) -> bool:
        """out[i] = max(out[i], weight × BM25 of ``key`` in service i); True if any hit."""
        p = self.get(key)
        if p is None:
            return False
        contrib = weight * self.idf(key) * p.tf * (K1 + 1) / (p.tf + self.norm[p.idx])
        out[p.idx] = np.maximum(out[p.idx], contrib)
        return True

    def mask(self, key: str) -> np.ndarray:
        m = np.zeros(self.n, dtype=bool)
        p = self.get(key)
        if p is not None:
            m[p.idx] = True
        return m

    def mask_audience(self, code: str) -> np.ndarray:
        return self.mask("aud:" + code)

    def mask_language(self, code: str) -> np.ndarray:
        return self.mask("lang:" + code)

    def has(self, key: str, i: int) -> bool:
        p = self.get(key)
        if p is None:
            return False
        j = int(np.searchsorted(p.idx, i))
        return j < len(p.idx) and int(p.idx[j]) == i
