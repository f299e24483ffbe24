"""Places in a question: Porissa, Kokkolassa, Riihimäellä, i Karleby, Björneborg, Satakunnassa.

Finnish puts the place in a case ending; voikko gives the base form, and a case-ending strip
with a close-match check covers the rest. A name that is also a common word (Koski, Lahti,
Salo, Aura) counts only when capitalised or after a Swedish "i".
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from bot.catalogue.model import Area
from bot.catalogue.places import Places, fold
from bot.matching.analysis import Analyzer
from bot.matching.text import STOPWORDS, Token

CASE_ENDINGS = sorted(
    "ssa ssä sta stä lla llä lta ltä lle an än en in un yn on ön hin seen iin ksi na nä n s".split(),
    key=len, reverse=True)
KIND_RANK = {"municipality": 3, "county": 2, "region": 1, "country": 0}
# Municipality names that are also everyday words (koski = rapids, lahti = bay, kotka = eagle).
COMMON_WORD_PLACES = {"aura", "hanko", "ii", "kotka", "lahti", "salo", "vasa", "rusko", "luoto",
                      "kolari", "perho", "koski", "pello", "kemi", "juva", "virrat", "vaala",
                      # former municipalities (knowledge/builtin/former-municipalities.csv)
                      "pohja", "karjaa", "kisko", "lammi", "renko", "lemu", "karis", "pojo"}


@dataclass(frozen=True)
class PlaceHit:
    area: Area
    positions: tuple[int, ...]


class PlaceFinder:
    def __init__(self, places: Places, analyzer: Analyzer):
        self.places = places
        self.analyzer = analyzer
        self._single: dict[str, Area] = {}
        self._multi: dict[str, list[tuple[tuple[str, ...], Area]]] = {}
        self._ambiguous: set[str] = set()
        for name in places.names:
            area = places.resolve(name)
            if area is None or area.kind == "country" or name.isdigit():
                continue
            words = tuple(name.replace(" - ", " ").split())
            if len(words) == 1:
                self._single[name] = area
                if name in COMMON_WORD_PLACES:
                    self._ambiguous.add(name)
            else:
                self._multi.setdefault(words[0], []).append((words, area))

    def _candidates(self, word: str) -> list[str]:
        """Base forms that ``word`` may be an inflection of."""
        out = [word]
        out += [fold(base) for base, _, _ in self.analyzer.fi_analyses(word)]
        if "-" in word:
            head, _, last = word.rpartition("-")
            out += [f"{head}-{fold(b)}" for b, _, _ in self.analyzer.fi_analyses(last)]
        for ending in CASE_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                out.append(word[: -len(ending)])
        return out

    def _lookup(self, word: str) -> tuple[Area, str] | None:
        for cand in self._candidates(word):
            if cand in self._single:
                return self._single[cand], cand
        if self.analyzer.voikko is not None:
            return None
        stripped = [c for c in self._candidates(word)[1:] if len(c) >= 4]
        for cand in stripped:  # gradation the strip misses: riihimäe- ~ riihimäki
            for name, area in self._single.items():
                if name[:4] == cand[:4] and abs(len(name) - len(cand)) <= 2 \
                        and JaroWinkler.normalized_similarity(cand, name) >= 0.93:
                    return area, name
        return None

    def find(self, tokens: list[Token]) -> list[PlaceHit]:
        hits = []
        for i, tok in enumerate(tokens):
            word = tok.lower
            for words, area in self._multi.get(word, ()):
                seq = [t.lower for t in tokens[i:i + len(words)]]
                if len(seq) == len(words) and all(
                        a == b or a.startswith(b[:-1]) for a, b in zip(seq, words)):
                    hits.append(PlaceHit(area, tuple(range(i, i + len(words)))))
            if word in STOPWORDS or len(word) < 2:
                continue
            found = self._lookup(word)
            if found is None:
                continue
            area, name = found
            after_i = i > 0 and tokens[i - 1].lower == "i"
            if name in self._ambiguous and not (after_i or tok.capitalised and (i > 0 or word != name)):
                continue
            hits.append(PlaceHit(area, (i,)))
        return hits

    @staticmethod
    def most_specific(hits: list[PlaceHit]) -> PlaceHit | None:
        if not hits:
            return None
        return max(hits, key=lambda h: (KIND_RANK[h.area.kind], -h.positions[0]))
