"""Database faults, with the run's real PostgreSQL server.

* The server is stopped in the middle of traffic: `python -m bot serve` keeps answering
  from its in-memory index (web and Telegram), /readyz says 503, saving a preference gets a
  polite "cannot save now" in the user's language, nothing crashes, and everything works
  again by itself once the database is back.
* A reload killed with SIGKILL half-way through storing a large catalogue leaves the
  previous catalogue whole in the database.
"""

from __future__ import annotations


import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from typing import Any

import aiohttp
import psycopg
import pytest

from benchmarks.synthetic import write_catalogue
from bot.channels.telegram.handlers import NOT_SAVED
from bot.channels.telegram.keyboards import Action, ButtonData
from bot.i18n import translator
from bot.runtime import Runtime
from bot.storage import CatalogueRepository, Database
from tests.reliability.support import (
    SMALL_CATALOGUE,
    SMALL_IDS,
    UNLIMITED,
    ask,
    dump_tables,
    post_update,
    serve_env,
    settle,
    start_serve,
    until,
    user_key,
)
from tests.support.botapi import BotApiStandIn
from tests.web.support import ROOT, add_service, admin

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

NOT_SAVED_FI = translator("fi", "telegram")(NOT_SAVED)
NOT_SAVED_SV = translator("sv", "telegram")(NOT_SAVED)
PORI, TURKU = "609", "853"
DB_PASSWORD = "db-password-Xq7-never-logged"


def _prefs(url: str, user_id: int) -> tuple[Any, ...] | None:
    key = user_key(url, "telegram", user_id)
    rows = [r for r in dump_tables(url)["user_prefs"] if r[0] == key]
    return rows[0][1:4] if rows else None  # language, municipality, professional


def _button(message: dict[str, Any], action: Action) -> dict[str, Any]:
    return next(b for b in BotApiStandIn.buttons(message)
                if (d := ButtonData.decode(b["callback_data"])) and d.action is action)


class Chat:
    """One Telegram user talking to the server through its webhook."""

    def __init__(self, http: aiohttp.ClientSession, url: str, api: BotApiStandIn,
                 user: dict[str, Any]):
        self.http, self.url, self.api, self.user = http, url, api, user

    async def say(self, text: str) -> list[dict[str, Any]]:
        """Send ``text``; the messages the bot sent to this chat in answer."""
        since = self.api.mark()
        assert await post_update(self.http, self.url,
                                 self.api.message_update(text, user=self.user)) == 200
        await settle(self.http, self.url, self.api)
        return self.api.sent(self.user["id"], since=since)

    async def press(self, message: dict[str, Any], button: dict[str, Any]) -> dict[str, Any]:
        """Press ``button``; the bot's answer to the press (answerCallbackQuery params)."""
        update = self.api.callback_update(message, button["callback_data"], user=self.user)
        query = update["callback_query"]["id"]
        since = self.api.mark()
        assert await post_update(self.http, self.url, update) == 200
        await settle(self.http, self.url, self.api)
        [answer] = [c.params for c in self.api.calls_to("answerCallbackQuery", since=since)
                    if str(c.params.get("callback_query_id")) == query]
        return answer


