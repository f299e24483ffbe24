"""The core's behaviour on the project's small test catalogue and on hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue import load_catalogue
from bot.core.answer import answer
from bot.core.context import Context
from bot.core.knowledge import KnowledgeBase

SMALL = Path(__file__).resolve().parent.parent / "data" / "small-catalogue"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase(load_catalogue(SMALL))


def ids(reply) -> list[str]:  # noqa: ANN001
    return [r.service.id for r in reply.results]


def test_finnish_question_with_place_and_typo(kb: KnowledgeBase) -> None:
    r = answer("mun mummo on yksinäne kokkolassa", Context(), kb)
    assert r.language == "fi" and r.municipality.code == "272" and not r.crisis
    assert ids(r)[0] == "test-ystavapiiri"
    assert "Ystäväpiiri ikäihmisille" in r.text and r.audience == "elderly"


def test_swedish_question_finds_finnish_only_service_and_says_so(kb: KnowledgeBase) -> None:
    r = answer("min farmor är ensam i Karleby", Context(), kb)
    assert r.language == "sv" and ids(r)[0] == "test-ystavapiiri"
    assert "Obs! Tjänsten ges på: finska." in r.text


def test_swedish_food_aid(kb: KnowledgeBase) -> None:
    r = answer("Var finns matutdelning i Åbo?", Context(), kb)
    assert r.language == "sv" and ids(r) == ["test-ruoka-apu"] and "Mathjälp" in r.text


def test_place_ranks_local_first(kb: KnowledgeBase) -> None:
    r = answer("kriisiapua Porissa", Context(), kb)
    assert ids(r)[0] == "test-kriisikeskus"


def test_home_municipality_from_context(kb: KnowledgeBase) -> None:
    r = answer("yksinäinen vanhus", Context(municipality="Kokkola"), kb)
    assert r.municipality.code == "272" and ids(r)[0] == "test-ystavapiiri"


@pytest.mark.parametrize("q", ["mikä on sää huomenna Porissa?", "kuka voitti jääkiekko-ottelun",
                               "asdf qwer zxcv", "vad blir vädret i morgon i Åbo", "kerro vitsi"])
def test_off_topic_gets_no_referral(kb: KnowledgeBase, q: str) -> None:
    r = answer(q, Context(), kb)
    assert r.results == () and not r.crisis
    assert "palveluohjauksesta" in r.text or "servicehandledningen" in r.text


@pytest.mark.parametrize("q, lang", [
    ("haluan tappaa itseni", "fi"), ("en halua enää elää", "fi"),
    ("mulla on itsemurha-ajatuksia", "fi"), ("mun mies lyö mua just nyt", "fi"),
    ("jag vill inte leva längre", "sv"), ("han hotar att döda mig", "sv"),
    ("jag tänker ta livet av mig", "sv"),
])
def test_crisis_first(kb: KnowledgeBase, q: str, lang: str) -> None:
    r = answer(q, Context(), kb)
    assert r.crisis and r.language == lang
    assert r.text.splitlines()[0].count("112") == 1
    assert "09 2525 0111" in r.text


@pytest.mark.parametrize("q", [
    "isä kuoli viime kuussa, onko sururyhmiä", "min man dog i våras, finns det sorggrupper",
    "veli teki itsemurhan viime vuonna, kaipaan vertaistukea", "vaimo lyö vetoa joka päivä",
    "olen ollut surullinen erosta",
])
def test_calm_is_not_crisis(kb: KnowledgeBase, q: str) -> None:
    assert not answer(q, Context(), kb).crisis


@pytest.mark.parametrize("q", [
    "", "   ", "x" * 100_000, "🙂🙂🙂", "'; DROP TABLE services; --", "\x00\x07\x1b[31m\u202e",
    "ä" * 5000, "<script>alert(1)</script>", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
])
def test_hostile_input_gets_an_answer(kb: KnowledgeBase, q: str) -> None:
    r = answer(q, Context(), kb)
    assert r.text and r.language in ("fi", "sv")


def test_forced_language_and_paging(kb: KnowledgeBase) -> None:
    r = answer("ruoka-apu Turku", Context(language="sv", force_language=True), kb)
    assert r.language == "sv" and "Mathjälp" in r.text
    first = answer("tukea ja apua", Context(limit=1), kb)
    if first.more_available:
        second = answer("tukea ja apua", Context(limit=1, offset=1), kb)
        assert ids(second) and ids(second) != ids(first)


def test_professional_card_has_referral_details(kb: KnowledgeBase) -> None:
    r = answer("kriisikeskus Pori", Context(role="professional"), kb)
    assert "Lähde: https://example.org/kriisi" in r.text and "Kielet: suomi, ruotsi" in r.text
    assert "+358 40 000 0001" in r.text and "Esimerkkikatu 1, 28100 Pori" in r.text
    assert r.results[0].why
