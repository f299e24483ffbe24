"""Wiring for every channel: settings, database, repositories and the knowledge base.

Channels (CLI, Telegram, web) build one :class:`Runtime` and call ``answer()`` and
``reload()`` on it; they never touch storage or the matcher directly.
"""

from __future__ import annotations

import atexit
import logging
import queue
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
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
    CatalogueRepository, Database, ReportRepository, StatsRepository, UpdateRepository,
    UserRepository,
)

log = logging.getLogger(__name__)

ANSWER_THREADS = 4
STORAGE_THREADS = 4


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


class StatsWriter:
    """Anonymous statistics written by one background thread, so that answering never waits
    on (or fails with) the database, and the counts of concurrent answers add up instead of
    overwriting each other. When the database is away the counts of that moment are lost."""

    def __init__(self, repo: StatsRepository, capacity: int = 10_000):
        self.repo = repo
        self.dropped = 0
        self._queue: queue.Queue[tuple[list[str], str | None] | None] = queue.Queue(capacity)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._failures = 0

    def count(self, topics: list[str], municipality: str | None) -> None:
        """Count one answer (its first topic, if any) for ``municipality`` today."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="statistics", daemon=True)
                self._thread.start()
                atexit.register(self.close)
        try:
            self._queue.put_nowait((topics, municipality))
        except queue.Full:
            self.dropped += 1

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            by_area: dict[str | None, list[str]] = {}
            for item in batch:
                if item is not None:
                    by_area.setdefault(item[1], []).extend(item[0] or ["none"])
            try:
                for area, topics in by_area.items():
                    self.repo.record(topics, area)
                if self._failures:
                    log.info("anonymous statistics: the database is reachable again")
                self._failures = 0
            except Exception as exc:  # noqa: BLE001 (statistics must never cost an answer)
                self._failures += 1
                if self._failures == 1 or self._failures % 100 == 0:
                    log.warning("could not record anonymous statistics (%s)", type(exc).__name__)
            finally:
                for _ in batch:
                    self._queue.task_done()
            if None in batch:
                return

    def flush(self) -> None:
        """Wait until every count made so far is written (or failed)."""
        if self._thread is not None:
            self._queue.join()

    def close(self, timeout: float = 10.0) -> None:
        """Write what is pending and stop the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is None:
            return
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            return
        thread.join(timeout)


class Runtime:
    """One process's state: open it once, share it between channels.

    Channels run answers in ``answer_pool`` and database calls in ``storage_pool``, so that
    a database that is slow or locked never holds up an answer."""

    def __init__(self, settings: Settings, db: Database, kb: KnowledgeBase):
        self.settings = settings
        self.db = db
        self.kb = kb
        self.catalogues = CatalogueRepository(db)
        self.users = UserRepository(db)
        self.reports = ReportRepository(db)
        self.stats = StatsRepository(db)
        self.updates = UpdateRepository(db)
        self.statistics = StatsWriter(self.stats)
        self.answer_pool = ThreadPoolExecutor(ANSWER_THREADS, thread_name_prefix="answer")
        self.storage_pool = ThreadPoolExecutor(STORAGE_THREADS, thread_name_prefix="storage")
        self.started = time.monotonic()
        self.last_reload: ReloadResult | None = None
        self._temporary: Path | None = None

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
        runtime = cls(settings, db, KnowledgeBase(catalogue))
        runtime.users.key("startup", 0)  # read (or make) the user-key secret while the DB is up
        runtime.housekeeping()
        return runtime

    @classmethod
    def ephemeral(cls, knowledge_dir: Path, settings: Settings | None = None) -> "Runtime":
        """A runtime over a fresh temporary SQLite database holding ``knowledge_dir``."""
        tmp = Path(tempfile.mkdtemp(prefix="hyteopas-"))
        base = settings or load_settings()
        settings = Settings(**{**base.__dict__, "database_url": sqlite_url(tmp / "db.sqlite3"),
                               "knowledge_dir": Path(knowledge_dir), "data_dir": tmp})
        try:
            runtime = cls.open(settings)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        runtime._temporary = tmp
        atexit.register(runtime.close)
        return runtime

    def answer(self, question: str, context: Context) -> Reply:
        """Answer from the in-memory knowledge base. Only when anonymous statistics are on
        (STORE_STATISTICS) is the topic, municipality and day counted, never the text (in
        the background: answering never waits on the database)."""
        reply = answer(question, context, self.kb)
        if self.settings.store_statistics:
            area = reply.municipality
            self.statistics.count(list(reply.topics[:1]),
                                  area.code if area and area.kind == "municipality" else None)
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

    def housekeeping(self) -> None:
        """Delete user settings unused for ``user_settings_expire_days`` and update ids
        older than a day (at start and daily)."""
        expired = self.users.expire(self.settings.user_settings_expire_days)
        self.updates.prune()
        if expired:
            log.info("deleted the settings of %d users unused for %d days", expired,
                     self.settings.user_settings_expire_days)

    def close(self) -> None:
        """Flush statistics, close the database; remove an ephemeral runtime's folder."""
        self.answer_pool.shutdown(wait=False, cancel_futures=True)
        self.storage_pool.shutdown(wait=False, cancel_futures=True)
        self.statistics.close()
        self.db.dispose()
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None
