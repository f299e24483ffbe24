"""`import-ptv`: read PTV JSON (files or the API), map it, check the result together with the
folder's own files, and only then replace ``services/ptv.yaml``. Nothing is written on error."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.catalogue import CatalogueError, load_catalogue
from bot.catalogue.builtins import builtins
from bot.catalogue.model import Area
from bot.ptv.client import PtvClient
from bot.ptv.mapping import MappingProblem, ServiceMapper, texts
from bot.ptv.reader import PtvData, PtvProblem, read_file
from bot.ptv.topics import BUNDLED_TABLE, TABLE_NAME, TopicTable, Unmapped, read_table

OUTPUT = Path("services") / "ptv.yaml"
HEADER = """\
# Imported from PTV (Palvelutietovaranto, suomi.fi) by `python -m bot import-ptv` on {today}.
# This file is written anew at every import: do not edit it. To change an entry, copy it
# (same id) into a file of your own under services/: your copy wins over the imported one.
# Topics come from {table}.
"""


@dataclass
class ImportResult:
    problems: list[PtvProblem | str] = field(default_factory=list)
    written: Path | None = None
    services: int = 0
    providers: int = 0
    skipped_unmapped: int = 0
    skipped_not_for_residents: int = 0
    skipped_area: int = 0
    dropped: int = 0
    unmapped: Unmapped = field(default_factory=Unmapped)

    @property
    def ok(self) -> bool:
        return not self.problems


def topic_table(out: Path, given: Path | None) -> TopicTable:
    """The table given, else the catalogue folder's own ``ptv-topics.csv``, else the bundled one."""
    b = builtins()
    path = given or (out / TABLE_NAME if (out / TABLE_NAME).is_file() else BUNDLED_TABLE)
    return read_table(path, {t.code for t in b.topics}, set(b.audiences))


def _in_areas(names: list[str], wanted: list[Area]) -> bool:
    places = builtins().places
    for name in names:
        area = places.resolve(name)
        for w in wanted:
            if area == w:
                return True
            m = places.municipality(w.code) if w.kind == "municipality" else None
            if m and area in (m.region, m.county):
                return True
            if area is not None and area.kind == "municipality" and w.kind in ("region", "county"):
                mm = places.municipality(area.code)
                if mm and w in (mm.region, mm.county):
                    return True
    return False


def read_sources(sources: list[str], areas: list[str], since: date | None) -> PtvData:
    data = PtvData(since=since)
    client: PtvClient | None = None
    for source in sources:
        if source.startswith(("http://", "https://")):
            client = client or PtvClient(data)
            client.read(source, areas, since)
        else:
            read_file(Path(source), data)
    return data


def build(data: PtvData, mapper: ServiceMapper, areas: list[Area],
          result: ImportResult) -> dict[str, Any]:
    """The services file content; mapping problems go to ``result.problems``."""
    providers: dict[str, dict[str, Any]] = {}
    services: list[dict[str, Any]] = []
    for sid, (source, s) in sorted(data.services.items()):
        names = texts(s.get("serviceNames"))
        item = f"service {sid}" + (f" ({next(iter(names.values()))})" if names else "")
        try:
            mapped = mapper.map(s, data.channels, data.organizations)
        except MappingProblem as exc:
            result.problems.append(PtvProblem(source, item, str(exc)))
            continue
        if mapped is None:
            if mapper.for_residents(s):
                result.skipped_unmapped += 1
            else:
                result.skipped_not_for_residents += 1
            continue
        if areas and not _in_areas(mapped.service.get("areas", ["FI"]), areas):
            result.skipped_area += 1
            continue
        providers.setdefault(mapped.provider["id"], mapped.provider)
        services.append(mapped.service)
    result.services, result.providers = len(services), len(providers)
    return {"imported": "ptv", "providers": list(providers.values()), "services": services}


def _check_and_write(out: Path, content: dict[str, Any], header: str, result: ImportResult) -> None:
    """Load the folder with the new file in place of the old one; write only if it loads."""
    text = header + yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)
    with tempfile.TemporaryDirectory(prefix="ptv-check-") as tmp:
        trial = Path(tmp) / "catalogue"
        if out.is_dir():
            shutil.copytree(out, trial, ignore=lambda d, names: [n for n in names if n.startswith(".")])
        (trial / OUTPUT).parent.mkdir(parents=True, exist_ok=True)
        (trial / OUTPUT).write_text(text, encoding="utf-8")
        try:
            load_catalogue(trial)
        except CatalogueError as exc:
            result.problems += [str(p) for p in exc.problems]
            return
    target = out / OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".ptv-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp_name, target)
    result.written = target


def import_ptv(sources: list[str], out: Path, areas: list[str] | None = None,
               since: date | None = None, table: Path | None = None) -> ImportResult:
    """Import ``sources`` into catalogue folder ``out`` (see the module docstring)."""
    result = ImportResult()
    places = builtins().places
    wanted: list[Area] = []
    for code in areas or []:
        area = places.resolve(code)
        if area is None:
            result.problems.append(f"--area: unknown municipality or region '{code}'")
        else:
            wanted.append(area)
    mapper = ServiceMapper(places, topic_table(out, table))
    if result.problems:
        return result
    api_areas = [a.code for a in wanted if a.kind == "municipality"]
    data = read_sources(sources, api_areas, since)
    result.problems += sorted(data.problems)
    result.dropped = data.dropped
    content = build(data, mapper, wanted, result)
    result.unmapped = mapper.unmapped
    if result.problems:
        return result
    if not content["services"]:
        result.problems.append("nothing to import: no service got a topic (see the unmapped "
                               "classes and terms below) or none is in the areas asked for")
        return result
    header = HEADER.format(today=date.today().isoformat(), table=mapper.table.path.name
                           if mapper.table.path else TABLE_NAME)
    _check_and_write(out, content, header, result)
    return result
