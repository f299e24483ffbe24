"""POST /telegram/webhook against the Bot API stand-in over real HTTP.

Most tests feed a minimal PTB application (it echoes) so that they check the web server's
part alone: secret, 200 at once, each update once and in order, start and stop. The last
ones run the project's own bot through the webhook."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.channels.telegram.app import build_application
from bot.channels.web import create_app
from bot.config import Settings
from tests.support.botapi import BotApiStandIn
from tests.web.support import WEBHOOK_SECRET, admin, free_port

HOOK = "/telegram/webhook"
SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


@pytest.fixture
async def botapi():
    async with BotApiStandIn() as api:
        yield api


@pytest.fixture
def tg_settings(settings, botapi):
    return replace(settings, telegram_token=botapi.token, telegram_api_base_url=botapi.base_url)


def echo_application(settings: Settings) -> Application:
    """A webhook-mode PTB application that echoes texts and answers every button press."""
    app = (ApplicationBuilder().token(settings.telegram_token or "")
           .base_url(settings.telegram_api_base_url).updater(None).build())

    async def echo(update: Update, _context: Any) -> None:
        await update.effective_chat.send_message(f"echo: {update.effective_message.text}")

    async def press(update: Update, _context: Any) -> None:
        await update.callback_query.answer()

    app.add_handlers([MessageHandler(filters.TEXT, echo), CallbackQueryHandler(press)])
    return app


@pytest.fixture
async def tg_client(aiohttp_client, runtime, tg_settings):
    return await aiohttp_client(create_app(runtime, tg_settings, echo_application(tg_settings)))


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
    app = create_app(runtime, settings, echo_application(settings))
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
    update = botapi.message_update("first")
    first = await tg_client.post(HOOK, json=update, headers=SECRET)
    second = await tg_client.post(HOOK, json=update, headers=SECRET)
    assert first.status == second.status == 200
    assert (await second.json())["duplicate"] is True
    follow_up = botapi.message_update("second")
    assert (await tg_client.post(HOOK, json=follow_up, headers=SECRET)).status == 200
    assert (await tg_client.post(HOOK, json=update, headers=SECRET)).status == 200
    last = botapi.message_update("last")  # handled in order: a doubled one would come first
    assert (await tg_client.post(HOOK, json=last, headers=SECRET)).status == 200
    await botapi.wait_for("sendMessage", 3)
    assert _texts(botapi, chat) == ["echo: first", "echo: second", "echo: last"]


async def test_concurrent_updates_are_each_answered_once_in_order(tg_client, botapi):
    """Users post at the same time; each user's updates arrive in order (as Telegram sends)."""
    users = [botapi.user(2000 + i, first_name=f"U{i}") for i in range(10)]

    async def one_user(user: dict[str, Any]) -> list[int]:
        return [(await tg_client.post(HOOK, json=botapi.message_update(f"q{n}", user=user),
                                      headers=SECRET)).status for n in range(10)]

    statuses = await asyncio.gather(*(one_user(u) for u in users))
    assert {s for per_user in statuses for s in per_user} == {200}
    await botapi.wait_for("sendMessage", 100)
    for user in users:
        assert _texts(botapi, user["id"]) == [f"echo: q{n}" for n in range(10)]


async def test_webhook_url_registers_the_webhook_and_telegram_delivers_to_it(
        aiohttp_client, runtime, tg_settings, botapi):
    port = free_port()
    settings = replace(tg_settings, webhook_url=f"http://127.0.0.1:{port}")
    app = create_app(runtime, settings, echo_application(settings))
    client = await aiohttp_client(TestServer(app, host="127.0.0.1", port=port))
    assert botapi.webhook["url"] == f"http://127.0.0.1:{port}{HOOK}"
    assert botapi.webhook["secret_token"] == WEBHOOK_SECRET
    calls = await botapi.exchange(botapi.message_update("hello"))
    sent = [c.result["text"] for c in calls if c.method == "sendMessage"]
    assert sent == ["echo: hello"]
    assert all(status == 200 for _, status in botapi.deliveries)
    status = await (await client.get("/admin/status", headers=admin())).json()
    assert status["telegram"]["running"] is True and status["telegram"]["webhook_registered"]


async def test_while_the_bot_api_is_unreachable_updates_are_left_for_redelivery(
        aiohttp_client, runtime, settings, monkeypatch):
    """Nothing is acknowledged that cannot be answered: a 503 makes Telegram deliver the
    update again later, and no claim is left behind that would refuse the redelivery."""
    import bot.channels.telegram.link as link

    monkeypatch.setattr(link, "FIRST_START_WAIT", 0.2)
    async with BotApiStandIn() as api:
        dead = f"http://127.0.0.1:{free_port()}/bot"
        tg_settings = replace(settings, telegram_token=api.token, telegram_api_base_url=dead)
        app = create_app(runtime, tg_settings, echo_application(tg_settings))
        client = await aiohttp_client(app)
        assert (await client.get("/healthz")).status == 200
        resp = await client.post("/api/ask", json={"question": "ruoka-apu"})
        assert resp.status == 200
        update: dict[str, Any] = api.message_update("ruoka-apu")
        resp = await client.post(HOOK, json=update, headers=SECRET)
        assert resp.status == 503
        status = await (await client.get("/admin/status", headers=admin())).json()
        assert status["telegram"]["running"] is False
        assert runtime.updates.claim(update["update_id"], 30) == "claimed"


async def test_the_bot_answers_questions_through_the_webhook(aiohttp_client, runtime, tg_settings,
                                                             botapi):
    port = free_port()
    settings = replace(tg_settings, webhook_url=f"http://127.0.0.1:{port}{HOOK}")
    app = create_app(runtime, settings, build_application(runtime, settings, updater=False))
    await aiohttp_client(TestServer(app, host="127.0.0.1", port=port))
    assert botapi.webhook["url"] == f"http://127.0.0.1:{port}{HOOK}"
    assert botapi.calls_to("setMyCommands")  # post_init ran
    calls = await botapi.exchange(botapi.message_update("ruoka-apu Turussa"))
    sent = [c.result["text"] for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1 and "Ruoka-apu" in sent[0]
