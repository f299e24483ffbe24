"""Finnish municipalities, regions and wellbeing services counties (from knowledge/builtin)."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from bot.catalogue.model import Area
from bot.config import BUILTIN_DIR

COUNTRY = Area("country", "FI", {"fi": "koko Suomi", "sv": "hela Finland"})


def fold(name: str) -> str:
    """Lower-case, trim and NFC-normalise a place name for lookups."""
    return unicodedata.normalize("NFC", name).strip().casefold()


@dataclass(frozen=True)
class Municipality:
    code: str
    name: dict[str, str]
    region: Area
    county: Area

    @property
    def area(self) -> Area:
        return Area("municipality", self.code, self.name)


class Places:
    """Lookup of municipalities, regions and counties by code or Finnish/Swedish name."""

    def __init__(self, municipalities: list[Municipality], aliases: dict[str, str] | None = None):
        self.municipalities = {m.code: m for m in municipalities}
        self._by_name: dict[str, Area] = {}
        for m in municipalities:
            for area in (m.region, m.county):
                for n in area.name.values():
                    self._by_name.setdefault(fold(n), area)
        for m in municipalities:
            self._by_name[m.code] = m.area
            for n in m.name.values():
                self._by_name[fold(n)] = m.area
        for alias, code in (aliases or {}).items():
            self._by_name.setdefault(fold(alias), self.municipalities[code].area)
        for n in ("fi", "suomi", "finland", "koko suomi", "hela finland"):
            self._by_name[n] = COUNTRY
        self.names = sorted(self._by_name)

    def resolve(self, name: str) -> Area | None:
        """The area a catalogue `areas` entry or a user's answer names, if any."""
        key = fold(str(name))
        if key.isdigit() and len(key) < 3:
            key = key.zfill(3)
        return self._by_name.get(key)

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """The closest known names, for an error message or a 'did you mean'."""
        found = process.extract(fold(name), self.names, scorer=JaroWinkler.normalized_similarity,
                                limit=limit, score_cutoff=0.7)
        return [self.display_name(self._by_name[n]) if n.isdigit() else n.title() for n, _, _ in found]

    def display_name(self, area: Area, language: str = "fi") -> str:
        return area.name.get(language) or area.name.get("fi") or area.code

    def municipality(self, code: str) -> Municipality | None:
        return self.municipalities.get(code)


def _read_municipalities(path: Path) -> list[Municipality]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            region = Area("region", r["region_code"], {"fi": r["region_fi"], "sv": r["region_sv"]})
            county = Area("county", r["wellbeing_county_code"],
                          {"fi": r["wellbeing_county_fi"], "sv": r["wellbeing_county_sv"]})
            rows.append(Municipality(r["code"], {"fi": r["name_fi"], "sv": r["name_sv"]}, region, county))
    return rows


def _read_aliases(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {r["alias"]: r["code"] for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def builtin_places() -> Places:
    """The project's own municipality table, read once: today's municipalities, the former
    ones merged into them (a question about Noormarkku is about Pori) and other names people
    use."""
    return Places(_read_municipalities(BUILTIN_DIR / "municipalities.csv"),
                  {**_read_aliases(BUILTIN_DIR / "former-municipalities.csv"),
                   **_read_aliases(BUILTIN_DIR / "place-aliases.csv")})
