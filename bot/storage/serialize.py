"""Catalogue objects to and from the JSON kept in the database."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from bot.catalogue.model import Address, Area, Contact, Provider, Service, SynonymGroup, Topic


def service_to_data(s: Service) -> dict[str, Any]:
    d = asdict(s)
    d.pop("provider")
    d["updated"] = s.updated.isoformat() if s.updated else None
    return d


def service_from_data(d: dict[str, Any], providers: dict[str, Provider], provider_id: str) -> Service:
    c = d.get("contact") or {}
    addr = c.get("address")
    return Service(
        id=d["id"], provider=providers[provider_id], name=d["name"], summary=d["summary"],
        topics=tuple(d["topics"]), areas=tuple(Area(**a) for a in d["areas"]),
        languages=tuple(d["languages"]), description=d.get("description") or {},
        keywords={k: tuple(v) for k, v in (d.get("keywords") or {}).items()},
        audiences=tuple(d.get("audiences") or ()), cost=d.get("cost"), online=d.get("online", False),
        access=d.get("access") or {}, hours=d.get("hours") or {},
        contact=Contact(c.get("phone"), c.get("email"), c.get("url"), Address(**addr) if addr else None),
        updated=date.fromisoformat(d["updated"]) if d.get("updated") else None,
        source=d.get("source"), file=d.get("file", ""),
    )


def topic_to_data(t: Topic) -> dict[str, Any]:
    return {"label": t.label, "words": {k: list(v) for k, v in t.words.items()}}


def topic_from_data(code: str, d: dict[str, Any]) -> Topic:
    return Topic(code, d["label"], {k: tuple(v) for k, v in d["words"].items()})


def group_to_data(g: SynonymGroup) -> dict[str, Any]:
    return {"words": {k: list(v) for k, v in g.words.items()}, "topics": list(g.topics),
            "audiences": list(g.audiences), "off_topic": g.off_topic}


def group_from_data(gid: str, d: dict[str, Any]) -> SynonymGroup:
    return SynonymGroup(gid, {k: tuple(v) for k, v in d["words"].items()}, tuple(d["topics"]),
                        tuple(d["audiences"]), d.get("off_topic", False))
