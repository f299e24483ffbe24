"""Shared fixtures: catalogues, runtimes, and a real PostgreSQL server started by the run."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from bot.config import DEFAULT_KNOWLEDGE_DIR, load_settings, sqlite_url
from tests.support.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "eval"
_db_names = itertools.count()


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer().start()
    yield server
    server.cleanup()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty PostgreSQL database on the test run's server."""
    return postgres_server.create_database(f"t{os.getpid()}_{next(_db_names)}")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both storage back-ends: a SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "db.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def bundled_catalogue():
    from bot.catalogue import load_catalogue

    return load_catalogue(DEFAULT_KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def bundled_kb(bundled_catalogue):
    from bot.core.knowledge import KnowledgeBase

    return KnowledgeBase(bundled_catalogue)


@pytest.fixture(scope="session")
def eval_catalogue():
    from bot.catalogue import load_catalogue

    return load_catalogue(EVAL_DIR / "catalogue")


@pytest.fixture(scope="session")
def eval_kb(eval_catalogue):
    from bot.core.knowledge import KnowledgeBase

    return KnowledgeBase(eval_catalogue)


@pytest.fixture
def settings_for(tmp_path: Path):
    """Settings with a given database URL and the data folder in tmp_path."""
    def make(database_url: str | None = None, knowledge_dir: Path | None = None):
        env = {"HYTEOPAS_DATA_DIR": str(tmp_path / "data"),
               "DATABASE_URL": database_url or sqlite_url(tmp_path / "db.sqlite3")}
        s = load_settings(env)
        if knowledge_dir:
            from dataclasses import replace

            s = replace(s, knowledge_dir=knowledge_dir)
        return s
    return make


@pytest.fixture
def small_catalogue_dir(tmp_path: Path) -> Path:
    """A copy of tests/data/small-catalogue that a test may change."""
    dst = tmp_path / "small-catalogue"
    shutil.copytree(ROOT / "tests" / "data" / "small-catalogue", dst)
    return dst
