"""Anonymous statistics (STORE_STATISTICS=1) and the pseudonymous user key.

Statistics hold only topic, municipality and day; concurrent answers are all counted;
answering never waits on the statistics database. Two known problems in bot/storage are
recorded as expected failures (see their reasons).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
from dataclasses import replace

import pytest

from bot.config import sqlite_url
from bot.core.context import Context
from bot.runtime import Runtime
from bot.storage import Database, StatsRepository, UserRepository
from tests.reliability.support import SMALL_CATALOGUE, dump_tables, table_columns

QUESTIONS = [("velkaneuvonta Porissa", None), ("ruoka-apu", "Pori"), ("mathjälp i Åbo", None),
             ("en jaksa enää, haluan kuolla", None), ("zzzz qqqq", "Turku"), ("", None),
             ("ystävä", "Ahvenanmaa"), ("liikuntaa", "853")]


def _runtime(settings_for, database_url: str) -> Runtime:
    settings = replace(settings_for(database_url, SMALL_CATALOGUE), store_statistics=True)
    return Runtime.open(settings)


def _totals(url: str) -> int:
    return sum(row[3] for row in dump_tables(url)["usage_stats"])


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_concurrent_answers_are_all_counted_with_topic_municipality_and_day_only(
        backend, settings_for, tmp_path, request) -> None:
    url = request.getfixturevalue("pg_url") if backend == "postgres" else sqlite_url(tmp_path / "s.db")
    runtime = _runtime(settings_for, url)
    secret = "Xq7tilasto"
    try:
        def work(n: int) -> None:
            for i in range(40):
                question, municipality = QUESTIONS[(n + i) % len(QUESTIONS)]
                runtime.answer(f"{question} {secret}{n}", Context(municipality=municipality))

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        runtime.statistics.flush()
        assert _totals(url) == 8 * 40 and runtime.statistics.dropped == 0
    finally:
        runtime.close()
    assert sorted(table_columns(url)["usage_stats"]) == ["count", "day", "municipality", "topic"]
    rows = dump_tables(url)["usage_stats"]
    assert {r[2] for r in rows} <= {"", "609", "853", "478"}  # Pori, Turku, Mariehamn...
    assert all(re.fullmatch(r"[a-z_]+", r[1]) for r in rows)
    assert secret not in repr(dump_tables(url))


class _Blocked(StatsRepository):
    """A statistics table whose database does not answer until ``release`` is set."""

    def __init__(self, inner: StatsRepository):
        super().__init__(inner.db)
        self.release = threading.Event()
        self.calls = 0

    def record(self, topics: list[str], municipality: str | None) -> None:
        self.calls += 1
        self.release.wait(60)
        super().record(topics, municipality)


def test_answering_never_waits_for_the_statistics_database(settings_for, tmp_path) -> None:
    runtime = _runtime(settings_for, sqlite_url(tmp_path / "s.db"))
    blocked = _Blocked(runtime.stats)
    runtime.statistics.repo = blocked
    try:
        done = threading.Event()

        def ask_many() -> None:
            for question, municipality in QUESTIONS * 5:
                assert runtime.answer(question, Context(municipality=municipality)).text
            done.set()

        worker = threading.Thread(target=ask_many)
        worker.start()
        worker.join(60)  # (the database stays blocked all the while)
        assert done.is_set() and not blocked.release.is_set()
        assert blocked.calls >= 1
    finally:
        blocked.release.set()
        runtime.statistics.flush()
        runtime.close()
    assert _totals(sqlite_url(tmp_path / "s.db")) == len(QUESTIONS) * 5


def test_statistics_survive_a_database_that_fails(settings_for, tmp_path, caplog) -> None:
    runtime = _runtime(settings_for, sqlite_url(tmp_path / "s.db"))

    class Failing(StatsRepository):
        def record(self, topics, municipality):
            raise OSError("the database is away")

    runtime.statistics.repo = Failing(runtime.db)
    try:
        for question, municipality in QUESTIONS * 3:
            assert runtime.answer(question, Context(municipality=municipality)).text
        runtime.statistics.flush()
    finally:
        runtime.close()
    warnings = [r for r in caplog.records if "statistics" in r.getMessage()]
    assert 1 <= len(warnings) <= 3 and not any(r.exc_info for r in warnings)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_replicas_counting_at_once_lose_no_counts(backend, tmp_path, request) -> None:
    url = request.getfixturevalue("pg_url") if backend == "postgres" else sqlite_url(tmp_path / "s.db")
    Database(url).migrate()
    replicas = [Database(url) for _ in range(4)]
    try:
        def count(db: Database) -> None:
            repo = StatsRepository(db)
            for _ in range(50):
                with contextlib.suppress(Exception):  # a lost count is what is measured
                    repo.record(["finances"], "609")

        threads = [threading.Thread(target=count, args=(db,)) for db in replicas]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        for db in replicas:
            db.dispose()
    assert _totals(url) == 4 * 50


def test_the_stored_user_key_cannot_be_computed_from_the_telegram_id(tmp_path) -> None:
    """Keys are HMACs with a random per-deployment secret kept in the database."""
    telegram_id = 731_000_001
    plain = hashlib.sha256(f"telegram:{telegram_id}".encode()).hexdigest()
    keys = []
    for name in ("a", "b"):
        db = Database(sqlite_url(tmp_path / f"{name}.db"))
        db.migrate()
        keys.append(UserRepository(db).key("telegram", telegram_id))
        db.dispose()
    assert not plain.startswith(keys[0]) and keys[0] != keys[1]
