"""The Bot API stand-in itself (tests/support/botapi.py): Telegram's rules, both transports."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, InvalidToken

from tests.support.botapi import ApiError, BotApiStandIn, BotApiState, plain_text


@pytest.mark.parametrize("html", ["<b>a", "a</b>", "<script>x</script>", "a < b", "a & b",
                                  "&nbsp;", "<br/>", '<span class="x">a</span>', "<!-- c -->"])
def test_html_that_telegram_refuses(html: str) -> None:
    with pytest.raises(ApiError, match="can't parse entities"):
        plain_text(html, "HTML")


def test_html_that_telegram_accepts() -> None:
    html = '<b>Lihava</b> &lt;x&gt; &amp; &quot; &#128578; <a href="https://e.fi/?a=1&amp;b=2">l</a>'
    assert plain_text(html, "HTML") == 'Lihava <x> & " 🙂 l'


def test_limits() -> None:
    api = BotApiState()
    chat = api.default_user["id"]
    status, body = api.handle("sendMessage", {"chat_id": chat, "text": "x" * 4097})
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, _ = api.handle("sendMessage", {"chat_id": chat, "text": "ok", "reply_markup": {
        "inline_keyboard": [[{"text": "b", "callback_data": "ä" * 33}]]}})
    assert status == 400
    status, _ = api.handle("sendMessage", {"chat_id": 42, "text": "ok"})
    assert status == 400
    status, body = api.handle("sendMessage", {"chat_id": chat, "text": "ok"})
    assert status == 200 and body["result"]["text"] == "ok"
    again = {"chat_id": chat, "message_id": body["result"]["message_id"], "text": "ok"}
    assert api.handle("editMessageText", again)[1]["description"].startswith(
        "Bad Request: message is not modified")
    query = api.callback_update(body["result"], "x")["callback_query"]["id"]
    assert api.handle("answerCallbackQuery", {"callback_query_id": query})[0] == 200
    assert api.handle("answerCallbackQuery", {"callback_query_id": query})[0] == 400
    assert api.handle("setMyCommands", {"commands": [{"command": "språk", "description": "x"}]}
                      )[0] == 400
    assert api.handle("noSuchMethod", {})[0] == 404
    assert [c.ok for c in api.calls] == [False, False, False, True, False, True, False, False, False]


async def test_a_real_bot_over_http() -> None:
    async with BotApiStandIn() as api:
        async with Bot(api.token, base_url=api.base_url) as bot:
            assert (await bot.get_me()).username == api.me["username"]
            update = api.push_update(api.message_update("hei"))
            waiting = asyncio.create_task(bot.get_updates(timeout=10))
            [got] = await waiting
            assert got.update_id == update["update_id"] and got.message.text == "hei"

            poll = asyncio.create_task(bot.get_updates(offset=got.update_id + 1, timeout=10))
            await api.until(lambda: api.waiting_polls == 1, 10, "the long poll")
            later = api.push_update(api.message_update("toinen"))
            assert [u.update_id for u in await poll] == [later["update_id"]]

            markup = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="d")]])
            sent = await bot.send_message(got.message.chat_id, "<b>vastaus</b>",
                                          parse_mode="HTML", reply_markup=markup,
                                          reply_to_message_id=got.message.message_id)
            assert sent.text == "vastaus" and sent.reply_to_message.text == "hei"
            assert api.sent()[-1]["reply_markup"] == markup.to_dict()
            with pytest.raises(BadRequest, match="(?i)can't parse entities"):
                await bot.send_message(got.message.chat_id, "<b>", parse_mode="HTML")
        with pytest.raises(InvalidToken):
            async with Bot("1:wrong", base_url=api.base_url):
                pass


async def test_webhook_delivery(aiohttp_server: Any) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((await request.json(),
                         request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/telegram/webhook", hook)
    server = await aiohttp_server(app)
    async with BotApiStandIn() as api, Bot(api.token, base_url=api.base_url) as bot:
        await bot.set_webhook(str(server.make_url("/telegram/webhook")), secret_token="s3cret")
        assert (await bot.get_webhook_info()).url.endswith("/telegram/webhook")
        update = api.push_update(api.message_update("hei"))
        await api.until(lambda: bool(api.deliveries), 10, "the delivery")
        assert api.deliveries == [(update["update_id"], 200)]
        assert received == [(update, "s3cret")]
        with pytest.raises(Conflict):
            await bot.get_updates()
        await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""
