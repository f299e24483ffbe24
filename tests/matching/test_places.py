"""Places in a question: case endings, Swedish names, regions, ambiguous common words."""

from __future__ import annotations

import pytest

from bot.catalogue.places import builtin_places
from bot.matching.analysis import default_analyzer
from bot.matching.places import PlaceFinder
from bot.matching.text import tokenize


@pytest.fixture(scope="module")
def finder() -> PlaceFinder:
    return PlaceFinder(builtin_places(), default_analyzer())


@pytest.mark.parametrize("text, kind, name", [
    ("mun mummo on yksinäne kokkolassa", "municipality", "Kokkola"),
    ("ruoka-apua Porissa", "municipality", "Pori"),
    ("liikuntaa Raumalla", "municipality", "Rauma"),
    ("sururyhmä Turussa", "municipality", "Turku"),
    ("Riihimäellä nuorisotila", "municipality", "Riihimäki"),
    ("Hämeenlinnassa", "municipality", "Hämeenlinna"),
    ("Kannuksessa", "municipality", "Kannus"),
    ("Pietarsaaressa", "municipality", "Pietarsaari"),
    ("Var finns matutdelning i Åbo?", "municipality", "Turku"),
    ("sorggrupp i Karleby", "municipality", "Kokkola"),
    ("stöd i Björneborg", "municipality", "Pori"),
    ("Kruunupyyssä", "municipality", "Kruunupyy"),
    ("ensam i Kronoby", "municipality", "Kruunupyy"),
    ("Pargas", "municipality", "Parainen"),
    ("Satakunnassa", "region", "Satakunta"),
    ("Varsinais-Suomessa", "region", "Varsinais-Suomi"),
    ("Keski-Pohjanmaalla", "region", "Keski-Pohjanmaa"),
    ("i Mellersta Österbotten", "region", "Keski-Pohjanmaa"),
    ("Kanta-Hämeessä", "region", "Kanta-Häme"),
    ("asun Vaasassa", "municipality", "Vaasa"),
    # former municipalities people still name (knowledge/builtin/former-municipalities.csv)
    ("Onko Noormarkussa omaishoitajien ryhmiä?", "municipality", "Pori"),
    ("Ikäihmisten ystävätoiminta Kälviällä", "municipality", "Kokkola"),
    ("Teerijärveltä", "municipality", "Kruunupyy"),
    ("finns det något i Terjärv", "municipality", "Kruunupyy"),
    ("asun Perniössä", "municipality", "Salo"),
    ("ruoka-apua Nauvossa", "municipality", "Parainen"),
    ("Hauholla kerho", "municipality", "Hämeenlinna"),
])
def test_place_found(finder: PlaceFinder, text: str, kind: str, name: str) -> None:
    hit = finder.most_specific(finder.find(tokenize(text)))
    assert hit is not None and hit.area.kind == kind and hit.area.name["fi"] == name


@pytest.mark.parametrize("text", [
    "kosken rannalla on kaunista", "mikä on lahti", "kotka lensi", "asdf qwer", "en jaksa enää",
    "pohjalla on vettä", "karjaa laitumella", "junan kisko",
])
def test_common_words_are_not_places(finder: PlaceFinder, text: str) -> None:
    assert finder.find(tokenize(text)) == []
