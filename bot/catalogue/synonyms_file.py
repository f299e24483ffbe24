"""Reading `synonyms.yaml` and `topics.yaml`, whose shapes the contract leaves open.

Accepted shapes, so that other catalogues load too:
- synonyms: a list of groups, ``{groups: [...]}`` or ``{group-id: group}``; a group is a plain
  list of words or ``{id, fi: [...], sv: [...], topics: [...], audiences: [...]}``;
- topics: ``{code: {fi: label, sv: label, words: {fi: [...], sv: [...]}}}`` or a list of
  ``{code, name: {fi, sv}, keywords|synonyms|words: {...}}``.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.catalogue.model import SynonymGroup, Topic
from bot.catalogue.schema import _words


class Reporter(Protocol):
    data: Any

    def problem(self, path: tuple[Any, ...], item: str, message: str,
                warning: bool = False) -> None: ...


def _entries(data: Any, key: str) -> list[tuple[tuple[Any, ...], str | None, Any]]:
    """(path, id-or-None, value) for each entry of a list, ``{key: [...]}`` or a mapping."""
    if isinstance(data, dict) and isinstance(data.get(key), list):
        return [((key, i), None, v) for i, v in enumerate(data[key])]
    if isinstance(data, list):
        return [((i,), None, v) for i, v in enumerate(data)]
    if isinstance(data, dict):
        return [((k,), str(k), v) for k, v in data.items()]
    return []


def _codes(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def read_synonyms(src: Reporter, topics: set[str], audiences: set[str],
                  prefix: str) -> list[SynonymGroup]:
    """Synonym groups of one file; unknown topic or audience codes are reported."""
    groups = []
    for n, (path, gid, raw) in enumerate(_entries(src.data, "groups")):
        if isinstance(raw, list):
            raw = {"*": raw}
        if not isinstance(raw, dict):
            src.problem(path, gid or "-", "a synonym group is a list of words or {fi: [..], sv: [..]}")
            continue
        gid = str(raw.get("id") or gid or f"{prefix}-{n}")
        try:
            words = _words({k: v for k, v in raw.items() if k in ("fi", "sv", "en")})
            if "*" in raw:
                words.update(_words(raw["*"]))
        except ValueError as exc:
            src.problem(path, gid, str(exc))
            continue
        topic_codes, audience_codes = _codes(raw.get("topics")), _codes(raw.get("audiences"))
        for c in topic_codes:
            if c not in topics:
                src.problem((*path, "topics"), gid, f"unknown topic '{c}'")
        for c in audience_codes:
            if c not in audiences:
                src.problem((*path, "audiences"), gid, f"unknown audience '{c}'")
        groups.append(SynonymGroup(
            id=f"{prefix}:{gid}", words={k: tuple(v) for k, v in words.items() if v},
            topics=topic_codes, audiences=audience_codes, off_topic=bool(raw.get("off_topic")),
        ))
    return groups


def read_topics(src: Reporter, topics: dict[str, Topic]) -> dict[str, Topic]:
    """Built-in topics extended with a catalogue's extra topics and labels."""
    out = dict(topics)
    for path, code, raw in _entries(src.data, "topics"):
        if not isinstance(raw, dict):
            src.problem(path, code or "-", "a topic is a mapping such as {fi: label, sv: label}")
            continue
        code = str(raw.get("code") or raw.get("id") or code or "")
        if not code:
            src.problem(path, "-", "a topic needs a code")
            continue
        names = raw.get("name") or raw.get("label") or {}
        label = {k: str(raw.get(k) or names.get(k)) for k in ("fi", "sv", "en")
                 if isinstance(names, dict) and (raw.get(k) or names.get(k))
                 and not isinstance(raw.get(k), (list, dict))}
        try:
            words = _words(raw.get("words") or raw.get("synonyms") or raw.get("keywords"))
        except ValueError as exc:
            src.problem(path, code, str(exc))
            continue
        old = out.get(code)
        merged = {k: tuple(dict.fromkeys((*(old.words.get(k, ()) if old else ()), *v)))
                  for k, v in words.items()}
        if old:
            merged = {**old.words, **merged}
        out[code] = Topic(code, {**(old.label if old else {}), **label} or {"fi": code}, merged)
    return out
