"""The catalogue audit: what a coordinator should check, found per service; formats; the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bot.catalogue import load_catalogue
from bot.catalogue.audit import audit, is_news, render
from tests.test_cli import run

CATALOGUE = """
providers:
  - {id: p, name: {fi: "Testi ry"}, kind: association, url: "https://testi.fi"}
services:
  - {id: shelter-no-phone, provider: p, name: {fi: "Turvakoti"}, topics: [violence, crisis],
     areas: [Pori], languages: [fi], updated: 2026-11-01,
     source: "https://testi.fi/turvakoti", contact: {url: "https://testi.fi/"}}
  - {id: crisis-line, provider: p, name: {fi: "Kriisipuhelin"}, topics: [crisis], languages: [fi],
     updated: 2026-11-01, source: "https://testi.fi/kriisipuhelin",
     contact: {phone: "09 123 4567", url: "https://testi.fi/kriisipuhelin"}}
  - {id: from-news, provider: p, name: {fi: "Ystäväpiiri"}, topics: [loneliness], areas: [Pori],
     languages: [fi], updated: 2024-01-15,
     source: "https://www.sttinfo.fi/tiedote/123/ystavapiiri-alkaa"}
  - {id: unchecked, provider: p, name: {fi: "Ruoka-apu"}, topics: [food_aid], areas: [Pori],
     languages: [fi]}
"""


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "cat" / "services").mkdir(parents=True)
    (tmp_path / "cat" / "services" / "s.yaml").write_text(CATALOGUE, encoding="utf-8")
    return tmp_path / "cat"


def test_findings_per_service(tmp_path: Path) -> None:
    found = audit(load_catalogue(_folder(tmp_path)), today=date(2026, 12, 7))
    got = {(f.service, f.kind) for f in found}
    assert got == {
        ("shelter-no-phone", "crisis_without_phone"), ("shelter-no-phone", "home_page_only"),
        ("from-news", "news_source"), ("from-news", "stale"),
        ("unchecked", "no_source"), ("unchecked", "not_checked"),
    }
    assert found[0].kind == "crisis_without_phone"  # the most urgent first
    assert all(f.file == "services/s.yaml" for f in found)


def test_what_counts_as_news() -> None:
    assert is_news("https://yle.fi/a/74-20070215")
    assert is_news("https://www.pori.fi/uutinen/yleinen/ruoka-apu")
    assert is_news("https://www.karlebysvenskaforsamling.fi/uutiset/-/news/110822993/")
    assert is_news("https://lamminseurakunta.blogspot.com/2024/06/x.html")
    assert is_news("https://kyrkpressen.fi/nyheter/62198-x.html")
    assert not is_news("https://omahame.fi/fi/sosiaali-ja-kriisip%C3%A4ivystys")
    assert not is_news("https://www.varha.fi/sv/tjanster/sosiaalipaivystys-ja-kriisipaivystys")


def test_formats_and_the_cli(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    found = audit(load_catalogue(folder), today=date(2026, 12, 7))
    md = render(found, "md", "sv", 4)
    assert "telefonnummer" in md and "shelter-no-phone" in md
    data = json.loads(render(found, "json", "fi", 4))
    assert data["services"] == 4 and len(data["findings"]) == len(found)
    p = run(["audit", "--knowledge", str(folder), "--format", "json"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert {f["kind"] for f in json.loads(p.stdout)["findings"]} >= {"crisis_without_phone", "news_source"}
    p = run(["audit", "--knowledge", str(folder)], tmp_path)
    assert p.returncode == 0 and "puhelinnumero" in p.stdout


def test_the_bundled_catalogue_is_audited(tmp_path: Path) -> None:
    p = run(["audit", "--format", "json"], tmp_path)
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["services"] >= 120
    shelters = {f["service"] for f in data["findings"] if f["kind"] == "crisis_without_phone"}
    assert "vs-varha-sosiaali-ja-kriisipaivystys" not in shelters  # its number is in now
