"""The coordinator-editable table from PTV service classes, ontology terms and target groups
to the catalogue's topic and audience codes (``ptv-topics.csv``)."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.catalogue.places import fold
from bot.config import DEFAULT_KNOWLEDGE_DIR

TABLE_NAME = "ptv-topics.csv"
BUNDLED_TABLE = DEFAULT_KNOWLEDGE_DIR / TABLE_NAME
KINDS = ("class", "term", "target")


class TableError(Exception):
    """The table file has a row that cannot be used; the message names file and line."""


@dataclass(frozen=True)
class Codes:
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()


@dataclass
class TopicTable:
    """Rows by kind and key (a code, a URI or a folded Finnish/Swedish label)."""

    rows: dict[tuple[str, str], Codes] = field(default_factory=dict)
    path: Path | None = None

    def lookup(self, kind: str, keys: list[str]) -> Codes | None:
        for key in keys:
            found = self.rows.get((kind, fold(key)))
            if found:
                return found
        return None


@dataclass
class Unmapped:
    """PTV classes and terms of services that got no topic, with how many services had them."""

    classes: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)


def read_table(path: Path, topics: set[str], audiences: set[str]) -> TopicTable:
    """Read ``path``; every code must be a known topic or audience."""
    table = TopicTable(path=path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"kind", "code", "topics", "audiences"} - set(reader.fieldnames or ())
        if missing:
            raise TableError(f"{path}:1: missing column(s): {', '.join(sorted(missing))}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            kind = (row.get("kind") or "").strip()
            code = (row.get("code") or "").strip()
            if kind not in KINDS:
                raise TableError(f"{where}: kind '{kind}' is not one of {', '.join(KINDS)}")
            if not code:
                raise TableError(f"{where}: the code is empty")
            t = tuple((row.get("topics") or "").split())
            a = tuple((row.get("audiences") or "").split())
            for value, known, what in ((t, topics, "topic"), (a, audiences, "audience")):
                bad = [x for x in value if x not in known]
                if bad:
                    raise TableError(f"{where}: unknown {what} '{bad[0]}'")
            table.rows[(kind, fold(code))] = Codes(t, a)
    return table
