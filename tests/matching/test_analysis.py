"""Normalisation and language: inflected forms and compounds share keys; fi/sv detected."""

from __future__ import annotations

import pytest

from bot.matching.analysis import Analyzer, default_analyzer
from bot.matching.language import detect_language
from bot.matching.text import tokenize


@pytest.mark.parametrize("a, b, lang", [
    ("yksinäisyyteen", "yksinäisyys", "fi"),
    ("vertaistukiryhmään", "vertaistukiryhmä", "fi"),
    ("velkojen", "velka", "fi"),
    ("päihteistä", "päihde", "fi"),
    ("sorggrupper", "sorggrupp", "sv"),
    ("skulderna", "skuld", "sv"),
    ("ensamheten", "ensamhet", "sv"),
])
def test_inflected_forms_share_a_key(a: str, b: str, lang: str) -> None:
    an = default_analyzer()
    assert an.keys(a, lang).full & an.keys(b, lang).full


def test_compound_parts() -> None:
    an = default_analyzer()
    assert {"vertainen", "ryhmä"} <= an.keys("vertaistukiryhmään", "fi").parts
    assert {"mat", "utdelning"} <= an.keys("matutdelning", "sv").parts


def test_without_voikko_simplemma_still_lemmatises() -> None:
    an = Analyzer(use_voikko=False)
    assert an.voikko is None
    assert an.keys("päihteet", "fi").full & an.keys("päihde", "fi").full


@pytest.mark.parametrize("text, lang", [
    ("mun mummo on yksinäne kokkolassa", "fi"),
    ("Var finns matutdelning i Åbo?", "sv"),
    ("ruoka-apu Pori", "fi"),
    ("var hittar jag vertaistuki grupp?", "sv"),
    ("min farmor är ensam", "sv"),
    ("velkaneuvonta", "fi"),
])
def test_language(text: str, lang: str) -> None:
    assert detect_language(text, tokenize(text), default_analyzer())[0] == lang
