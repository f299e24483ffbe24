"""Black-box: a real `python -m bot serve` process, as the issue's check starts it, with the
Bot API stand-in; every endpoint with good and bad input; still up at the end."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import aiohttp

from bot.config import sqlite_url
from tests.support.botapi import BotApiStandIn
from tests.web.support import (
    ADMIN_TOKEN,
    ROOT,
    WEBHOOK_SECRET,
    ServeProcess,
    admin,
    zip_folder,
)

PRIVATE_QUESTION = "Olen yksinäinen ja salainen-kysymys-4711, missä on ruoka-apu Porissa?"
HOOK_SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


def _cli_json(env: dict[str, str], *args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", *args], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


async def _check_web(http: aiohttp.ClientSession, url: str) -> None:
    async with http.get(f"{url}/healthz") as r:
        assert r.status == 200
    async with http.get(f"{url}/readyz") as r:
        body = await r.json()
        assert r.status == 200 and body["ready"] is True and body["services"] > 50
    async with http.get(f"{url}/") as r:
        page = await r.text()
        assert r.status == 200 and '<html lang="fi">' in page
    async with http.get(f"{url}/?lang=sv") as r:
        assert '<html lang="sv">' in await r.text()
    async with http.get(f"{url}/static/chat.js") as r:
        assert r.status == 200
    async with http.get(f"{url}/api/i18n/sv") as r:
        assert r.status == 200 and (await r.json())["language"] == "sv"


async def _check_api(http: aiohttp.ClientSession, url: str, env: dict[str, str]) -> None:
    async with http.post(f"{url}/api/ask", json={"question": "ruoka-apu", "municipality": "Pori",
                                                 "language": "fi"}) as r:
        assert r.status == 200
        body = await r.json()
    cli = await asyncio.to_thread(_cli_json, env, "--lang", "fi", "--municipality", "Pori",
                                  "ruoka-apu")
    assert body == cli
    async with http.post(f"{url}/api/ask", json={"question": PRIVATE_QUESTION}) as r:
        assert r.status == 200 and (await r.json())["results"]
    async with http.post(f"{url}/api/chat", json={"question": "mathjälp i Björneborg"}) as r:
        body = await r.json()
        assert r.status == 200 and body["reply"]["language"] == "sv" and body["cards"]
    for data, status in ((b"{oops", 400), (b"{}", 400), (b'{"question": ""}', 400),
                         (b'{"question": "x", "language": "de"}', 400),
                         (json.dumps({"question": "x" * 100_000}).encode(), 413)):
        async with http.post(f"{url}/api/ask", data=data,
                             headers={"Content-Type": "application/json"}) as r:
            assert r.status == status, data
            assert "error" in await r.json()


async def _check_webhook(http: aiohttp.ClientSession, url: str, api: BotApiStandIn) -> None:
    hook = f"{url}/telegram/webhook"

    async def post(update: dict, headers: dict[str, str] = HOOK_SECRET) -> int:
        async with http.post(hook, json=update, headers=headers) as r:
            return r.status

    twice, once = api.default_user, api.user(1002, first_name="Ville")
    update = api.message_update(PRIVATE_QUESTION, user=twice)
    assert await post(update, {}) == 403
    assert await post(update, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403
    async with http.post(hook, data=b"not json", headers=HOOK_SECRET) as r:
        assert r.status == 400
    assert [await post(update), await post(update)] == [200, 200]  # the same update twice
    assert await post(api.message_update(PRIVATE_QUESTION, user=once)) == 200
    # Updates are handled in order: once a later button press is answered, all are done.
    probe = api.callback_update(None, "probe", user=api.user(1003, first_name="Probe"))
    assert await post(probe) == 200
    query = probe["callback_query"]["id"]
    await api.until(lambda: query not in api.open_callback_queries, 60, "the probe's answer")
    replies_to_twice = api.sent(twice["id"])
    assert replies_to_twice and len(replies_to_twice) == len(api.sent(once["id"]))


async def _check_admin(http: aiohttp.ClientSession, url: str, tmp_path: Path) -> None:
    for headers in ({}, admin("wrong"), admin(ADMIN_TOKEN[:-1]), admin(ADMIN_TOKEN + "x")):
        for method, path in (("GET", "status"), ("GET", "reports"), ("POST", "reload")):
            async with http.request(method, f"{url}/admin/{path}", headers=headers) as r:
                assert r.status == 401
    async with http.get(f"{url}/admin/status", headers=admin()) as r:
        status = await r.json()
        assert r.status == 200 and status["telegram"]["running"] is True
    async with http.get(f"{url}/admin/reports", headers=admin()) as r:
        assert r.status == 200 and "reports" in await r.json()
    async with http.post(f"{url}/admin/reload", headers=admin()) as r:
        body = await r.json()
        assert r.status == 200 and body["ok"] and body["version"] == status["version"]
    broken = tmp_path / "broken"
    (broken / "services").mkdir(parents=True)
    (broken / "services" / "x.yaml").write_text("services:\n  - id: Bad Id\n", encoding="utf-8")
    async with http.post(f"{url}/admin/reload", data=zip_folder(broken), headers=admin()) as r:
        body = await r.json()
        assert r.status == 422 and body["errors"] and body["version"] == status["version"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../../tmp/escaped.yaml", "x")
    async with http.post(f"{url}/admin/reload", data=buf.getvalue(), headers=admin()) as r:
        assert r.status == 422
    async with http.post(f"{url}/api/ask", json={"question": "ruoka-apu Porissa"}) as r:
        assert r.status == 200 and (await r.json())["results"]


async def _check_rate_limit(http: aiohttp.ClientSession, url: str) -> None:
    statuses = []
    for _ in range(80):
        async with http.post(f"{url}/api/ask", json={"question": "apua"}) as r:
            statuses.append(r.status)
    assert 429 in statuses and set(statuses) <= {200, 429}


async def test_serve_black_box(tmp_path):
    db = tmp_path / "fresh.sqlite3"
    async with BotApiStandIn() as api:
        env = {"ADMIN_TOKEN": ADMIN_TOKEN, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
               "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
               "DATABASE_URL": sqlite_url(db), "HYTEOPAS_DATA_DIR": str(tmp_path / "data"),
               "LOG_LEVEL": "INFO"}
        server = await ServeProcess(env).start()
        try:
            assert f"Hyteopas web chat: {server.url}/" in server.output
            async with aiohttp.ClientSession() as http:
                await _check_web(http, server.url)
                await _check_api(http, server.url, server.env)
                await _check_webhook(http, server.url, api)
                await _check_admin(http, server.url, tmp_path)
                await _check_rate_limit(http, server.url)
                async with http.get(f"{server.url}/healthz") as r:
                    assert r.status == 200
            assert server.proc.poll() is None  # still up
        except BaseException:
            print(server.output)  # shown by pytest with the failure
            raise
        finally:
            status = server.stop()
    assert status == 0, server.output
    logs = server.output
    for secret in ("salainen-kysymys-4711", ADMIN_TOKEN, WEBHOOK_SECRET, api.token):
        assert secret not in logs
    for path in [db, *tmp_path.glob("fresh.sqlite3*"), *(tmp_path / "data").rglob("*")]:
        if path.is_file():
            assert b"salainen-kysymys-4711" not in path.read_bytes(), path
