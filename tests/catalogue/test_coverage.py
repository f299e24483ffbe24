"""The coverage report: levels per municipality, need and language; formats; the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from bot.catalogue import load_catalogue
from bot.catalogue.builtins import builtins
from bot.catalogue.coverage import coverage, municipalities_in, render
from tests.test_cli import run

CATALOGUE = """
providers:
  - {id: p, name: {fi: "Testi ry"}, kind: association}
services:
  - {id: kokkola-ystava, provider: p, name: {fi: "Ystäväpiiri"}, topics: [loneliness],
     areas: [Kokkola], languages: [fi]}
  - {id: soite-perhe, provider: p, name: {fi: "Perheneuvola", sv: "Familjerådgivningen"}, topics: [family],
     areas: [Keski-Pohjanmaa], languages: [fi, sv]}
  - {id: pohjanmaa-kris, provider: p, name: {sv: "Krisjouren"}, topics: [crisis],
     areas: [Österbottens välfärdsområde], languages: [sv]}
  - {id: national-talk, provider: p, name: {fi: "Puhelin"}, topics: [mental_health], languages: [fi]}
"""


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "cat" / "services").mkdir(parents=True)
    (tmp_path / "cat" / "services" / "s.yaml").write_text(CATALOGUE, encoding="utf-8")
    return tmp_path / "cat"


def _report(tmp_path: Path, region: str | None = None) -> dict:
    cat = load_catalogue(_folder(tmp_path))
    places = builtins().places
    return coverage(cat, places, municipalities_in(places, cat, region))


def _row(report: dict, name: str) -> dict:
    return next(r for r in report["municipalities"] if r["name"]["fi"] == name)["needs"]


def test_levels_per_municipality_need_and_language(tmp_path: Path) -> None:
    report = _report(tmp_path)
    kokkola, kannus, kronoby = _row(report, "Kokkola"), _row(report, "Kannus"), _row(report, "Kruunupyy")
    assert kokkola["loneliness"]["fi"] == {"level": "local", "services": ["kokkola-ystava"]}
    assert kokkola["loneliness"]["sv"]["level"] == "nothing"
    assert kannus["loneliness"]["fi"]["level"] == "nothing"
    assert kannus["family_support"]["sv"]["level"] == "regional"
    assert kokkola["someone_to_talk_to"]["fi"]["level"] == "national"
    # Kronoby belongs to Pohjanmaa's county: its Swedish crisis service, not Soite's family one
    assert kronoby["sudden_death"]["sv"]["level"] == "regional"
    assert kronoby["family_support"]["fi"]["level"] == "nothing"
    assert {r["region"]["fi"] for r in report["municipalities"]} == {"Keski-Pohjanmaa", "Pohjanmaa"}
    pairs = len(report["municipalities"]) * len(report["needs"])
    assert sum(report["totals"]["fi"].values()) == pairs


def test_region_filter_and_formats(tmp_path: Path) -> None:
    report = _report(tmp_path, "Keski-Pohjanmaa")
    assert {r["region"]["fi"] for r in report["municipalities"]} == {"Keski-Pohjanmaa"}
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert len(rows) == len(report["municipalities"]) * 5 * 2
    assert {"municipality": "Kokkola", "need": "loneliness", "language": "fi", "level": "local",
            "services": "kokkola-ystava"}.items() <= next(
        r for r in rows if r["municipality"] == "Kokkola" and r["need"] == "loneliness").items()
    md = render(report, "md", "sv")
    assert "| Karleby (272) | Mellersta Österbotten | fi ● sv ✗ |" in md
    assert json.loads(render(report, "json"))["totals"] == report["totals"]


def test_command_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    p = run(["coverage", "--knowledge", str(folder), "--region", "Pohjanmaa", "--format", "json"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert {r["region"]["fi"] for r in json.loads(p.stdout)["municipalities"]} == {"Pohjanmaa"}
    p = run(["coverage", "--knowledge", str(folder), "--region", "Atlantis"], tmp_path)
    assert p.returncode == 2 and "Atlantis" in p.stderr

