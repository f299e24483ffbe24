"""Auth: the admin token and the webhook secret.

Timing cannot be asserted reliably, so this shows the behaviour that constant-time checks
come with: every comparison goes through ``hmac.compare_digest`` on equal-length digests
(the length of a guess does not matter either), almost-right tokens of every kind (one
character off anywhere, shorter, longer, other case, Unicode, raw non-UTF-8 bytes, in the
wrong header or the query) are refused alike, and no secret, nor the guess, shows up in a
response or in the log. Also: the processes do not print secrets when they cannot start.
(tests/web covers missing/wrong tokens, the rate limit on failures and admin being off.)
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.web import httputil as secret_module
from bot.channels.web.limits import WebLimits
from bot.config import sqlite_url
from tests.reliability.support import SMALL_CATALOGUE, serve_env, start_serve
from tests.support.botapi import BotApiStandIn
from tests.web.support import ADMIN_TOKEN, ROOT, WEBHOOK_SECRET, make_settings

ROUTES = (("GET", "/admin/status"), ("GET", "/admin/reports"), ("POST", "/admin/reload"))
HOOK = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UNICODE_TOKEN = "ylläpitäjän-avain-åäö-🔑-0123456789"
BOT_TOKEN = "424242:AAH-reliability-bot-token-Xq7"


def _near_misses(secret: str) -> list[str]:
    """Guesses one step away from ``secret``, of equal and of different length."""
    n = len(secret)
    same_length = [secret[:i] + ("x" if secret[i] != "x" else "y") + secret[i + 1:]
                   for i in (0, 1, n // 2, n - 2, n - 1)]
    return [*same_length, secret[:-1], secret[1:], secret + "x", "x" + secret, secret * 2,
            secret.upper(), secret.swapcase(), f" {secret}x", secret[: n // 2], "", " ",
            secret.replace("-", "‐"),  # a Unicode hyphen that looks the same
            secret[:-1] + "ä", "x" * n, "x" * 8000]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The lengths of what each hmac.compare_digest call of the secret check compared."""
    calls: list[tuple[int, int]] = []
    real = hmac.compare_digest

    def compare(a: Any, b: Any) -> bool:
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(secret_module.hmac, "compare_digest", compare)
    return calls


@pytest.fixture
async def app_client(aiohttp_client, tmp_path):
    """The app with admin, webhook and (stand-in) Telegram; at most one client is limited."""
    from bot.channels.telegram.app import build_application
    from bot.channels.web import create_app
    from bot.runtime import Runtime

    async with BotApiStandIn(BOT_TOKEN) as api:
        settings = replace(make_settings(tmp_path, SMALL_CATALOGUE, ADMIN_TOKEN=ADMIN_TOKEN,
                                         TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET),
                           telegram_token=api.token, telegram_api_base_url=api.base_url)
        runtime = Runtime.open(settings)
        limits = WebLimits(auth_failures_burst=10**6)
        app = create_app(runtime, settings, build_application(runtime, settings, updater=False),
                         limits=limits)
        client = await aiohttp_client(app)
        client.api = api
        try:
            yield client
        finally:
            await client.close()
            runtime.close()


