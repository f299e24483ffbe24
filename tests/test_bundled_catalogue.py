"""The bundled catalogue (knowledge/) keeps the contract and the project's curation rules."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from bot.catalogue import load_catalogue
from bot.catalogue.builtins import builtins
from bot.config import DEFAULT_KNOWLEDGE_DIR

MAX_AGE = timedelta(days=2 * 365)
PILOT_REGIONS = {"04": "Satakunta", "05": "Kanta-Häme", "16": "Keski-Pohjanmaa", "02": "Varsinais-Suomi"}
PILOT_EXTRA = {"16": {"288"}}  # Kruunupyy/Kronoby (region Pohjanmaa) belongs to the Keski-Pohjanmaa pilot


def test_bundled_catalogue_loads_without_errors_or_warnings() -> None:
    warnings: list = []
    cat = load_catalogue(DEFAULT_KNOWLEDGE_DIR, warnings)
    assert not warnings, warnings
    assert len(cat.services) >= 120


def test_every_service_is_curated(bundled_catalogue) -> None:
    today = date.today()
    for s in bundled_catalogue.services:
        assert s.source and s.source.startswith(("https://", "http://")), s.id
        assert s.updated and today - s.updated <= MAX_AGE, f"{s.id}: updated {s.updated}"
        assert s.name and s.summary, s.id
        assert s.summary.get("fi") or s.summary.get("sv"), s.id


def test_every_topic_has_services_in_finnish_and_swedish(bundled_catalogue) -> None:
    codes = {t.code for t in builtins().topics}
    used = {t for s in bundled_catalogue.services for t in s.topics}
    assert used <= {t.code for t in bundled_catalogue.topics}
    assert codes <= used, f"topics without services: {codes - used}"
    for code in codes:
        fi = [s for s in bundled_catalogue.services if code in s.topics and "fi" in s.languages]
        sv = [s for s in bundled_catalogue.services if code in s.topics and "sv" in s.summary]
        assert fi and sv, code


def test_pilot_regions_have_local_services_of_all_kinds(bundled_catalogue) -> None:
    places = builtins().places
    for code, name in PILOT_REGIONS.items():
        local = [s for s in bundled_catalogue.services if any(
            (a.kind == "region" and a.code == code) or (
                a.kind == "municipality" and (places.municipality(a.code).region.code == code
                                              or a.code in PILOT_EXTRA.get(code, ())))
            for a in s.areas)]
        kinds = Counter(s.provider.kind for s in local)
        assert len(local) >= 20, f"{name}: {len(local)} local services"
        assert {"association", "municipality", "parish"} <= set(kinds), f"{name}: {dict(kinds)}"
