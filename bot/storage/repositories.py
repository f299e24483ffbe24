"""Small repositories: the only code that reads or writes the tables."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.catalogue.model import Catalogue, Provider
from bot.storage import serialize
from bot.storage.database import Database
from bot.storage.models import (
    CatalogueState, HandledUpdateRow, ProviderRow, ReportRow, SecretRow, ServiceAreaRow,
    ServiceRow, ServiceTopicRow, SynonymGroupRow, TopicRow, UsageRow, UserPrefsRow,
)

BATCH = 2000
SMALLEST_COUNT = 5
"""Statistics show no count under this (a small count could point at a person)."""


def _dialect_insert(db: Database):  # noqa: ANN202 (the dialect's insert construct)
    return pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert


def _insert_ignore(db: Database, model: type, values: dict[str, object]):  # noqa: ANN202
    return _dialect_insert(db)(model).values(**values).on_conflict_do_nothing()


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


class UserRepository:
    """Per-user preferences: language, home municipality, professional view. Users are
    stored under a keyed hash of their channel id (:meth:`key`), never the id itself."""

    def __init__(self, db: Database):
        self.db = db
        self._secret: bytes | None = None
        self._touched: tuple[date, set[str]] = (date.min, set())

    def _key_secret(self) -> bytes:
        """This deployment's random secret, made once and shared through the database."""
        if self._secret is None:
            with self.db.session() as s, s.begin():
                row = s.get(SecretRow, "user_key")
                if row is None:
                    s.execute(_insert_ignore(self.db, SecretRow,
                                             {"name": "user_key", "value": secrets.token_hex(32)}))
                    row = s.get(SecretRow, "user_key", populate_existing=True)
                self._secret = bytes.fromhex(row.value)
        return self._secret

    def key(self, channel: str, user_id: object) -> str:
        """The pseudonymous key of a channel's user: whoever holds only the database cannot
        tell which user id it belongs to."""
        return hmac.new(self._key_secret(), f"{channel}:{user_id}".encode(),
                        hashlib.sha256).hexdigest()[:40]

    def get(self, key: str) -> UserPrefs | None:
        with self.db.session() as s:
            row = s.get(UserPrefsRow, key)
            return UserPrefs(row.language, row.municipality, row.professional) if row else None

    def save(self, key: str, prefs: UserPrefs) -> None:
        with self.db.session() as s, s.begin():
            row = s.get(UserPrefsRow, key) or UserPrefsRow(user_key=key)
            row.language, row.municipality, row.professional = (
                prefs.language, prefs.municipality, prefs.professional)
            row.last_seen = date.today()
            s.add(row)

    def touch(self, key: str) -> None:
        """Note that the user's settings were used today (they expire when unused); one write
        per user and day in this process."""
        today = date.today()
        if self._touched[0] != today:
            self._touched = (today, set())
        if key in self._touched[1]:
            return
        with self.db.session() as s, s.begin():
            s.execute(update(UserPrefsRow)
                      .where(UserPrefsRow.user_key == key, UserPrefsRow.last_seen < today)
                      .values(last_seen=today))
        self._touched[1].add(key)

    def expire(self, unused_days: int) -> int:
        """Delete the settings not used for ``unused_days`` days; returns how many."""
        cutoff = date.today() - timedelta(days=unused_days)
        with self.db.session() as s, s.begin():
            return s.execute(delete(UserPrefsRow).where(UserPrefsRow.last_seen < cutoff)).rowcount

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
        """Add the counts in one atomic upsert, so replicas counting at once lose nothing."""
        today = date.today()
        rows = [{"day": today, "topic": topic, "municipality": municipality or "", "count": n}
                for topic, n in Counter(topics or ["none"]).items()]
        ins = _dialect_insert(self.db)(UsageRow)
        stmt = ins.on_conflict_do_update(index_elements=["day", "topic", "municipality"],
                                         set_={"count": UsageRow.count + ins.excluded.count})
        with self.db.engine.begin() as conn:
            conn.execute(stmt, rows)

    def summary(self, since: date | None = None, smallest: int = SMALLEST_COUNT) -> list[dict[str, object]]:
        """Counts by day, municipality and topic, oldest first. A count under ``smallest`` could
        point at a person in a small municipality: it is not shown as such but added to the
        day's ``municipality: "other"`` row of its topic, which is itself shown only when it
        reaches ``smallest``."""
        query = select(UsageRow.day, UsageRow.municipality, UsageRow.topic, UsageRow.count)
        if since is not None:
            query = query.where(UsageRow.day >= since)
        with self.db.session() as s:
            rows = s.execute(query.order_by(UsageRow.day, UsageRow.municipality, UsageRow.topic)).all()
        shown: list[dict[str, object]] = []
        other: Counter[tuple[date, str]] = Counter()
        for day, municipality, topic, count in rows:
            if count >= smallest and municipality:
                shown.append({"day": day.isoformat(), "municipality": municipality,
                              "topic": topic, "count": count})
            else:
                other[(day, topic)] += count
        shown += [{"day": day.isoformat(), "municipality": "other", "topic": topic, "count": n}
                  for (day, topic), n in sorted(other.items()) if n >= smallest]
        return sorted(shown, key=lambda r: (r["day"], r["municipality"] == "other",
                                            r["municipality"], r["topic"]))


class UpdateRepository:
    """Telegram update ids being answered or answered (never their content), so that with
    several replicas and Telegram's redeliveries exactly one replica answers each update."""

    def __init__(self, db: Database):
        self.db = db

    def claim(self, update_id: int, lease_seconds: float) -> str:
        """``"claimed"``: answer it now (and call :meth:`done`); ``"done"``: answered already;
        ``"busy"``: another replica is answering it. A claim older than ``lease_seconds`` is
        taken over (its replica died before answering)."""
        now = datetime.now(timezone.utc)
        until = now + timedelta(seconds=lease_seconds)
        with self.db.engine.begin() as conn:
            new = _insert_ignore(self.db, HandledUpdateRow,
                                 {"update_id": update_id, "claimed_until": until})
            if conn.execute(new.returning(HandledUpdateRow.update_id)).first() is not None:
                return "claimed"
            taken = conn.execute(update(HandledUpdateRow).where(
                HandledUpdateRow.update_id == update_id, HandledUpdateRow.done_at.is_(None),
                HandledUpdateRow.claimed_until < now).values(claimed_until=until)).rowcount
            if taken:
                return "claimed"
            done = conn.scalar(select(HandledUpdateRow.done_at)
                               .where(HandledUpdateRow.update_id == update_id))
            return "done" if done is not None else "busy"

    def done(self, update_id: int) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(update(HandledUpdateRow).where(HandledUpdateRow.update_id == update_id)
                         .values(done_at=datetime.now(timezone.utc)))

    def release(self, update_id: int) -> None:
        """Give up a claim without answering, so that a redelivery is answered at once."""
        with self.db.engine.begin() as conn:
            conn.execute(delete(HandledUpdateRow).where(HandledUpdateRow.update_id == update_id,
                                                        HandledUpdateRow.done_at.is_(None)))

    def prune(self, keep: timedelta = timedelta(days=1)) -> int:
        """Forget ids older than ``keep`` (Telegram redelivers for much less than a day)."""
        with self.db.engine.begin() as conn:
            return conn.execute(delete(HandledUpdateRow).where(
                HandledUpdateRow.claimed_until < datetime.now(timezone.utc) - keep)).rowcount