async def test_almost_right_admin_tokens_are_refused_alike(app_client, spy, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    guesses = _near_misses(ADMIN_TOKEN)
    headers = [{"Authorization": f"Bearer {g}"} for g in guesses] + [
        {"Authorization": f"Token {ADMIN_TOKEN}"}, {"Authorization": f"Basic {ADMIN_TOKEN}"},
        {"Authorization": f"Bearer{ADMIN_TOKEN}"}, {"Authorization": f"{ADMIN_TOKEN} Bearer"},
        {"Authorization": f"Bearer {ADMIN_TOKEN} {ADMIN_TOKEN}"},
        {"X-Admin-Token": ADMIN_TOKEN}, {"Cookie": f"token={ADMIN_TOKEN}"},
    ]
    bodies = []
    for header in headers:
        for method, path in ROUTES:
            resp = await app_client.request(method, path, headers=header)
            shown = sorted((k, v) for k, v in resp.headers.items() if k != "Date")
            bodies.append(f"{resp.status} {await resp.text()} {shown}")
            assert resp.status == 401, (header, path)
    for method, path in ROUTES:  # the token in the query string is not a token (and
        # `serve` leaves query strings out of its access log: see the serve test below)
        resp = await app_client.request(method, f"{path}?token={ADMIN_TOKEN}",
                                        headers={"Authorization": "Bearer ?"})
        assert resp.status == 401
    assert len(set(bodies)) == 1, set(bodies)  # the same answer, whatever the guess
    checked = [c for c in spy if c != (32, 32)]
    assert spy and not checked, checked  # always digests of equal length, whatever the guess
    assert (await app_client.get("/admin/status",
                                 headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})).status == 200
    logs = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records
                     if r.name != "aiohttp.access")  # (the test server's own access log)
    for secret in (ADMIN_TOKEN, WEBHOOK_SECRET, BOT_TOKEN, ADMIN_TOKEN[:-1], ADMIN_TOKEN[1:]):
        assert secret not in logs
        assert not [b for b in bodies if secret in b]


async def test_almost_right_webhook_secrets_are_refused_alike(app_client, spy, caplog) -> None:
    caplog.set_level(logging.INFO)  # (at DEBUG, PTB logs whole updates: INFO is the promise)
    api: BotApiStandIn = app_client.api
    update = api.message_update("ruoka-apu")
    for guess in _near_misses(WEBHOOK_SECRET):
        resp = await app_client.post(HOOK, json=update, headers={SECRET_HEADER: guess})
        body = await resp.text()
        assert resp.status == 403, guess
        assert WEBHOOK_SECRET not in body and (len(guess) < 4 or guess not in body)
    for headers in ({"X-Telegram-Bot-Api-Secret-Token-X": WEBHOOK_SECRET},
                    {"Authorization": f"Bearer {WEBHOOK_SECRET}"}):
        assert (await app_client.post(HOOK, json=update, headers=headers)).status == 403
    resp = await app_client.post(f"{HOOK}?secret={WEBHOOK_SECRET}", json=update)
    assert resp.status == 403
    assert spy and all(c == (32, 32) for c in spy)
    assert api.calls_to("sendMessage") == []  # nothing got through
    resp = await app_client.post(HOOK, json=update, headers={SECRET_HEADER: WEBHOOK_SECRET})
    assert resp.status == 200
    logs = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records
                     if r.name != "aiohttp.access")  # (the test server's own access log)
    assert WEBHOOK_SECRET not in logs and BOT_TOKEN not in logs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(0, len(ADMIN_TOKEN) - 1), char=st.characters(codec="utf-8"),
       cut=st.integers(0, 3), extra=st.text(max_size=3))
async def test_any_single_change_to_the_token_is_refused(app_client, position, char, cut,
                                                         extra) -> None:
    guess = (ADMIN_TOKEN[:position] + char + ADMIN_TOKEN[position + 1:])[: len(ADMIN_TOKEN) - cut] + extra
    if guess.strip() == ADMIN_TOKEN:
        return
    if any(c in guess for c in "\r\n\x00") or not guess.isprintable():
        return  # not a header value a client can send
    resp = await app_client.get("/admin/status", headers={"Authorization": f"Bearer {guess}"})
    assert resp.status == 401


