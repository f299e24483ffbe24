"""PTV API v11 JSON as it comes: one object, a list, objects keyed by id or a paged answer
(``itemList``), from files. Every problem names the file and the item."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 200 * 1024 * 1024
KEPT_STATUSES = {"Published"}
DROPPED_STATUSES = {"Withdrawn", "Archived", "Deleted", "Removed", "OldPublished", "Draft", "Modified"}
"""Gone, or not yet public (Draft, Modified): not imported."""


@dataclass(frozen=True, order=True)
class PtvProblem:
    source: str
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.item}: {self.message}"


@dataclass
class PtvData:
    """Services and channels read so far, with where each came from."""

    services: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    organizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[PtvProblem] = field(default_factory=list)
    dropped: int = 0
    since: date | None = None

    def add(self, payload: Any, source: str) -> list[str]:
        """Add every PTV object in ``payload``; return the ids of bare ``{id, name}`` entries of
        a paged list (the full objects are fetched separately)."""
        stubs: list[str] = []
        for where, obj in _objects(payload):
            item = f"item {where}"
            if not isinstance(obj, dict):
                self.problems.append(PtvProblem(source, item, "not a JSON object"))
                continue
            kind = kind_of(obj)
            oid = str(obj.get("id") or "")
            if kind is None and oid and set(obj) <= {"id", "name"}:
                stubs.append(oid)
                continue
            if kind is None:
                self.problems.append(PtvProblem(source, item, "not PTV JSON: expected a Service, "
                                                "ServiceChannel or Organization object (with id and "
                                                "serviceNames / serviceChannelNames / organizationNames)"))
                continue
            status = obj.get("publishingStatus") or "Published"
            if status not in KEPT_STATUSES | DROPPED_STATUSES:
                self.problems.append(PtvProblem(source, f"{kind} {oid}",
                                                f"unknown publishingStatus '{status}'"))
                continue
            if status not in KEPT_STATUSES:
                self.dropped += kind == "service"
                continue
            if kind == "service":
                if self.since and _modified(obj) and _modified(obj) < self.since:
                    continue
                self.services[oid] = (source, obj)
            elif kind == "channel":
                self.channels[oid] = obj
            else:
                self.organizations[oid] = obj
        return stubs

    def linked_channel_ids(self) -> set[str]:
        """Channels that the services name but that are not read yet."""
        wanted = {str((link.get("serviceChannel") or {}).get("id"))
                  for _, s in self.services.values() for link in s.get("serviceChannels") or []
                  if isinstance(link, dict)}
        return {c for c in wanted if c and c != "None"} - set(self.channels)


def kind_of(obj: dict[str, Any]) -> str | None:
    """'service', 'channel', 'organization' or None for anything that is not a PTV object."""
    if not obj.get("id"):
        return None
    if "serviceNames" in obj:
        return "service"
    if "serviceChannelNames" in obj:
        return "channel"
    if "organizationNames" in obj:
        return "organization"
    return None


def _modified(obj: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(obj.get("modified"))[:10])
    except ValueError:
        return None


def _objects(payload: Any) -> list[tuple[str, Any]]:
    """(position, object) pairs of a single object, a list, a paged answer or an id→object map."""
    if isinstance(payload, list):
        return [(str(i + 1), x) for i, x in enumerate(payload)]
    if isinstance(payload, dict):
        if "itemList" in payload:
            return _objects(payload.get("itemList") or [])
        if kind_of(payload):
            return [("1", payload)]
        if payload and all(isinstance(v, dict) for v in payload.values()):
            return [(str(k), v) for k, v in payload.items()]
    return [("1", payload)]


def parse_json(text: str | bytes, source: str) -> tuple[Any, PtvProblem | None]:
    """The JSON value, or a problem that says where it breaks off."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        end = len(text.rstrip())
        cut = exc.pos >= end - 1 or exc.msg.startswith("Unterminated")
        hint = " — the file seems cut short (truncated)" if cut else ""
        return None, PtvProblem(source, "-", f"not valid JSON ({exc.msg} at line {exc.lineno}, "
                                             f"column {exc.colno}){hint}")
    except (RecursionError, UnicodeDecodeError) as exc:
        return None, PtvProblem(source, "-", f"not readable JSON ({type(exc).__name__})")


def read_file(path: Path, data: PtvData) -> None:
    """Add the PTV objects of one file to ``data`` (problems go to ``data.problems``)."""
    source = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            data.problems.append(PtvProblem(source, "-", "file is larger than 200 MB"))
            return
        raw = path.read_bytes()
    except OSError as exc:
        data.problems.append(PtvProblem(source, "-", f"cannot read the file: {exc.strerror or exc}"))
        return
    payload, problem = parse_json(raw, source)
    if problem:
        data.problems.append(problem)
        return
    stubs = data.add(payload, source)
    if stubs:
        data.problems.append(PtvProblem(source, f"{len(stubs)} items", "only ids and names: fetch the "
                                        "full objects from the API (give its URL) or save them"))
