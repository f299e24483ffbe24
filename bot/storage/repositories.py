"""Small repositories: the only code that reads or writes the tables."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable

from sqlalchemy import delete, func, insert, select

from bot.catalogue.model import Catalogue, Provider
from bot.storage import serialize
from bot.storage.database import Database
from bot.storage.models import (
    CatalogueState, ProviderRow, ReportRow, ServiceAreaRow, ServiceRow, ServiceTopicRow,
    SynonymGroupRow, TopicRow, UsageRow, UserPrefsRow,
)

BATCH = 2000


def _batches(rows: list[dict], size: int = BATCH):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class CatalogueRepository:
    """The catalogue tables, replaced as a whole in one transaction."""

    def __init__(self, db: Database):
        self.db = db

    def version(self) -> str | None:
        with self.db.session() as s:
            return s.scalar(select(CatalogueState.version).where(CatalogueState.id == 1))

    def state(self) -> CatalogueState | None:
        with self.db.session() as s:
            return s.get(CatalogueState, 1)

    def replace(self, cat: Catalogue, source: str,
                progress: Callable[[int], None] | None = None) -> None:
        """Put ``cat`` in place of the stored catalogue, all or nothing."""
        services = [{"id": x.id, "provider_id": x.provider.id, "data": serialize.service_to_data(x),
                     "updated": x.updated} for x in cat.services]
        with self.db.session() as s, s.begin():
            for table in (ServiceAreaRow, ServiceTopicRow, ServiceRow, ProviderRow, TopicRow,
                          SynonymGroupRow):
                s.execute(delete(table))
            if cat.providers:
                s.execute(insert(ProviderRow), [{"id": p.id, "name": p.name, "kind": p.kind,
                                                 "url": p.url} for p in cat.providers])
            for chunk in _batches(services):
                s.execute(insert(ServiceRow), chunk)
                if progress:
                    progress(len(chunk))
            topics = [{"service_id": x.id, "topic": t} for x in cat.services for t in x.topics]
            areas = [{"service_id": x.id, "area": a.key} for x in cat.services for a in x.areas]
            for chunk in _batches(topics):
                s.execute(insert(ServiceTopicRow), chunk)
            for chunk in _batches(areas):
                s.execute(insert(ServiceAreaRow), chunk)
            s.execute(insert(TopicRow), [{"code": t.code, "data": serialize.topic_to_data(t)}
                                         for t in cat.topics])
            if cat.synonyms:
                s.execute(insert(SynonymGroupRow), [{"id": g.id, "data": serialize.group_to_data(g)}
                                                    for g in cat.synonyms])
            state = s.get(CatalogueState, 1) or CatalogueState(id=1)
            state.version = cat.version
            state.loaded_at = datetime.now(timezone.utc)
            state.source = source[:1000]
            state.service_count = len(cat.services)
            s.add(state)

    def load(self) -> Catalogue | None:
        """The stored catalogue, read in one transaction, or None when there is none."""
        with self.db.session() as s, s.begin():
            state = s.get(CatalogueState, 1)
            if state is None:
                return None
            providers = {r.id: Provider(r.id, r.name, r.kind, r.url)
                         for r in s.scalars(select(ProviderRow))}
            services = tuple(serialize.service_from_data(r.data, providers, r.provider_id)
                             for r in s.scalars(select(ServiceRow).order_by(ServiceRow.id)))
            topics = tuple(serialize.topic_from_data(r.code, r.data) for r in s.scalars(select(TopicRow)))
            groups = tuple(serialize.group_from_data(r.id, r.data)
                           for r in s.scalars(select(SynonymGroupRow).order_by(SynonymGroupRow.id)))
            return Catalogue(services, tuple(providers.values()), topics, groups, state.version)

    def counts(self) -> dict[str, dict[str, int]]:
        """Services per topic and per area, for the admin status."""
        with self.db.session() as s:
            topics = dict(s.execute(select(ServiceTopicRow.topic, func.count())
                                    .group_by(ServiceTopicRow.topic)).all())
            areas = dict(s.execute(select(ServiceAreaRow.area, func.count())
                                   .group_by(ServiceAreaRow.area)).all())
        return {"topics": topics, "areas": areas}


@dataclass(frozen=True)
class UserPrefs:
    language: str | None = None
    municipality: str | None = None
    professional: bool = False


def user_key(channel: str, user_id: object) -> str:
    """A pseudonymous key for a channel's user id (the id itself is not stored)."""
    return hashlib.sha256(f"{channel}:{user_id}".encode()).hexdigest()[:40]


class UserRepository:
    """Per-user preferences: language, home municipality, professional view."""

    def __init__(self, db: Database):
        self.db = db

    def get(self, key: str) -> UserPrefs | None:
        with self.db.session() as s:
            row = s.get(UserPrefsRow, key)
            return UserPrefs(row.language, row.municipality, row.professional) if row else None

    def save(self, key: str, prefs: UserPrefs) -> None:
        with self.db.session() as s, s.begin():
            row = s.get(UserPrefsRow, key) or UserPrefsRow(user_key=key)
            row.language, row.municipality, row.professional = (
                prefs.language, prefs.municipality, prefs.professional)
            s.add(row)

    def forget(self, key: str) -> int:
        """Delete everything stored about the user; returns the rows removed."""
        with self.db.session() as s, s.begin():
            return s.execute(delete(UserPrefsRow).where(UserPrefsRow.user_key == key)).rowcount


class ReportRepository:
    """'Outdated information' reports: service id, reporter's language and day only."""

    def __init__(self, db: Database):
        self.db = db

    def add(self, service_id: str, language: str) -> None:
        with self.db.session() as s, s.begin():
            s.add(ReportRow(service_id=service_id, language=language, reported_on=date.today()))

    def all(self) -> list[dict[str, object]]:
        with self.db.session() as s:
            rows = s.scalars(select(ReportRow).order_by(ReportRow.id)).all()
            return [{"id": r.id, "service_id": r.service_id, "language": r.language,
                     "reported_on": r.reported_on.isoformat()} for r in rows]


class StatsRepository:
    """Anonymous usage counts by topic, municipality and day (only when enabled)."""

    def __init__(self, db: Database):
        self.db = db

    def record(self, topics: list[str], municipality: str | None) -> None:
        today = date.today()
        with self.db.session() as s, s.begin():
            for topic, n in Counter(topics or ["none"]).items():
                key = (today, topic, municipality or "")
                row = s.get(UsageRow, key) or UsageRow(day=today, topic=topic,
                                                       municipality=municipality or "", count=0)
                row.count += n
                s.add(row)
