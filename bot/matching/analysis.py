"""Word normalisation: each word becomes a set of keys that inflected forms share.

Finnish: libvoikko base forms and compound parts when the library is installed (Debian
``libvoikko1 voikko-fi``), else simplemma. Swedish: simplemma (greedy), a Snowball stem of
its lemma, and a two-part compound split. See ../shared/notes/matching.md for the numbers.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma
import snowballstemmer

log = logging.getLogger(__name__)

WORDBASE = re.compile(r"\(([^)+][^)]*)\)")
MIN_PART = 3
CACHE_WORDS = 30_000  # words whose analysis is kept (a catalogue's are cached per text)


@dataclass(frozen=True)
class Keys:
    """Keys of one word: ``full`` for the word itself, ``parts`` for compound parts,
    ``derived`` for the word a derivation comes from (yksinäisyys → yksinäinen)."""

    full: frozenset[str]
    parts: frozenset[str] = frozenset()
    derived: frozenset[str] = frozenset()

    @property
    def all(self) -> frozenset[str]:
        return self.full | self.parts | self.derived

    def __or__(self, other: "Keys") -> "Keys":
        full = self.full | other.full
        return Keys(full, (self.parts | other.parts) - full,
                    (self.derived | other.derived) - full)


def compound_pieces(wordbases: str) -> list[str]:
    """The words of a voikko compound, derivational endings kept on their word:
    '+omais(omainen)+hoita(hoitaa)+ja(+ja)+yhdistys(…)' → ['omais', 'hoitaja', 'yhdistys']."""
    pieces: list[str] = []
    for seg in re.findall(r"\+([^+(]*)(?:\(([^)]*)\))?", wordbases):
        surface, base = seg
        if base.startswith("+") or (not base and not surface):
            if pieces:
                pieces[-1] += surface
            continue
        if surface and surface != "-":
            pieces.append(surface.casefold().replace("=", ""))
    return pieces


def _windows(pieces: list[str]) -> set[str]:
    """Sub-compounds of consecutive pieces: turva+koti+paikka → turvakoti, kotipaikka."""
    n = len(pieces)
    return {"".join(pieces[i:j]) for i in range(n) for j in range(i + 2, n + 1)
            if (i, j) != (0, n)}


def _load_voikko():  # noqa: ANN202 (optional library object)
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception as exc:  # the library or its dictionary is missing
        log.info("voikko not available (%s); Finnish uses simplemma only", exc)
        return None


class Analyzer:
    """Finnish and Swedish analysers with per-word caches (one per process)."""

    def __init__(self, use_voikko: bool = True):
        self.voikko = _load_voikko() if use_voikko else None
        self._sv_stem = snowballstemmer.stemmer("swedish")
        self.fi = lru_cache(maxsize=CACHE_WORDS)(self._fi)
        self.sv = lru_cache(maxsize=CACHE_WORDS)(self._sv)
        self.fi_analyses = lru_cache(maxsize=CACHE_WORDS)(self._fi_analyses)

    # Finnish -------------------------------------------------------------------------
    def _fi_analyses(self, word: str) -> tuple[tuple[str, str, str], ...]:
        """(baseform, class, wordbases) of each voikko analysis; () without voikko."""
        if self.voikko is None or len(word) > 60:
            return ()
        return tuple((a.get("BASEFORM", ""), a.get("CLASS", ""), a.get("WORDBASES", ""))
                     for a in self.voikko.analyze(word))

    def fi_known(self, word: str) -> bool:
        if self.voikko is not None:
            return bool(self.fi_analyses(word))
        return simplemma.is_known(word, lang="fi")

    def _fi(self, word: str) -> Keys:
        full, parts, derived = {word}, set(), set()
        if "-" in word:
            for piece in word.split("-"):
                if len(piece) >= MIN_PART:
                    parts |= self.fi(piece).all
        analyses = self.fi_analyses(word)
        for base, _cls, bases in analyses:
            base = base.casefold()
            full.add(base)
            found = [b.casefold().replace("=", "") for b in WORDBASE.findall(bases)]
            if len(found) > 1:
                parts.update(b for b in found if len(b) >= MIN_PART and b != base)
                parts.update(_windows(compound_pieces(bases)))
            elif found and found[0] != base:
                derived.add(found[0])  # a derivation: yksinäisyys → yksinäinen
        if not analyses and self.voikko is None:
            full.add(simplemma.lemmatize(word, lang="fi").casefold())
        return Keys(frozenset(full), frozenset(parts - full), frozenset(derived - full - parts))

    # Swedish -------------------------------------------------------------------------
    def sv_known(self, word: str) -> bool:
        return simplemma.is_known(word, lang="sv")

    def _sv_split(self, word: str) -> tuple[str, str] | None:
        """Split a Swedish compound in two known words (matutdelning → mat + utdelning)."""
        best = None
        for i in range(3, len(word) - 2):
            left, right = word[:i], word[i:]
            if len(right) < 4 or not self.sv_known(right):
                continue
            if self.sv_known(left) or (left.endswith("s") and self.sv_known(left[:-1])):
                score = min(len(left), len(right))
                if best is None or score > best[0]:
                    best = (score, left if self.sv_known(left) else left[:-1], right)
        return (best[1], best[2]) if best else None

    def _sv(self, word: str) -> Keys:
        lemma = simplemma.lemmatize(word, lang="sv", greedy=True).casefold()
        full = {word, lemma}
        stems: set[str] = set()
        if "å" in word or self.sv_known(word) or self.sv_known(lemma):
            # Snowball stems over-merge (säkerhet ~ säker, kost ~ kostar): only for words
            stems = {self._sv_stem.stemWord(lemma), self._sv_stem.stemWord(word)} - full
        parts: set[str] = set()
        if len(word) >= 11 or (len(word) >= 7 and not self.sv_known(word)):
            split = self._sv_split(word)
            if split:
                for piece in split:
                    parts |= self.sv(piece).full
        if "-" in word:
            for piece in word.split("-"):
                if len(piece) >= MIN_PART:
                    parts |= self.sv(piece).all
        return Keys(frozenset(full), frozenset(parts - full), frozenset(stems - parts))

    def base_form_only(self, word: str, language: str) -> bool:
        """Whether ``word`` is itself a Finnish base form (yksin, not only a form of yksi)."""
        return language in ("fi", "*") and any(
            base.casefold() == word for base, _, _ in self.fi_analyses(word))

    def keys(self, word: str, language: str) -> Keys:
        """Keys of ``word`` in ``language`` ('fi', 'sv', or '*' for both)."""
        if language == "fi":
            return self.fi(word)
        if language == "sv":
            return self.sv(word)
        return self.fi(word) | self.sv(word)


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    return Analyzer()
