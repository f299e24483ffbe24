"""The fi↔sv synonym/concept layer: words and phrases that name the same need.

Each synonym group (knowledge/synonyms.yaml, a catalogue's synonyms.yaml, and each topic's
label and words) becomes a concept. A text "has" a concept when one of the group's entries
occurs in it: a one-word entry by any shared key, a phrase by its words in order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from bot.catalogue.model import Catalogue, SynonymGroup
from bot.matching.analysis import Analyzer, Keys
from bot.matching.text import STOPWORDS, tokenize

TOPIC_PREFIX = "topic:"


@dataclass(frozen=True)
class Concept:
    id: str
    topics: tuple[str, ...]
    audiences: tuple[str, ...]
    off_topic: bool = False


@dataclass(frozen=True)
class ConceptHit:
    concept: Concept
    positions: tuple[int, ...]
    strength: float  # 1.0 for a whole-word hit, less for a compound-part hit


class ConceptMatcher:
    """Finds concepts in analysed token sequences."""

    def __init__(self, catalogue: Catalogue, analyzer: Analyzer):
        self.concepts: dict[str, Concept] = {}
        self._single: dict[str, set[str]] = defaultdict(set)
        self._short: dict[str, set[str]] = defaultdict(set)  # "aa", "bi": exact words only
        self._phrases: dict[str, list[tuple[str, tuple[frozenset[str], ...]]]] = defaultdict(list)
        groups = list(catalogue.synonyms)
        for t in catalogue.topics:
            words = {lang: (t.label[lang], *t.words.get(lang, ())) for lang in t.label}
            for lang, extra in t.words.items():
                words.setdefault(lang, extra)
            groups.append(SynonymGroup(TOPIC_PREFIX + t.code, words, (t.code,)))
        for g in groups:
            self.concepts[g.id] = Concept(g.id, g.topics, g.audiences, g.off_topic)
            for lang, entries in g.words.items():
                for entry in entries:
                    self._add(g.id, entry, lang, analyzer)

    def _add(self, cid: str, entry: str, lang: str, analyzer: Analyzer) -> None:
        toks = [t.lower for t in tokenize(entry.casefold())]
        content = [w for w in toks if w not in STOPWORDS] or toks
        if not content:
            return
        lang = lang if lang in ("fi", "sv") else "*"
        keysets = tuple(frozenset({w}) if analyzer.base_form_only(w, lang)
                        else analyzer.keys(w, lang).full for w in toks)
        if len(toks) == 1 and len(toks[0]) <= 3:
            self._short[toks[0]].add(cid)
        elif len(toks) == 1:
            for k in keysets[0]:
                self._single[k].add(cid)
        else:
            for k in keysets[0]:
                self._phrases[k].append((cid, keysets))

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every key that can start a concept (built once)."""
        return frozenset(self._single) | frozenset(self._phrases) | frozenset(self._short)

    def find(self, keys: list[Keys], words: list[str]) -> list[ConceptHit]:
        """Concepts in a text given as its words and their keys, in order. A phrase wins
        over the single words inside it; a stopword counts only inside a phrase."""
        best: dict[str, ConceptHit] = {}

        def hit(cid: str, positions: tuple[int, ...], strength: float) -> None:
            old = best.get(cid)
            if old is None:
                best[cid] = ConceptHit(self.concepts[cid], positions, strength)
            else:
                best[cid] = ConceptHit(self.concepts[cid],
                                       tuple(sorted(set(old.positions) | set(positions))),
                                       max(strength, old.strength))

        in_phrase: set[int] = set()
        for i, k in enumerate(keys):
            for key in k.full:
                for cid, seq in self._phrases.get(key, ()):
                    if i + len(seq) <= len(keys) and all(
                            keys[i + j].full & seq[j] for j in range(1, len(seq))):
                        hit(cid, tuple(range(i, i + len(seq))), 1.0)
                        in_phrase.update(range(i, i + len(seq)))
        for i, k in enumerate(keys):
            if i in in_phrase or words[i] in STOPWORDS:
                continue
            for cid in self._short.get(words[i], ()):
                hit(cid, (i,), 1.0)
            for key in k.full:
                if len(key) > 3:
                    for cid in self._single.get(key, ()):
                        hit(cid, (i,), 1.0)
            for key in k.parts:
                if len(key) >= 4:
                    for cid in self._single.get(key, ()):
                        hit(cid, (i,), 0.6)
        return list(best.values())
