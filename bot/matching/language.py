"""Which language a question is in: fi or sv (lingua, checked against word lists)."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

from bot.matching.analysis import Analyzer
from bot.matching.text import FI_STOPWORDS, SV_STOPWORDS, Token

SV_MARKERS = {"i", "och", "jag", "min", "mitt", "mina", "är", "var", "finns", "för", "det", "att",
              "som", "med", "på", "hur", "vad", "kan", "vill", "behöver", "hjälp", "stöd"}


@lru_cache(maxsize=1)
def _detector():  # noqa: ANN202
    return LanguageDetectorBuilder.from_languages(
        Language.FINNISH, Language.SWEDISH, Language.ENGLISH).with_low_accuracy_mode().build()


def detect_language(text: str, tokens: list[Token], analyzer: Analyzer) -> tuple[str | None, float]:
    """('fi' | 'sv' | None, confidence 0..1). None when the text gives no evidence."""
    words = [t.lower for t in tokens if not t.lower.isdigit()]
    if not words:
        return None, 0.0
    fi = sv = 0.0
    for w in words:
        in_fi = w in FI_STOPWORDS or analyzer.fi_known(w)
        in_sv = w in SV_STOPWORDS or w in SV_MARKERS or analyzer.sv_known(w)
        if "å" in w:
            in_sv, in_fi = True, False
        if in_fi and not in_sv:
            fi += 1
        elif in_sv and not in_fi:
            sv += 1
    conf = {v.language: v.value for v in _detector().compute_language_confidence_values(text)}
    fi += 1.5 * conf.get(Language.FINNISH, 0.0)
    sv += 1.5 * conf.get(Language.SWEDISH, 0.0)
    if fi == sv:
        return None, 0.0
    total = fi + sv
    return ("fi", fi / total) if fi > sv else ("sv", sv / total)
