"""Privacy: after a full conversation in Telegram (webhook) and in the web chat with a real
`python -m bot serve` (SQLite, and PostgreSQL), no message text is in the database (every
row of every table), in the log at INFO level, or in any file under the test's folders;
/unohda and /glöm remove every row about the user; the anonymous statistics
(STORE_STATISTICS=1) hold only topic, municipality and day.
"""

from __future__ import annotations


import re
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.channels.telegram.keyboards import Action, ButtonData
from tests.reliability.support import (
    UNLIMITED,
    dump_tables,
    files_containing,
    post_update,
    rows_mentioning,
    serve_env,
    settle,
    start_serve,
    table_columns,
    until,
    user_key,
)
from tests.support.botapi import BotApiStandIn
from tests.web.support import admin

MARK = "Xq7"
"""Every piece of user text below carries a word starting with this; none may be kept."""
SECRETS = {
    "fi_question": f"Mummoni on tosi yksinäinen Porissa {MARK}mummoA, löytyykö ystävätoimintaa?",
    "sv_question": f"Min mormor är ensam i Björneborg {MARK}mormorB, finns det vänverksamhet?",
    "crisis": f"En jaksa enää, haluan kuolla {MARK}kriisiC",
    "long": (f"Olen yksin kotona {MARK}pitkaD enkä jaksa lähteä minnekään. " * 120).strip(),
    "edited": f"ruoka-apu Porissa {MARK}muokattuE",
    "inline": f"ruoka-apu {MARK}inlineF",
    "group": f"@hyteopas_test_bot velkaneuvonta {MARK}ryhmaG",
    "command": f"/{MARK}komentoH",
    "place": f"/kunta {MARK}paikkaI",
    "prompt_answer": f"{MARK}vastausJ",
    "web_chat": f"Olen yksin ja {MARK}webK, tarvitsen ruoka-apua Porissa",
    "web_ask": f"{MARK}webL velkaneuvonta",
    "web_sv": f"{MARK}webM mathjälp i Åbo",
    "sv_command": f"/kommun {MARK}kommunN",
}
NEEDLES = sorted({w for text in SECRETS.values() for w in re.findall(MARK + r"\w+", text)})
MAIJA, STINA = 731_000_001, 731_000_002
NAMES = ("Zorblaxa", "Quorvina", "zorblaxa_tg")


def _button(message: dict[str, Any], action: Action) -> dict[str, Any]:
    return next(b for b in BotApiStandIn.buttons(message)
                if (d := ButtonData.decode(b["callback_data"])) and d.action is action)


def _user_rows(url: str, user_id: int) -> int:
    """Rows, in any table, that hold the user's key or their Telegram id."""
    keyed = rows_mentioning(url, user_key(url, "telegram", user_id))
    by_id = rows_mentioning(url, str(user_id))
    return sum(keyed.values()) + sum(by_id.values())


