"""Which municipalities have which core needs covered, and how near: a municipality × need
matrix (local / regional / national only / nothing) per language, for coordinators."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.catalogue.model import Catalogue, Service
from bot.catalogue.places import Municipality, Places
from bot.catalogue.yamlsource import parse_yaml
from bot.config import BUILTIN_DIR
from bot.i18n import translator

LEVELS = ("local", "regional", "national", "nothing")
"""Best first: the municipality itself, its region or county, the whole country, none."""
LANGUAGES = ("fi", "sv")
SYMBOLS = {"local": "●", "regional": "◐", "national": "○", "nothing": "✗"}
FORMATS = ("md", "csv", "json")


@dataclass(frozen=True)
class Need:
    code: str
    name: dict[str, str]
    topics: frozenset[str]


@lru_cache(maxsize=1)
def core_needs() -> tuple[Need, ...]:
    """The needs of knowledge/builtin/needs.yaml."""
    data = parse_yaml((BUILTIN_DIR / "needs.yaml").read_text(encoding="utf-8")).data
    return tuple(Need(code, {"fi": spec["fi"], "sv": spec["sv"]}, frozenset(spec["topics"]))
                 for code, spec in data["needs"].items())


@dataclass(frozen=True)
class Cell:
    level: str
    services: tuple[str, ...]
    """Ids of the services at that level."""


def _level(service: Service, m: Municipality) -> str:
    best = "nothing"
    for area in service.areas:
        if area.kind == "municipality" and area.code == m.code:
            return "local"
        if area.key in (m.region.key, m.county.key):
            best = "regional"
        elif area.kind == "country" and best == "nothing":
            best = "national"
    return best


def cell(services: list[Service], m: Municipality, language: str) -> Cell:
    """The best level at which ``services`` reach ``m`` in ``language``."""
    found: dict[str, list[str]] = {}
    for s in services:
        if language in s.languages:
            found.setdefault(_level(s, m), []).append(s.id)
    for level in LEVELS[:-1]:
        if level in found:
            return Cell(level, tuple(found[level]))
    return Cell("nothing", ())


def municipalities_in(places: Places, catalogue: Catalogue, region: str | None) -> list[Municipality] | None:
    """The municipalities of ``region`` (a region or county name), or by default of every region
    where the catalogue has a local or regional service; None for an unknown region."""
    if region:
        area = places.resolve(region)
        if area is None or area.kind not in ("region", "county"):
            return None
        return [m for m in places.municipalities.values() if area.key in (m.region.key, m.county.key)]
    keys = set()
    for s in catalogue.services:
        for a in s.areas:
            if a.kind in ("region", "county"):
                keys.add(a.key)
            elif a.kind == "municipality" and (m := places.municipality(a.code)):
                keys.add(m.region.key)
    return [m for m in places.municipalities.values() if m.region.key in keys or m.county.key in keys]


def coverage(catalogue: Catalogue, places: Places, municipalities: list[Municipality],
             needs: tuple[Need, ...] | None = None) -> dict[str, Any]:
    """The matrix as plain data (the JSON format)."""
    needs = needs or core_needs()
    by_need = {n.code: [s for s in catalogue.services if n.topics & set(s.topics)] for n in needs}
    rows = []
    counts = {lang: {level: 0 for level in LEVELS} for lang in LANGUAGES}
    for m in sorted(municipalities, key=lambda m: (m.region.name["fi"], m.name["fi"])):
        cells: dict[str, dict[str, Any]] = {}
        for n in needs:
            cells[n.code] = {}
            for lang in LANGUAGES:
                c = cell(by_need[n.code], m, lang)
                counts[lang][c.level] += 1
                cells[n.code][lang] = {"level": c.level, "services": list(c.services)}
        rows.append({"code": m.code, "name": m.name, "region": m.region.name, "county": m.county.name,
                     "needs": cells})
    return {"catalogue": catalogue.version,
            "needs": [{"code": n.code, "name": n.name, "topics": sorted(n.topics)} for n in needs],
            "municipalities": rows, "totals": counts}


def render(report: dict[str, Any], fmt: str, language: str = "fi") -> str:
    """The report as Markdown (for reading), CSV (for a spreadsheet) or JSON."""
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2)
    t = translator(language)
    labels = {"local": t("local"), "regional": t("regional"), "national": t("national only"),
              "nothing": t("nothing")}
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["municipality_code", "municipality", "region", "need", "language", "level", "services"])
        for r in report["municipalities"]:
            for need, by_lang in r["needs"].items():
                for lang, c in by_lang.items():
                    w.writerow([r["code"], r["name"][language], r["region"][language], need, lang,
                                c["level"], " ".join(c["services"])])
        return out.getvalue()
    needs = report["needs"]
    title = t("Coverage of the core needs")
    lines = [f"# {title}", "",
             " · ".join(f"{SYMBOLS[level]} {labels[level]}" for level in LEVELS), "",
             "| " + " | ".join([t("Municipality"), t("Region")] + [n["name"][language] for n in needs]) + " |",
             "|" + "---|" * (2 + len(needs))]
    for r in report["municipalities"]:
        cells = [" ".join(f"{lang} {SYMBOLS[c['level']]}" for lang, c in r["needs"][n["code"]].items())
                 for n in needs]
        lines.append("| " + " | ".join([f"{r['name'][language]} ({r['code']})", r["region"][language], *cells]) + " |")
    lines.append("")
    pairs = len(report["municipalities"]) * len(needs)
    for lang in LANGUAGES:
        near = report["totals"][lang]["local"] + report["totals"][lang]["regional"]
        lines.append(t("{lang}: {near} of {pairs} municipality–need pairs have a local or regional "
                       "option.").format(lang=lang, near=near, pairs=pairs))
    return "\n".join(lines) + "\n"