async def test_the_database_goes_away_in_the_middle_of_traffic_and_comes_back(
        postgres_server, pg_url, tmp_path):
    # (The server trusts local connections, so the password is ignored; it must not leak.)
    with_password = pg_url.replace("//postgres@", f"//postgres:{DB_PASSWORD}@")
    assert with_password != pg_url
    env = serve_env(tmp_path, database_url=with_password, knowledge=SMALL_CATALOGUE,
                    STORE_STATISTICS="1", **UNLIMITED)
    async with BotApiStandIn() as api:
        env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url)
        server = await start_serve(env)
        asked: list[tuple[int, dict[str, Any]]] = []
        stop = asyncio.Event()
        database_stopped = False
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
                async def status(path: str) -> int:
                    async with http.get(server.url + path) as r:
                        return r.status

                async def telegram_running() -> bool:
                    async with http.get(server.url + "/admin/status", headers=admin()) as r:
                        return (await r.json())["telegram"]["running"]

                async def keep_asking() -> None:
                    while not stop.is_set():
                        asked.append(await ask(http, server.url, "velkaneuvonta"))
                        await asyncio.sleep(0.05)

                await until(telegram_running, "Telegram processing to start")
                maija = Chat(http, server.url, api, api.user(5101, first_name="Maija"))
                stina = Chat(http, server.url, api, api.user(5102, first_name="Stina",
                                                             language_code="sv"))
                assert "Pori" in (await maija.say("/kunta Pori"))[-1]["text"]
                assert _prefs(pg_url, 5101) == (None, PORI, False)
                asker = asyncio.create_task(keep_asking())

                await asyncio.to_thread(postgres_server.stop)
                database_stopped = True
                await until(lambda: _is(status("/readyz"), 503), "/readyz to say 503")
                async with http.get(server.url + "/readyz") as r:
                    assert (await r.json()) == {"ready": False, "reason": "database unreachable"}
                assert await status("/healthz") == 200

                # The web: answers from memory; what needs the database says so.
                code, body = await ask(http, server.url, "ruoka-apu Porissa")
                assert code == 200 and body["results"]
                async with http.post(server.url + "/api/chat",
                                     json={"question": "mathjälp i Björneborg"}) as r:
                    assert r.status == 200 and (await r.json())["cards"]
                async with http.post(server.url + "/api/report",
                                     json={"service_id": "test-ruoka-apu"}) as r:
                    assert r.status == 503 and (await r.json())["error"] == "unavailable"
                async with http.post(server.url + "/admin/reload", headers=admin()) as r:
                    body = await r.json()
                    assert r.status == 503 and body["ok"] is False and body["errors"]
                    assert DB_PASSWORD not in await r.text()
                async with http.get(server.url + "/admin/status", headers=admin()) as r:
                    body = await r.json()
                    assert r.status == 200 and body["database"] == {"ok": False}
                    assert body["services"] == len(SMALL_IDS)
                    assert DB_PASSWORD not in await r.text()
                async with http.get(server.url + "/admin/reports", headers=admin()) as r:
                    assert r.status == 503

                # Telegram: questions are answered; preferences politely not saved.
                [reply] = await maija.say("velkaneuvonta")
                assert "Talous- ja velkaneuvonta" in reply["text"]
                for command in ("/kunta Turku", "/kieli sv", "/ammattilainen", "/unohda"):
                    assert [m["text"] for m in await maija.say(command)] == [NOT_SAVED_FI], command
                for command in ("/kommun Åbo", "/glöm"):
                    assert [m["text"] for m in await stina.say(command)] == [NOT_SAVED_SV], command
                [greeting] = await stina.say("/start")
                answer = await stina.press(greeting, _button(greeting, Action.LANGUAGE))
                assert answer["text"] == NOT_SAVED_SV and answer["show_alert"] is True
                details = await maija.press(reply, _button(reply, Action.DETAILS))
                assert "text" not in details or not details["text"]
                card = api.sent(5101)[-1]
                answer = await maija.press(card, _button(card, Action.REPORT))
                assert answer["text"] == NOT_SAVED_FI

                await asyncio.to_thread(postgres_server.restart)
                database_stopped = False
                await until(lambda: _is(status("/readyz"), 200), "/readyz to recover", 90)

                # Everything works again by itself; what was stored before is still there.
                assert _prefs(pg_url, 5101) == (None, PORI, False)
                assert "Turku" in (await maija.say("/kunta Turku"))[-1]["text"]
                assert _prefs(pg_url, 5101) == (None, TURKU, False)
                assert (await stina.say("/kommun Åbo"))[-1]["text"] != NOT_SAVED_SV
                assert _prefs(pg_url, 5102) == (None, TURKU, False)
                assert "Talous- ja velkaneuvonta" in (await maija.say("velkaneuvonta"))[-1]["text"]
                async with http.post(server.url + "/api/report",
                                     json={"service_id": "test-ruoka-apu"}) as r:
                    assert r.status == 201
                async with http.post(server.url + "/admin/reload", headers=admin()) as r:
                    assert r.status == 200
                await maija.say("/unohda")
                await stina.say("/glöm")
                assert _prefs(pg_url, 5101) is None and _prefs(pg_url, 5102) is None
                stop.set()
                await asker
        except BaseException:
            print(server.output[-8000:])
            raise
        finally:
            stop.set()
            if database_stopped:
                postgres_server.restart()
            code = server.stop()
    assert code == 0, server.output[-8000:]
    assert asked and all(c == 200 and b["results"] for c, b in asked), \
        [(c, b) for c, b in asked if c != 200 or not b.get("results")][:3]
    assert not [c for c in api.calls if not c.ok]
    output = server.output
    assert "handling an update failed" not in output and "Traceback" not in output, output[-8000:]
    assert "user settings not saved: the database is unavailable" in output
    assert 1 <= output.count("could not record anonymous statistics") <= 3
    assert DB_PASSWORD not in output