async def _converse(http: aiohttp.ClientSession, url: str, api: BotApiStandIn,
                    database_url: str, service_id: str) -> None:
    async def send(update: dict[str, Any]) -> list[dict[str, Any]]:
        since = api.mark()
        assert await post_update(http, url, update) == 200
        await settle(http, url, api)
        return [c.result for c in api.calls_to("sendMessage", since=since) if c.ok]

    maija = api.user(MAIJA, first_name=NAMES[0], username=NAMES[2])
    stina = api.user(STINA, first_name=NAMES[1], language_code="sv")
    say = lambda text, user=maija, **kw: send(api.message_update(text, user=user, **kw))

    await say("/start")
    [reply] = await say(SECRETS["fi_question"])
    await send(api.callback_update(reply, _button(reply, Action.DETAILS)["callback_data"]))
    await send(api.callback_update(reply, _button(reply, Action.MORE)["callback_data"]))
    card = next(m for m in reversed(api.sent(MAIJA)) if any(
        (d := ButtonData.decode(b["callback_data"])) and d.action is Action.REPORT
        for b in BotApiStandIn.buttons(m)))
    await send(api.callback_update(card, _button(card, Action.REPORT)["callback_data"]))
    await say(SECRETS["sv_question"])
    await say("/kunta Pori")
    await say("/kieli sv")
    await say("/ammattilainen")
    assert len(await say(SECRETS["crisis"])) >= 1
    assert len(await say(SECRETS["long"])) >= 1
    original = api.message_update("ruoka-apu", user=maija)
    await send(original)
    await send(api.edited_update(original["message"], SECRETS["edited"]))
    inline = api.inline_update(SECRETS["inline"], user=maija)
    await send(inline)
    assert api.calls_to("answerInlineQuery")
    group = api.group()
    assert await say(SECRETS["group"], chat=group)
    await say(SECRETS["command"])
    sent = await say(SECRETS["place"])
    await say(SECRETS["prompt_answer"], reply_to=sent[-1])
    await send(api.sticker_update(user=maija))
    await say("/kommun Åbo", user=stina)
    await say("/språk sv", user=stina)
    await say(SECRETS["sv_command"], user=stina)
    await say(SECRETS["sv_question"], user=stina)

    for path, body in (("/api/chat", {"question": SECRETS["web_chat"]}),
                       ("/api/ask", {"question": SECRETS["web_ask"], "municipality": "Pori"}),
                       ("/api/chat", {"question": SECRETS["web_sv"], "language": "sv"}),
                       ("/api/chat", {"question": SECRETS["crisis"]})):
        async with http.post(url + path, json=body) as r:
            assert r.status == 200
    async with http.post(url + "/api/report", json={"service_id": service_id}) as r:
        assert r.status == 201

    # Forget me: every row about each user goes.
    assert _user_rows(database_url, MAIJA) >= 1 and _user_rows(database_url, STINA) >= 1
    await say("/unohda")
    assert _user_rows(database_url, MAIJA) == 0
    assert _user_rows(database_url, STINA) >= 1
    await say("/glöm", user=stina)
    assert _user_rows(database_url, STINA) == 0
    assert not [c for c in api.calls if not c.ok], [c.error for c in api.calls if not c.ok]


def _check_statistics(database_url: str, topics: set[str]) -> None:
    columns = table_columns(database_url)
    assert sorted(columns["usage_stats"]) == ["count", "day", "municipality", "topic"]
    rows = dump_tables(database_url)["usage_stats"]
    assert rows, "STORE_STATISTICS=1 recorded nothing"
    names = columns["usage_stats"]
    for row in rows:
        record = dict(zip(names, row))
        assert record["topic"] in topics | {"none"}, record
        assert re.fullmatch(r"(\d{3})?", record["municipality"]), record
        assert isinstance(record["count"], int) and record["count"] >= 1


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_no_message_text_is_kept_anywhere(backend: str, tmp_path: Path,
                                                request: pytest.FixtureRequest) -> None:
    database_url = request.getfixturevalue("pg_url") if backend == "postgres" else None
    async with BotApiStandIn() as api:
        env = serve_env(tmp_path, api=api, database_url=database_url, STORE_STATISTICS="1",
                        LOG_LEVEL="INFO", **UNLIMITED)
        server = await start_serve(env)
        database_url = env["DATABASE_URL"]
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
                async def telegram_running() -> bool:
                    async with http.get(server.url + "/admin/status", headers=admin()) as r:
                        return (await r.json())["telegram"]["running"]

                await until(telegram_running, "Telegram processing to start")
                async with http.post(server.url + "/api/ask", json={"question": "ruoka-apu"}) as r:
                    service_id = (await r.json())["results"][0]["id"]
                async with http.get(server.url + "/admin/status", headers=admin()) as r:
                    topics = set((await r.json())["counts"]["topics"])
                await _converse(http, server.url, api, database_url, service_id)
        except BaseException:
            print(server.output[-8000:])
            raise
        finally:
            code = server.stop()
    assert code == 0, server.output[-5000:]

    # The database: every row of every table, as text.
    dump = repr(dump_tables(database_url))
    assert not [n for n in NEEDLES if n in dump]
    assert not [n for n in NAMES if n in dump]
    _check_statistics(database_url, topics)
    # The log at INFO level, and every file the run left in the test's folder (the SQLite
    # file with its -wal/-shm, the data folder, uploads...).
    logs = server.output
    assert not [n for n in NEEDLES if n in logs], logs[-5000:]
    assert not [n for n in NAMES if n in logs]
    assert not [str(i) for i in (MAIJA, STINA) if str(i) in logs]
    assert not files_containing(tmp_path, NEEDLES + list(NAMES))
    if backend == "postgres":
        postgres_server = request.getfixturevalue("postgres_server")
        # Its log, its write-ahead log and its table files.
        assert not files_containing(postgres_server.folder, NEEDLES)
