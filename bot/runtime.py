"""Wiring for every channel: settings, database, repositories and the knowledge base.

Channels (CLI, Telegram, web) build one :class:`Runtime` and call ``answer()`` and
``reload()`` on it; they never touch storage or the matcher directly.
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from bot.catalogue import CatalogueError, CatalogueProblem, load_catalogue
from bot.config import Settings, load_settings, sqlite_url
from bot.core.answer import answer
from bot.core.context import Context, Reply
from bot.core.knowledge import KnowledgeBase
from bot.storage import (
    CatalogueRepository, Database, ReportRepository, StatsRepository, UserRepository,
)

log = logging.getLogger(__name__)


@dataclass
class ReloadResult:
    ok: bool
    version: str | None = None
    services: int = 0
    providers: int = 0
    seconds: float = 0.0
    errors: list[CatalogueProblem] = field(default_factory=list)
    at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat())

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, "version": self.version, "services": self.services,
                "providers": self.providers, "seconds": round(self.seconds, 3), "at": self.at,
                "errors": [str(e) for e in self.errors]}


class Runtime:
    """One process's state: open it once, share it between channels."""

    def __init__(self, settings: Settings, db: Database, kb: KnowledgeBase):
        self.settings = settings
        self.db = db
        self.kb = kb
        self.catalogues = CatalogueRepository(db)
        self.users = UserRepository(db)
        self.reports = ReportRepository(db)
        self.stats = StatsRepository(db)
        self.started = time.monotonic()
        self.last_reload: ReloadResult | None = None

    @classmethod
    def open(cls, settings: Settings | None = None) -> "Runtime":
        """Migrate the database, load the bundled catalogue into an empty one, index it."""
        settings = settings or load_settings()
        db = Database(settings.database_url)
        repo = CatalogueRepository(db)
        with db.startup_lock():
            db.migrate()
            catalogue = repo.load()
            if catalogue is None:
                log.info("empty database: loading the catalogue in %s", settings.knowledge_dir)
                catalogue = load_catalogue(settings.knowledge_dir)
                repo.replace(catalogue, str(settings.knowledge_dir))
        return cls(settings, db, KnowledgeBase(catalogue))

    @classmethod
    def ephemeral(cls, knowledge_dir: Path, settings: Settings | None = None) -> "Runtime":
        """A runtime over a fresh temporary SQLite database holding ``knowledge_dir``."""
        tmp = Path(tempfile.mkdtemp(prefix="hyteopas-"))
        base = settings or load_settings()
        settings = Settings(**{**base.__dict__, "database_url": sqlite_url(tmp / "db.sqlite3"),
                               "knowledge_dir": Path(knowledge_dir), "data_dir": tmp})
        return cls.open(settings)

    def answer(self, question: str, context: Context) -> Reply:
        """Answer from the in-memory knowledge base. Only when anonymous statistics are on
        (STORE_STATISTICS) is the topic, municipality and day counted, never the text."""
        reply = answer(question, context, self.kb)
        if self.settings.store_statistics:
            area = reply.municipality
            try:
                self.stats.record(list(reply.topics[:1]),
                                  area.code if area and area.kind == "municipality" else None)
            except Exception:  # statistics must never cost an answer
                log.warning("could not record anonymous statistics", exc_info=True)
        return reply

    def reload(self, folder: Path | None = None,
               progress: Callable[[int], None] | None = None) -> ReloadResult:
        """Validate ``folder`` (default: the knowledge folder), store it and swap it in.
        On any error the old catalogue stays in the database and in memory."""
        folder = Path(folder or self.settings.knowledge_dir)
        t0 = time.perf_counter()
        try:
            catalogue = load_catalogue(folder)
        except CatalogueError as exc:
            result = ReloadResult(False, self.kb.version, errors=exc.problems,
                                  seconds=time.perf_counter() - t0)
        else:
            self.catalogues.replace(catalogue, str(folder), progress)
            self.kb.swap(catalogue)
            result = ReloadResult(True, catalogue.version, len(catalogue.services),
                                  len(catalogue.providers), time.perf_counter() - t0)
        self.last_reload = result
        return result

    def refresh_if_changed(self) -> bool:
        """Pick up a catalogue another replica stored; True when one was swapped in."""
        version = self.catalogues.version()
        if version is None or version == self.kb.version:
            return False
        catalogue = self.catalogues.load()
        if catalogue is None or catalogue.version == self.kb.version:
            return False
        self.kb.swap(catalogue)
        return True

    def close(self) -> None:
        self.db.dispose()