async def _is(status: Any, expected: int) -> bool:
    return await status == expected


def _backend_of_reload(conninfo: str) -> str | None:
    """What the reload's connection is doing in PostgreSQL now (its query), if anything."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL").fetchall()
    return next((q for (q,) in rows if q.lstrip().upper().startswith("INSERT INTO SERVICE")), None)


async def test_a_reload_killed_half_way_leaves_the_previous_catalogue_whole(
        postgres_server, pg_url, settings_for, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(SMALL_CATALOGUE, knowledge)
    runtime = Runtime.open(settings_for(pg_url, knowledge))
    old_version = runtime.kb.version
    runtime.close()
    big = write_catalogue(tmp_path / "big", 10_000)
    conninfo = f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname={pg_url.rsplit('/', 1)[1]}"

    env = {**os.environ, **serve_env(tmp_path, database_url=pg_url, knowledge=knowledge)}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "reload", str(big)],  # noqa: ASYNC220
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    caught = None
    try:
        deadline = time.monotonic() + 300
        while caught is None and proc.poll() is None and time.monotonic() < deadline:
            caught = await asyncio.to_thread(_backend_of_reload, conninfo)
            if caught is None:
                await asyncio.sleep(0.01)
        proc.send_signal(signal.SIGKILL)  # kill -9, in the middle of storing
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    assert caught is not None, f"the reload was not seen storing; it exited {proc.returncode}:\n{stderr}"
    assert proc.returncode == -signal.SIGKILL

    def transactions_open() -> int:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                "current_database() AND pid <> pg_backend_pid()").fetchone()[0]

    await until(lambda: _true(transactions_open() == 0), "PostgreSQL to drop the dead connection")
    db = Database(pg_url)
    try:
        repo = CatalogueRepository(db)
        stored = repo.load()
        assert stored is not None and stored.version == old_version
        assert {s.id for s in stored.services} == SMALL_IDS
        tables = dump_tables(pg_url)
        assert len(tables["services"]) == len(SMALL_IDS) == tables["catalogue_state"][0][4]
        assert {r[0] for r in tables["service_topics"]} <= SMALL_IDS
        assert {r[0] for r in tables["service_areas"]} <= SMALL_IDS
    finally:
        db.dispose()

    # Nothing is left locked or half-done: a new process starts and reloads as usual.
    add_service(knowledge)
    runtime = Runtime.open(settings_for(pg_url, knowledge))
    try:
        assert runtime.kb.version == old_version
        result = runtime.reload()
        assert result.ok and result.services == len(SMALL_IDS) + 1
    finally:
        runtime.close()


async def _true(value: bool) -> bool:
    return value
