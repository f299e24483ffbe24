"""Hostile input (hypothesis): whatever JSON or bytes a client posts, the server answers with
a JSON error or an answer, never a crash; markup comes back as data, not as a page."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.web import create_app
from bot.channels.web.limits import WebLimits
from tests.web.support import SMALL_CATALOGUE, WEBHOOK_SECRET, make_settings

HOOK_SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                    | st.text(), lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
QUESTIONS = st.text(min_size=1, max_size=300) | st.sampled_from([
    "<script>alert(1)</script> ruoka-apu", "ruoka-apu " * 50, "\u202e\u0000\ufeff kriisi",
    "💔😢 yksinäinen", "Ä" * 4000, "' OR 1=1 --", "{{7*7}} ${7*7}",
])


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on 127.0.0.1 in a thread of its own (hypothesis drives it synchronously)."""
    from bot.runtime import Runtime

    tmp = tmp_path_factory.mktemp("hostile")
    cfg = replace(make_settings(tmp, SMALL_CATALOGUE, TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET),
                  telegram_token=None)
    runtime = Runtime.open(cfg)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(create_app(runtime, cfg, limits=WebLimits(api_burst=10**6)))
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(30)
    loop.close()
    runtime.close()


def _post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(body=JSON.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=200))
def test_any_body_gets_a_json_answer_or_error(server_url, body):
    for path in ("/api/ask", "/api/chat", "/api/report"):
        status, data = _post(server_url + path, body)
        assert status in (200, 201, 400, 413), (path, status, data)
        assert status >= 400 or "error" not in data


@FAST
@given(question=QUESTIONS, language=st.sampled_from([None, "fi", "sv"]),
       municipality=st.sampled_from([None, "", "Pori", "853", "Karleby"]))
def test_any_question_is_answered(server_url, question, language, municipality):
    body = {"question": question, "language": language, "municipality": municipality}
    status, data = _post(server_url + "/api/ask", json.dumps(body).encode())
    if not question.strip():
        assert status == 400
    elif len(question) > WebLimits().question_chars:
        assert status == 413
    else:
        assert status == 200, data
        assert data["question"] == question and isinstance(data["text"], str)


@FAST
@given(update=st.dictionaries(st.sampled_from(["message", "callback_query", "edited_message",
                                               "inline_query", "junk"]), JSON, max_size=3),
       update_id=st.integers(min_value=-2**40, max_value=2**40))
def test_any_update_is_refused_cleanly_without_telegram(server_url, update, update_id):
    status, data = _post(server_url + "/telegram/webhook",
                         json.dumps({**update, "update_id": update_id}).encode(), HOOK_SECRET)
    assert status == 404 and data["error"] == "telegram_disabled"
