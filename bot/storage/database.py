"""Engine creation and schema migrations (Alembic), SQLite or PostgreSQL by URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
STARTUP_LOCK = 7_406_001  # an arbitrary, fixed advisory-lock key


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 (DB-API connection)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


class DatabaseFileMissing(SQLAlchemyError):
    """The SQLite file was deleted or replaced under the running process: what would be
    written now would be lost (it goes to the unlinked file), so nothing is."""


class Database:
    """An engine plus a session factory; ``migrate()`` brings the schema up to date."""

    def __init__(self, url: str):
        self.url = url
        self.path: Path | None = None
        self._identity: tuple[int, int] | None = None
        if url.startswith("sqlite:///"):
            self.path = Path(url.removeprefix("sqlite:///"))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, connect_args={"timeout": 10})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", self._check_file)
        else:
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                                        connect_args={"connect_timeout": 5})
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _check_file(self, _conn: object) -> None:
        """Before every transaction: the SQLite file is still the one this process opened."""
        assert self.path is not None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise DatabaseFileMissing(f"the database file {self.path.name} is gone") from None
        identity = (st.st_dev, st.st_ino)
        if self._identity is None:
            self._identity = identity
        elif identity != self._identity:
            raise DatabaseFileMissing(f"the database file {self.path.name} was replaced")

    def session(self) -> Session:
        return self.sessions()

    def migrate(self) -> None:
        """Run Alembic migrations up to head on this database."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextmanager
    def startup_lock(self) -> Iterator[None]:
        """One replica at a time migrates and loads the first catalogue (PostgreSQL
        advisory lock; SQLite serialises writers by itself)."""
        if self.engine.dialect.name != "postgresql":
            yield
            return
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": STARTUP_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": STARTUP_LOCK})
                conn.commit()

    def dispose(self) -> None:
        self.engine.dispose()