def _raw_request(port: int, header: bytes) -> tuple[int, bytes]:
    """GET /admin/status with ``header`` sent as raw bytes (any encoding)."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /admin/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                  + header + b"\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


async def test_unicode_tokens_and_raw_bytes(aiohttp_client, tmp_path) -> None:
    """A token with non-ASCII characters works when sent as UTF-8 and only then; bytes that
    are not UTF-8 are refused, not an error."""
    from aiohttp.test_utils import TestServer

    from bot.channels.web import create_app
    from bot.runtime import Runtime

    settings = make_settings(tmp_path, SMALL_CATALOGUE, ADMIN_TOKEN=UNICODE_TOKEN)
    runtime = Runtime.open(settings)
    try:
        server = TestServer(create_app(runtime, settings,
                                       limits=WebLimits(auth_failures_burst=10**6)),
                            host="127.0.0.1")
        await aiohttp_client(server)
        port = server.port
        right = f"Authorization: Bearer {UNICODE_TOKEN}".encode()
        cases = {
            right: {200},
            right.replace("ä".encode(), b"a"): {401},
            right.replace(b"\xf0\x9f\x94\x91", b"?"): {401},
            b"Authorization: Bearer " + UNICODE_TOKEN.encode("latin-1", "replace"): {401},
            "Authorization: Bearer ylläpitäjän".encode("latin-1"): {401},
            b"Authorization: Bearer \xff\xfe\xfd" + UNICODE_TOKEN.encode(): {401},
            b"Authorization: Bearer \xed\xa0\x80": {401},  # an encoded lone surrogate
            right + b"\xc3": {401},  # cut in the middle of a character
            # NUL bytes: the HTTP parser itself refuses the request
            b"Authorization: Bearer " + UNICODE_TOKEN.encode("utf-16-le"): {400, 401},
        }
        for header, expected in cases.items():
            status, data = await asyncio.to_thread(_raw_request, port, header)
            assert status in expected, header
            if status != 200:
                assert UNICODE_TOKEN.encode() not in data
    finally:
        runtime.close()


# --- processes that cannot start or cannot reach Telegram ----------------------------------

@pytest.mark.slow
async def test_serve_without_a_reachable_bot_api_or_database_prints_no_secret(tmp_path) -> None:
    from tests.web.support import free_port

    closed = free_port()
    password = "pg-password-Xq7-secret"
    env = serve_env(tmp_path, TELEGRAM_BOT_TOKEN=BOT_TOKEN,
                    TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{closed}/bot",
                    DATABASE_URL=f"postgresql://hyteopas:{password}@127.0.0.1:{closed}/db")
    proc = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", "serve"], cwd=ROOT,
        env={**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(free_port())},
        capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "cannot start" in output
    for secret in (password, BOT_TOKEN, ADMIN_TOKEN, WEBHOOK_SECRET):
        assert secret not in output

    # With the database there but Telegram away: it serves, retries, and prints no secret.
    env.update(DATABASE_URL=sqlite_url(tmp_path / "ok.sqlite3"), KNOWLEDGE_DIR=str(SMALL_CATALOGUE))
    server = await start_serve(env)
    try:
        import aiohttp

        async with aiohttp.ClientSession() as http:
            async with http.get(server.url + "/admin/status",
                                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as r:
                status = await r.text()
                assert r.status == 200 and '"running": false' in status
            async with http.post(server.url + HOOK, json={"update_id": 1},
                                 headers={SECRET_HEADER: WEBHOOK_SECRET}) as r:
                assert r.status in (200, 503)
                body = await r.text()
            for method, path in ROUTES:  # a token misplaced in the query is not logged
                async with http.request(method, f"{server.url}{path}?token={ADMIN_TOKEN}") as r:
                    assert r.status == 401
            async with http.get(f"{server.url}/?lang=sv&q={BOT_TOKEN}") as r:
                assert r.status == 200
    finally:
        code = server.stop()
    assert code == 0
    assert '"GET /admin/status" 401' in server.output  # the access log is on
    for secret in (BOT_TOKEN, ADMIN_TOKEN, WEBHOOK_SECRET, BOT_TOKEN.split(":")[1]):
        assert secret not in server.output and secret not in status and secret not in body


async def test_polling_with_a_refused_token_prints_no_token(tmp_path: Path) -> None:
    async with BotApiStandIn() as api:  # knows only its own token: ours is refused (401)
        env = serve_env(tmp_path, TELEGRAM_BOT_TOKEN=BOT_TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                        KNOWLEDGE_DIR=str(SMALL_CATALOGUE))
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "polling", cwd=ROOT, env={**os.environ, **env},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), 120)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    output = out.decode(errors="replace")
    assert proc.returncode == 1, output
    assert "did not accept TELEGRAM_BOT_TOKEN" in output
    assert BOT_TOKEN not in output and BOT_TOKEN.split(":")[1] not in output
