"""Storage on both back-ends: SQLite and a real PostgreSQL server started by the test run."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from bot.catalogue import load_catalogue
from bot.storage import CatalogueRepository, Database, ReportRepository, UserPrefs, UserRepository


def test_migrations_create_schema_without_text_columns(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    db.migrate()  # idempotent
    tables = set(inspect(db.engine).get_table_names())
    assert {"services", "providers", "user_prefs", "reports", "alembic_version"} <= tables
    cols = {c["name"] for c in inspect(db.engine).get_columns("user_prefs")}
    assert cols == {"user_key", "language", "municipality", "professional", "last_seen"}
    cols = {c["name"] for c in inspect(db.engine).get_columns("telegram_updates")}
    assert cols == {"update_id", "claimed_until", "done_at"}  # ids only, never content
    db.dispose()


def test_catalogue_round_trip_and_same_rows_twice(database_url: str, small_catalogue_dir: Path) -> None:
    db = Database(database_url)
    db.migrate()
    repo = CatalogueRepository(db)
    assert repo.load() is None
    cat = load_catalogue(small_catalogue_dir)
    repo.replace(cat, "test")
    first = repo.load()
    with db.engine.connect() as c:
        rows1 = c.execute(text("SELECT id, provider_id, data FROM services ORDER BY id")).all()
    repo.replace(load_catalogue(small_catalogue_dir), "test")
    with db.engine.connect() as c:
        rows2 = c.execute(text("SELECT id, provider_id, data FROM services ORDER BY id")).all()
    assert rows1 == rows2
    assert first.services == cat.services and first.version == cat.version == repo.version()
    counts = repo.counts()
    assert counts["topics"]["food_aid"] == 1 and counts["areas"]["country:FI"] == 1
    db.dispose()


def test_user_prefs_and_forget(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    users = UserRepository(db)
    key = users.key("telegram", 12345)
    assert "12345" not in key and users.get(key) is None
    assert UserRepository(db).key("telegram", 12345) == key  # one secret per deployment
    users.save(key, UserPrefs("sv", "272", True))
    assert users.get(key) == UserPrefs("sv", "272", True)
    users.save(key, UserPrefs("fi", None, False))
    assert users.get(key) == UserPrefs("fi", None, False)
    assert users.forget(key) == 1 and users.get(key) is None
    reports = ReportRepository(db)
    reports.add("test-ruoka-apu", "sv")
    assert [(r["service_id"], r["language"]) for r in reports.all()] == [("test-ruoka-apu", "sv")]
    db.dispose()
