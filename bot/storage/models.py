"""Tables (SQLAlchemy 2 typed models). Message text has no column anywhere, by design."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class CatalogueState(Base):
    """One row: which catalogue is in the tables; replicas watch ``version``."""

    __tablename__ = "catalogue_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(1000))
    service_count: Mapped[int] = mapped_column(Integer)


class ProviderRow(Base):
    __tablename__ = "providers"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[dict[str, Any]]
    kind: Mapped[str] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(2000))


class ServiceRow(Base):
    __tablename__ = "services"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    provider_id: Mapped[str] = mapped_column(ForeignKey("providers.id"), index=True)
    data: Mapped[dict[str, Any]]
    updated: Mapped[date | None] = mapped_column(Date)


class ServiceTopicRow(Base):
    __tablename__ = "service_topics"
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    topic: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class ServiceAreaRow(Base):
    __tablename__ = "service_areas"
    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"),
                                            primary_key=True)
    area: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class TopicRow(Base):
    __tablename__ = "topics"
    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    data: Mapped[dict[str, Any]]


class SynonymGroupRow(Base):
    __tablename__ = "synonym_groups"
    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    data: Mapped[dict[str, Any]]


class UserPrefsRow(Base):
    """Per user: language, home municipality, professional flag. Nothing else."""

    __tablename__ = "user_prefs"
    user_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(5))
    municipality: Mapped[str | None] = mapped_column(String(3))
    professional: Mapped[bool] = mapped_column(default=False)
    last_seen: Mapped[date | None] = mapped_column(Date)
    """The day the settings were last used; unused settings expire (USER_SETTINGS_EXPIRE_DAYS)."""


class ReportRow(Base):
    """An 'outdated information' report: the service and the reporter's language only."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(String(200), index=True)
    language: Mapped[str] = mapped_column(String(5))
    reported_on: Mapped[date] = mapped_column(Date)


class UsageRow(Base):
    """Anonymous statistics (off by default): topic, municipality and day, never text or ids."""

    __tablename__ = "usage_stats"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    topic: Mapped[str] = mapped_column(String(100), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(3), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class SecretRow(Base):
    """Secrets of this deployment, made at first start and shared by its replicas."""

    __tablename__ = "secrets"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class HandledUpdateRow(Base):
    """A Telegram update id, claimed by the replica answering it and then marked done: with
    several replicas and Telegram's redeliveries, exactly one answers. Ids only, never the
    update's content; pruned after a day."""

    __tablename__ = "telegram_updates"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    claimed_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
