"""From a question to ranked services: analysis, scoring, place/audience weighting, gating."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from bot.catalogue.model import Area, Catalogue, Service
from bot.catalogue.places import Places, builtin_places
from bot.matching.analysis import Analyzer, Keys, default_analyzer
from bot.matching.concepts import ConceptHit, ConceptMatcher
from bot.matching.index import ServiceIndex
from bot.matching.language import detect_language
from bot.matching.places import PlaceFinder, PlaceHit
from bot.matching.text import STOPWORDS, Token, fold, normalise, tokenize

WEAK_WORDS = {"apu", "apua", "tuki", "tukea", "palvelu", "neuvonta", "ryhmä", "hjälp", "stöd",
              "tjänst", "grupp", "rådgivning", "info", "tietoa", "ohjaus", "asia", "juttu"}
TYPO_CUTOFF = 0.88
OUTSIDE_CONCEPT_WEIGHT = 0.8  # a word outside every need the question names counts less
CONCEPT_WEIGHT = 1.3
TOPIC_WEIGHT = 1.1
PART_QUERY_WEIGHT = 0.45
MIN_SCORE = 2.0
LEXICAL_ONLY_MIN_SCORE = 6.0
LEXICAL_ONLY_COVERAGE = 0.5  # with no need recognised, most words must match a service
RELATIVE_CUTOFF = 0.3
PLACE = {"local": 1.3, "regional": 1.15, "nationwide": 1.0, "elsewhere": 0.3, "unplaced_local": 0.85}
AUDIENCE = {"match": 1.25, "other": 0.55, "unasked_restricted": 0.9, "unasked_young": 0.65}
OTHER_LANGUAGE = 0.85
OFF_TOPIC_FACTOR = 0.7
# Safety first: when a question speaks of violence or a crisis besides other needs,
# those needs lead.
TOPIC_PRIORITY = {"violence": 1.4, "crisis": 1.2}


@dataclass
class Analysis:
    """What the matcher read from a question."""

    text: str
    tokens: list[Token]
    keys: list[Keys]
    language: str | None
    language_confidence: float
    places: list[PlaceHit]
    concepts: list[ConceptHit]
    corrected: dict[int, str] = field(default_factory=dict)  # token position → vocabulary word

    @property
    def place(self) -> Area | None:
        hit = PlaceFinder.most_specific(self.places)
        return hit.area if hit else None

    @property
    def topics(self) -> list[str]:
        out: dict[str, float] = {}
        for h in self.concepts:
            if not h.concept.off_topic:
                for t in h.concept.topics:
                    out[t] = max(out.get(t, 0.0), h.strength)
        return sorted(out, key=lambda t: -out[t])

    @property
    def audiences(self) -> list[str]:
        return list(dict.fromkeys(a for h in self.concepts for a in h.concept.audiences))


@dataclass(frozen=True)
class Match:
    service: Service
    score: float
    why: tuple[str, ...]


class Matcher:
    """Built once per catalogue; ``analyse`` + ``rank`` answer in milliseconds."""

    def __init__(self, catalogue: Catalogue, analyzer: Analyzer | None = None,
                 places: Places | None = None):
        self.catalogue = catalogue
        self.analyzer = analyzer or default_analyzer()
        self.places = places or builtin_places()
        self.concepts = ConceptMatcher(catalogue, self.analyzer)
        self.place_finder = PlaceFinder(self.places, self.analyzer)
        self.index = ServiceIndex(catalogue, self.analyzer, self.concepts, self.places)
        self._typo_candidates: dict[str, tuple[list[str], list[str]]] = {}
        for word in self.index.vocabulary:  # by first letter: typos rarely hit the first one
            folded = fold(word)
            folded_list, words = self._typo_candidates.setdefault(folded[:1], ([], []))
            folded_list.append(folded)
            words.append(word)
        self.topic_labels = {t.code: t.label for t in catalogue.topics}

    # ------------------------------------------------------------------ analysis
    def _known(self, word: str, k: Keys) -> bool:
        if any(key in self.index.key_ids or key in self.concepts.vocabulary for key in k.all):
            return True
        return self.analyzer.fi_known(word) or self.analyzer.sv_known(word)

    def _correct(self, word: str) -> str | None:
        """The catalogue or concept word ``word`` is most likely a typo of, if any."""
        folded = fold(word)
        candidates = self._typo_candidates.get(folded[:1])
        if len(word) < 5 or not candidates:
            return None
        found = process.extractOne(folded, candidates[0], scorer=JaroWinkler.normalized_similarity,
                                   score_cutoff=TYPO_CUTOFF)
        return candidates[1][found[2]] if found else None

    def analyse(self, question: str) -> Analysis:
        text = normalise(question)
        tokens = tokenize(text)
        keys = [self.analyzer.keys(t.lower, "*") for t in tokens]
        corrected = {}
        for i, t in enumerate(tokens):
            if t.lower in STOPWORDS or t.lower.isdigit() or self._known(t.lower, keys[i]):
                continue
            fix = self._correct(t.lower)
            if fix:
                corrected[i] = fix
                fixed = self.analyzer.keys(fix, "*")
                keys[i] = keys[i] | fixed
        language, confidence = detect_language(text, tokens, self.analyzer)
        return Analysis(text, tokens, keys, language, confidence,
                        self.place_finder.find(tokens),
                        self.concepts.find(keys, [t.lower for t in tokens]), corrected)

    # ------------------------------------------------------------------ ranking
    def _lexical(self, a: Analysis, place_positions: set[int]) -> tuple[np.ndarray, set[int], int]:
        """Word scores, the content token positions that matched, and the content count."""
        idx = self.index
        total = np.zeros(idx.n, dtype=np.float32)
        matched, content = set(), 0
        concept_positions = {p for h in a.concepts if not h.concept.off_topic for p in h.positions}
        for i, (tok, k) in enumerate(zip(a.tokens, a.keys)):
            if tok.lower in STOPWORDS or i in place_positions or tok.lower.isdigit() \
                    or len(tok.lower) < 2:
                continue
            content += 1
            weight = 0.3 if tok.lower in WEAK_WORDS else (0.8 if i in a.corrected else 1.0)
            if concept_positions and i not in concept_positions:
                weight *= OUTSIDE_CONCEPT_WEIGHT
            scores = np.zeros(idx.n, dtype=np.float32)
            hit = False
            for key in k.full:
                hit |= idx.bm25(key, scores, weight)
            for key in k.parts | k.derived:
                if len(key) >= 4:
                    hit |= idx.bm25(key, scores, weight * PART_QUERY_WEIGHT)
            if hit or i in concept_positions:
                matched.add(i)
            total += scores
        return total, matched, content

    def _concepts(self, a: Analysis, extra_topics: tuple[str, ...]) -> np.ndarray:
        idx = self.index
        total = np.zeros(idx.n, dtype=np.float32)
        for t in extra_topics:
            idx.bm25("t:" + t, total, 2 * TOPIC_WEIGHT)
        for h in a.concepts:
            if h.concept.off_topic:
                continue
            scores = np.zeros(idx.n, dtype=np.float32)
            idx.bm25("c:" + h.concept.id, scores, CONCEPT_WEIGHT * h.strength)
            for t in h.concept.topics:
                idx.bm25("t:" + t, scores, TOPIC_WEIGHT * h.strength * TOPIC_PRIORITY.get(t, 1.0))
            total += scores
        return total

    def _place_factor(self, place: Area | None) -> np.ndarray:
        idx = self.index
        if place is None:
            return np.where(idx.nationwide, 1.0, PLACE["unplaced_local"]).astype(np.float32)
        f = np.full(idx.n, PLACE["elsewhere"], dtype=np.float32)
        f[idx.nationwide] = PLACE["nationwide"]
        if place.kind == "municipality":
            m = self.places.municipality(place.code)
            if m is not None:
                for wide in (m.region, m.county):
                    f[idx.mask("at:" + wide.key)] = PLACE["regional"]
            f[idx.mask("at:" + place.key)] = PLACE["local"]
        else:
            f[idx.mask("in:" + place.key)] = PLACE["local"]
        return f

    def _audience_factor(self, audience: str | None) -> np.ndarray:
        idx = self.index
        if audience is None:
            f = np.where(idx.restricted, AUDIENCE["unasked_restricted"], 1.0).astype(np.float32)
            f[idx.young_only] = AUDIENCE["unasked_young"]
            return f
        f = np.where(idx.restricted, AUDIENCE["other"], 1.0).astype(np.float32)
        f[idx.mask_audience(audience)] = AUDIENCE["match"]
        return f

    def _topic_factor(self, topics: list[str], extra: tuple[str, ...]) -> np.ndarray:
        """Services with none of the question's topics step back (an incidental word match)."""
        if not topics and not extra:
            return np.ones(self.index.n, dtype=np.float32)
        on_topic = np.zeros(self.index.n, dtype=bool)
        for t in (*topics, *extra):
            on_topic |= self.index.mask("t:" + t)
        return np.where(on_topic, 1.0, OFF_TOPIC_FACTOR).astype(np.float32)

    def _language_factor(self, language: str) -> np.ndarray:
        return np.where(self.index.mask_language(language), 1.0, OTHER_LANGUAGE).astype(np.float32)

    def rank(self, a: Analysis, *, language: str, place: Area | None, audience: str | None,
             limit: int = 3, offset: int = 0,
             extra_topics: tuple[str, ...] = ()) -> tuple[list[Match], bool]:
        """Services for the question, best first, and whether more are available.
        ``extra_topics`` are needs the caller knows of besides the words (crisis)."""
        if self.index.n == 0:
            return [], False
        place_positions = {p for h in a.places for p in h.positions}
        lexical, matched, content = self._lexical(a, place_positions)
        topical = a.topics
        off_topic = any(h.concept.off_topic for h in a.concepts)
        if not extra_topics:
            if content == 0 or not matched:
                return [], False
            coverage = len(matched) / content
            off_positions = {p for h in a.concepts if h.concept.off_topic for p in h.positions}
            need_positions = {p for h in a.concepts if h.strength >= 1.0 and h.concept.topics
                              and not h.concept.off_topic for p in h.positions}
            if (off_topic and len(off_positions) >= len(need_positions)) \
                    or (not topical and coverage < LEXICAL_ONLY_COVERAGE):
                return [], False
        relevance = lexical + self._concepts(a, extra_topics)
        best_relevance = float(relevance.max())
        if best_relevance < (MIN_SCORE if topical or extra_topics else LEXICAL_ONLY_MIN_SCORE):
            return [], False
        final = (relevance * self._place_factor(place) * self._audience_factor(audience)
                 * self._language_factor(language) * self._topic_factor(topical, extra_topics))
        top = float(final.max())
        candidates = np.flatnonzero((final >= max(MIN_SCORE * 0.5, top * RELATIVE_CUTOFF))
                                    & (relevance >= MIN_SCORE * 0.75))
        keep = candidates[np.argsort(-final[candidates], kind="stable")].tolist()
        page = keep[offset:offset + limit]
        return [Match(self.index.services[i], float(final[i]), self._why(a, i, matched))
                for i in page], len(keep) > offset + limit

    def _why(self, a: Analysis, i: int, matched: set[int]) -> tuple[str, ...]:
        words = []
        for pos in sorted(matched):
            k = a.keys[pos]
            if any(self.index.has(key, i) for key in k.all) or any(
                    pos in h.positions and self.index.has("c:" + h.concept.id, i) for h in a.concepts):
                words.append(a.tokens[pos].surface)
        topics = [t for t in a.topics if self.index.has("t:" + t, i)]
        return tuple(dict.fromkeys(words)) + tuple(f"topic:{t}" for t in topics)
