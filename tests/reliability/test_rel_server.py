"""The server under attack, in process: redeliveries to two replicas on one database, a locked
database, slow clients, a deleted SQLite file, small statistics counts, settings that expire.
(The kill test with real processes is in test_rel_kill.py.)"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import text
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters

from bot.channels.web import create_app
from bot.channels.web.server import make_runner
from bot.config import Settings
from bot.runtime import Runtime
from bot.storage import UserPrefs
from tests.reliability.support import HOOK, HOOK_SECRET, SMALL_CATALOGUE, UNLIMITED
from tests.support.botapi import BotApiStandIn
from tests.web.support import ADMIN_TOKEN, WEBHOOK_SECRET, admin, free_port

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def _settings(settings_for: Callable[..., Settings], url: str | None = None, **changes: Any) -> Settings:
    base = settings_for(url, SMALL_CATALOGUE)
    return replace(base, admin_token=ADMIN_TOKEN, telegram_webhook_secret=WEBHOOK_SECRET,
                   rate_limit_burst=10**6, rate_limit_per_second=10**6.0, **changes)


def _echo(settings: Settings) -> Application:
    """A webhook-mode application that answers each text with one message (slowly enough that
    a redelivery can arrive while it is being answered)."""
    app = (ApplicationBuilder().token(settings.telegram_token or "")
           .base_url(settings.telegram_api_base_url).updater(None).build())

    async def echo(update: Update, _context: Any) -> None:
        await asyncio.sleep(0.05)
        await update.effective_chat.send_message(f"echo: {update.effective_message.text}")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


@pytest.fixture
async def api() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as stand_in:
        yield stand_in


async def _replica(aiohttp_client: Any, settings: Settings) -> tuple[TestClient, Runtime]:
    runtime = Runtime.open(settings)
    client = await aiohttp_client(create_app(runtime, settings, _echo(settings)))
    return client, runtime


async def _running(client: TestClient) -> None:
    for _ in range(200):
        status = await (await client.get("/admin/status", headers=admin())).json()
        if status["telegram"]["running"]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("Telegram processing did not start")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_redelivered_update_is_answered_by_exactly_one_of_two_replicas(
        backend: str, aiohttp_client: Any, api: BotApiStandIn, settings_for: Callable[..., Settings],
        request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_url") if backend == "postgres" else None
    settings = _settings(settings_for, url, telegram_token=api.token,
                         telegram_api_base_url=api.base_url)
    (a, ra), (b, rb) = [await _replica(aiohttp_client, settings) for _ in range(2)]
    try:
        await _running(a)
        await _running(b)
        users = [api.user(880_000 + i, first_name=f"R{i}") for i in range(20)]
        updates = [api.message_update(f"kysymys {i}", user=u) for i, u in enumerate(users)]
        mark = api.mark()
        statuses: list[int] = []

        async def deliver(update: dict[str, Any]) -> None:
            # Telegram's way: to A; as a retry, to B (at once, while A is still answering)
            # and to A again later; a 503 means "deliver again", as Telegram does.
            for client in (a, b, a, b):
                resp = await client.post(HOOK, json=update, headers=HOOK_SECRET)
                statuses.append(resp.status)
                await asyncio.sleep(0.01)
            while (await a.post(HOOK, json=update, headers=HOOK_SECRET)).status != 200:
                await asyncio.sleep(0.05)

        await asyncio.gather(*(deliver(u) for u in updates))
        sent = api.calls_to("sendMessage", since=mark)
        assert sorted(c.result["chat"]["id"] for c in sent) == sorted(u["id"] for u in users)
        assert set(statuses) <= {200, 503} and 200 in statuses
    finally:
        ra.close()
        rb.close()


async def test_answers_never_wait_for_a_locked_database(aiohttp_client: Any,
                                                        settings_for: Callable[..., Settings],
                                                        tmp_path: Path) -> None:
    settings = _settings(settings_for)
    runtime = Runtime.open(settings)
    client = await aiohttp_client(create_app(runtime, settings))
    service_id = runtime.kb.snapshot.catalogue.services[0].id
    locker = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), timeout=0)
    try:
        locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        writes = [asyncio.create_task(client.post("/api/report", json={"service_id": service_id}))
                  for _ in range(12)]  # more than the storage pool has threads
        await asyncio.sleep(0.3)
        answered = 0
        for n in range(30):
            resp = await client.post("/api/ask", json={"question": f"ruoka-apu {n}"})
            assert resp.status == 200
            answered += 1
        assert answered == 30
        assert not any(w.done() for w in writes)  # every write is still waiting for the lock
        locker.rollback()
        assert {(await w).status for w in writes} == {201}
    finally:
        locker.close()
        runtime.close()


async def _site(app: web.Application, settings: Settings) -> tuple[web.AppRunner, int]:
    runner = make_runner(app, settings)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


async def _closed(reader: asyncio.StreamReader, bound: float = 20.0) -> bytes:
    """Everything the server sends until it closes the connection."""
    return await asyncio.wait_for(reader.read(), bound)


async def test_slow_and_idle_clients_are_disconnected(settings_for: Callable[..., Settings]) -> None:
    settings = _settings(settings_for, http_keepalive_timeout=0.5, http_body_timeout=0.5)
    runtime = Runtime.open(settings)
    runner, port = await _site(create_app(runtime, settings), settings)
    try:
        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(20)]
        half_headers = [await asyncio.open_connection("127.0.0.1", port) for _ in range(20)]
        for _reader, writer in half_headers:
            writer.write(b"POST /api/ask HTTP/1.1\r\nHost: x\r\n")
        slow_body = [await asyncio.open_connection("127.0.0.1", port) for _ in range(20)]
        for _reader, writer in slow_body:
            writer.write(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 100\r\n\r\n{\"question\": ")
            await writer.drain()

        async def trickle() -> None:  # a byte now and then: the body never completes
            for _ in range(100):
                for _reader, writer in slow_body:
                    if not writer.is_closing():
                        writer.write(b" ")
                await asyncio.sleep(0.2)

        trickling = asyncio.create_task(trickle())
        assert [await _closed(r) for r, _ in idle] == [b""] * 20
        assert [await _closed(r) for r, _ in half_headers] == [b""] * 20
        for reader, _writer in slow_body:
            answer = await _closed(reader)
            assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
        trickling.cancel()
        for _r, writer in idle + half_headers + slow_body:
            writer.close()
        # A client that keeps up is served as before.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        body = b'{"question": "ruoka-apu"}'
        writer.write(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        assert (await _closed(reader)).startswith(b"HTTP/1.1 200")
        writer.close()
    finally:
        await runner.cleanup()
        runtime.close()


async def test_a_deleted_sqlite_file_fails_loudly(aiohttp_client: Any,
                                                  settings_for: Callable[..., Settings]) -> None:
    settings = _settings(settings_for)
    runtime = Runtime.open(settings)
    client = await aiohttp_client(create_app(runtime, settings))
    service_id = runtime.kb.snapshot.catalogue.services[0].id
    try:
        assert (await client.get("/readyz")).status == 200
        assert (await client.post("/api/report", json={"service_id": service_id})).status == 201
        path = Path(settings.database_url.removeprefix("sqlite:///"))
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
        resp = await client.get("/readyz")
        assert resp.status == 503 and (await resp.json())["ready"] is False
        assert (await client.post("/api/report", json={"service_id": service_id})).status == 503
        assert (await client.post("/api/ask", json={"question": "ruoka-apu"})).status == 200
        with pytest.raises(Exception, match="gone"):
            runtime.users.save("someone", UserPrefs(language="sv"))
    finally:
        runtime.close()


async def test_statistics_never_show_a_count_under_five(aiohttp_client: Any,
                                                        settings_for: Callable[..., Settings]) -> None:
    settings = _settings(settings_for, store_statistics=True)
    runtime = Runtime.open(settings)
    client = await aiohttp_client(create_app(runtime, settings))
    try:
        for _ in range(7):
            runtime.stats.record(["food_aid"], "609")  # Pori: shown
        for _ in range(2):
            runtime.stats.record(["substance_use"], "609")  # could point at a person
        for code in ("005", "009", "010"):
            runtime.stats.record(["loneliness"], code)  # 1 each: together 3, still hidden
        for code in ("005", "009", "010", "016", "018"):
            runtime.stats.record(["grief"], code)  # 1 each: together 5, shown as "other"
        resp = await client.get("/admin/statistics", headers=admin())
        data = await resp.json()
        assert resp.status == 200 and data["smallest_count"] == 5
        today = date.today().isoformat()
        assert data["counts"] == [
            {"day": today, "municipality": "609", "topic": "food_aid", "count": 7},
            {"day": today, "municipality": "other", "topic": "grief", "count": 5},
        ]
        assert all(r["count"] >= 5 for r in data["counts"])
        assert (await client.get("/admin/statistics")).status == 401
        assert (await client.get("/admin/statistics?since=eilen", headers=admin())).status == 400
    finally:
        runtime.close()


def test_unused_user_settings_expire(settings_for: Callable[..., Settings]) -> None:
    settings = _settings(settings_for, user_settings_expire_days=365)
    runtime = Runtime.open(settings)
    try:
        users = runtime.users
        users.save("old", UserPrefs(language="sv"))
        users.save("recent", UserPrefs(municipality="609"))
        users.save("returning", UserPrefs(professional=True))
        with runtime.db.engine.begin() as conn:
            for key, days in (("old", 366), ("recent", 300), ("returning", 400)):
                conn.execute(text("UPDATE user_prefs SET last_seen = :d WHERE user_key = :k"),
                             {"d": date.today() - timedelta(days=days), "k": key})
        users.touch("returning")  # used again today
        runtime.housekeeping()
        assert users.get("old") is None
        assert users.get("recent") == UserPrefs(municipality="609")
        assert users.get("returning") == UserPrefs(professional=True)
    finally:
        runtime.close()


def test_settings_read_from_the_environment() -> None:
    from bot.config import load_settings

    s = load_settings({**UNLIMITED, "USER_SETTINGS_EXPIRE_DAYS": "90", "HTTP_BODY_TIMEOUT": "3",
                       "HTTP_KEEPALIVE_TIMEOUT": "7", "TELEGRAM_UPDATE_LEASE_SECONDS": "12",
                       "HTTP_SHUTDOWN_TIMEOUT": "4"})
    assert (s.user_settings_expire_days, s.http_body_timeout, s.http_keepalive_timeout,
            s.telegram_update_lease, s.http_shutdown_timeout) == (90, 3.0, 7.0, 12.0, 4.0)
    d = load_settings({})
    assert (d.user_settings_expire_days, d.http_body_timeout, d.http_keepalive_timeout) == (365, 10.0, 15.0)
