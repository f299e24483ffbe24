"""Helpers of the reliability tests: a Bot API stand-in that timestamps every call, a real
`python -m bot serve` process wired to it, catalogues, and database inspection."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from bot.config import sqlite_url
from bot.storage import Database, UserRepository
from tests.support.botapi import BotApiStandIn, Call
from tests.web.support import ADMIN_TOKEN, ROOT, WEBHOOK_SECRET, ServeProcess

HOOK = "/telegram/webhook"
HOOK_SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
SMALL_CATALOGUE = ROOT / "tests" / "data" / "small-catalogue"
SMALL_IDS = {"test-kriisikeskus", "test-ystavapiiri", "test-sorggrupp",
             "test-ruoka-apu", "test-liikuntaneuvonta", "test-velkaneuvonta"}
"""Every service id of tests/data/small-catalogue."""
UNLIMITED = {"RATE_LIMIT_BURST": "1000000", "RATE_LIMIT_PER_SECOND": "1000000"}
"""Environment that lifts the per-client rate limit of /api/* (every test client is 127.0.0.1)."""
CLEAN_ENV = ("KNOWLEDGE_DIR", "LOG_LEVEL", "STORE_STATISTICS", "WEBHOOK_URL", "DATABASE_URL",
             "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "TELEGRAM_WEBHOOK_SECRET",
             "ADMIN_TOKEN", "HYTEOPAS_DATA_DIR", "RATE_LIMIT_BURST", "RATE_LIMIT_PER_SECOND",
             "TRUST_PROXY_HEADERS", "RESULTS_PER_REPLY")


class TimedStandIn(BotApiStandIn):
    """The Bot API stand-in, noting when (time.monotonic) each call arrived."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.arrived: dict[int, float] = {}

    def _record(self, call: Call) -> None:
        self.arrived[call.seq] = time.monotonic()
        super()._record(call)


def serve_env(tmp_path: Path, *, api: BotApiStandIn | None = None, database_url: str | None = None,
              knowledge: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a `python -m bot serve` for a test: the given database (default a
    fresh SQLite file in ``tmp_path``), data folder in ``tmp_path``, admin token, webhook
    secret and, with ``api``, Telegram through the stand-in. Inherited settings are removed."""
    env = {name: "" for name in CLEAN_ENV}
    env.update({"DATABASE_URL": database_url or sqlite_url(tmp_path / "serve.sqlite3"),
                "HYTEOPAS_DATA_DIR": str(tmp_path / "data"), "ADMIN_TOKEN": ADMIN_TOKEN,
                "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET, "LOG_LEVEL": "INFO"})
    if knowledge is not None:
        env["KNOWLEDGE_DIR"] = str(knowledge)
    if api is not None:
        env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url)
    env.update(extra)
    return env


async def start_serve(env: dict[str, str], timeout: float = 180.0) -> ServeProcess:
    return await ServeProcess(env).start(timeout)


async def until(predicate: Callable[[], Awaitable[bool]], what: str, timeout: float = 60.0,
                every: float = 0.2) -> None:
    """Poll ``predicate`` until it holds (bounded by ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        if await predicate():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(every)


async def post_update(http: aiohttp.ClientSession, url: str, update: dict[str, Any]) -> int:
    async with http.post(url + HOOK, json=update, headers=HOOK_SECRET) as r:
        await r.read()
        return r.status


async def ask(http: aiohttp.ClientSession, url: str, question: str,
              **fields: Any) -> tuple[int, dict[str, Any]]:
    async with http.post(url + "/api/ask", json={"question": question, **fields}) as r:
        return r.status, await r.json(content_type=None)


async def settle(http: aiohttp.ClientSession, url: str, api: BotApiStandIn,
                 timeout: float = 60.0) -> None:
    """Return once the bot has handled every update posted to ``url`` so far: it handles
    updates in order and answers every button press, so a probe press answered means done."""
    probe = api.callback_update(None, "probe", user=api.user(777_000_123, first_name="Probe"))
    query = probe["callback_query"]["id"]
    assert await post_update(http, url, probe) == 200
    await api.until(lambda: query not in api.open_callback_queries, timeout, "the probe's answer")


# --- database inspection -------------------------------------------------------------------

def engine_for(url: str) -> Engine:
    return create_engine(url)


def dump_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (as stored), by table name."""
    engine = engine_for(url)
    try:
        names = inspect(engine).get_table_names()
        with engine.connect() as conn:
            return {name: [tuple(row) for row in conn.execute(text(f'SELECT * FROM "{name}"'))]
                    for name in names}
    finally:
        engine.dispose()


def rows_mentioning(url: str, value: str) -> dict[str, int]:
    """For each table, how many rows hold ``value`` in some column (exactly, or inside a
    text/JSON value)."""
    found: dict[str, int] = {}
    for name, rows in dump_tables(url).items():
        n = sum(1 for row in rows if any(value == str(v) or value in str(v) for v in row))
        if n:
            found[name] = n
    return found


def table_columns(url: str) -> dict[str, list[str]]:
    engine = engine_for(url)
    try:
        insp = inspect(engine)
        return {name: [c["name"] for c in insp.get_columns(name)] for name in insp.get_table_names()}
    finally:
        engine.dispose()


def files_containing(folder: Path, needles: list[str]) -> list[tuple[str, str]]:
    """(file, needle) for every file under ``folder`` holding a needle (UTF-8, UTF-16)."""
    hits = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for needle in needles:
            forms = (needle.encode("utf-8"), needle.encode("utf-16-le"))
            if any(form in data for form in forms):
                hits.append((str(path), needle))
    return hits


@functools.lru_cache(maxsize=None)
def user_key(url: str, channel: str, user_id: int) -> str:
    """The stored key of a user (the deployment's secret is read from the database once)."""
    db = Database(url)
    try:
        return UserRepository(db).key(channel, user_id)
    finally:
        db.dispose()
