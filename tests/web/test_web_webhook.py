"""POST /telegram/webhook with the real Telegram application against the Bot API stand-in."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from bot.channels.telegram.app import build_application
from bot.channels.web import create_app
from tests.support.botapi import BotApiStandIn
from tests.web.support import WEBHOOK_SECRET, admin

HOOK = "/telegram/webhook"
SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def botapi():
    async with BotApiStandIn() as api:
        yield api


@pytest.fixture
def tg_settings(settings, botapi):
    return replace(settings, telegram_token=botapi.token, telegram_api_base_url=botapi.base_url)


@pytest.fixture
async def tg_client(aiohttp_client, runtime, tg_settings):
    app = create_app(runtime, tg_settings, build_application(runtime, tg_settings, updater=False))
    return await aiohttp_client(app)


def _texts(api: BotApiStandIn, chat_id: int, since: int = 0) -> list[str]:
    return [m["text"] for m in api.sent(chat_id, since=since)]


async def test_the_secret_is_required(tg_client, botapi):
    update = botapi.message_update("ruoka-apu")
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": ""},
                    {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                    {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET[:-1]},
                    {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET + "x"}):
        resp = await tg_client.post(HOOK, json=update, headers=headers)
        assert resp.status == 403
        assert WEBHOOK_SECRET not in await resp.text()
    assert botapi.calls_to("sendMessage") == []


async def test_without_a_configured_secret_every_update_is_refused(aiohttp_client, runtime,
                                                                    tg_settings, botapi):
    settings = replace(tg_settings, telegram_webhook_secret=None)
    app = create_app(runtime, settings, build_application(runtime, settings, updater=False))
    client = await aiohttp_client(app)
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": ""}, SECRET):
        resp = await client.post(HOOK, json=botapi.message_update("hei"), headers=headers)
        assert resp.status == 403


async def test_without_telegram_the_webhook_is_404(client):
    resp = await client.post(HOOK, json={"update_id": 1}, headers=SECRET)
    assert resp.status == 404
    assert (await client.post(HOOK, json={"update_id": 1})).status == 403


async def test_bad_updates_are_400_or_413(tg_client):
    for body in (b"{", b"[]", b'{"message": {}}', b'{"update_id": "7"}', b'{"update_id": true}',
                 b'{"update_id": 5, "message": "not an object"}'):
        resp = await tg_client.post(HOOK, data=body, headers=SECRET)
        assert resp.status == 400, body
    big = json.dumps({"update_id": 9, "pad": "x" * (2 * 1024 * 1024)})
    resp = await tg_client.post(HOOK, data=big, headers=SECRET)
    assert resp.status == 413
    assert (await tg_client.get("/healthz")).status == 200


async def test_an_update_is_answered_once_even_when_posted_twice(tg_client, botapi):
    chat = botapi.default_user["id"]
    update = botapi.message_update("ruoka-apu Turussa")
    first = await tg_client.post(HOOK, json=update, headers=SECRET)
    second = await tg_client.post(HOOK, json=update, headers=SECRET)
    assert first.status == second.status == 200
    assert (await second.json())["duplicate"] is True
    await botapi.wait_for("sendMessage")
    follow_up = botapi.message_update("velkaneuvonta")
    assert (await tg_client.post(HOOK, json=follow_up, headers=SECRET)).status == 200
    await botapi.wait_for("sendMessage", 2)
    texts = _texts(botapi, chat)
    assert len(texts) == 2
    assert "Ruoka-apu" in texts[0] and "Talous- ja velkaneuvonta" in texts[1]


async def test_replies_follow_the_order_of_the_questions(tg_client, botapi):
    users = [botapi.user(2000 + i, first_name=f"U{i}") for i in range(3)]
    questions = ["ruoka-apu Turussa", "velkaneuvonta", "liikuntaneuvonta"]
    expected_names = ["Ruoka-apu", "Talous- ja velkaneuvonta", "Liikuntaneuvonta"]
    for q in questions:
        for user in users:
            resp = await tg_client.post(HOOK, json=botapi.message_update(q, user=user),
                                        headers=SECRET)
            assert resp.status == 200
    await botapi.wait_for("sendMessage", len(questions) * len(users))
    for user in users:
        texts = _texts(botapi, user["id"])
        assert len(texts) == len(questions)
        for text, name in zip(texts, expected_names):
            assert name in text


async def test_webhook_url_registers_the_webhook_and_telegram_delivers_to_it(
        aiohttp_client, runtime, tg_settings, botapi):
    port = _free_port()
    settings = replace(tg_settings, webhook_url=f"http://127.0.0.1:{port}")
    app = create_app(runtime, settings, build_application(runtime, settings, updater=False))
    client = await aiohttp_client(TestServer(app, host="127.0.0.1", port=port))
    assert botapi.webhook["url"] == f"http://127.0.0.1:{port}{HOOK}"
    assert botapi.webhook["secret_token"] == WEBHOOK_SECRET
    calls = await botapi.exchange(botapi.message_update("ruoka-apu Turussa"))
    sent = [c.result["text"] for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1 and "Ruoka-apu" in sent[0]
    assert all(status == 200 for _, status in botapi.deliveries)
    status = await (await client.get("/admin/status", headers=admin())).json()
    assert status["telegram"]["running"] is True and status["telegram"]["webhook_registered"]


async def test_updates_wait_while_the_bot_api_is_unreachable(aiohttp_client, runtime, settings,
                                                             monkeypatch):
    import bot.channels.web.telegram_link as link

    monkeypatch.setattr(link, "FIRST_START_WAIT", 0.2)
    async with BotApiStandIn() as api:
        dead = f"http://127.0.0.1:{_free_port()}/bot"
        tg_settings = replace(settings, telegram_token=api.token, telegram_api_base_url=dead)
        app = create_app(runtime, tg_settings, build_application(runtime, tg_settings,
                                                                 updater=False))
        client = await aiohttp_client(app)
        assert (await client.get("/healthz")).status == 200
        resp = await client.post("/api/ask", json={"question": "ruoka-apu"})
        assert resp.status == 200
        update: dict[str, Any] = api.message_update("ruoka-apu")
        resp = await client.post(HOOK, json=update, headers=SECRET)
        assert resp.status == 200
        status = await (await client.get("/admin/status", headers=admin())).json()
        assert status["telegram"]["running"] is False
        assert status["telegram"]["queued_updates"] == 1
