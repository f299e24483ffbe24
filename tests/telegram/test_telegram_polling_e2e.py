"""End to end: the real `python -m bot polling` process against the Bot API stand-in.

A resident's whole conversation over real HTTP on 127.0.0.1, with a fresh SQLite file (the
bundled catalogue loads by itself); afterwards no question text may be found in the
database files or in the process's output at INFO level.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.channels.telegram.keyboards import Action, ButtonData, service_token
from bot.config import DEFAULT_KNOWLEDGE_DIR, sqlite_url
from tests.support.botapi import BotApiStandIn, Call

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180.0

pytestmark = pytest.mark.slow

FI_QUESTION = "Mistä saisin ruoka-apua Porissa?"
SV_QUESTION = "Var kan jag få mathjälp i Björneborg?"
CRISIS = "En jaksa enää, haluan kuolla"
LONG_QUESTION = ("Olen yksin kotona enkä jaksa lähteä minnekään, ja kaipaisin juttuseuraa "
                 "tai vertaistukiryhmää Porissa. ") * 50
UPDATED = "Tämä kuvaus päivitettiin kesken keskustelun."
GROUP_CHATTER = "Muistakaa huomisen kokouksen kahvit, tuon pullaa"
QUESTIONS = (FI_QUESTION, SV_QUESTION, CRISIS, LONG_QUESTION.strip(), GROUP_CHATTER, "Porri")


def _data(button: dict[str, Any]) -> ButtonData:
    data = ButtonData.decode(button["callback_data"])
    assert data is not None, button
    return data


def _button(message: dict[str, Any], action: Action) -> dict[str, Any]:
    return next(b for b in BotApiStandIn.buttons(message) if _data(b).action is action)


def _sent(calls: list[Call]) -> list[dict[str, Any]]:
    return [c.result for c in calls if c.method == "sendMessage"]


def _environment(api: BotApiStandIn, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"KNOWLEDGE_DIR", "LOG_LEVEL", "STORE_STATISTICS", "WEBHOOK_URL"}}
    env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url,
               DATABASE_URL=sqlite_url(tmp_path / "bot.sqlite3"),
               HYTEOPAS_DATA_DIR=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    return env


def _start(env: dict[str, str], tmp_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "bot", "polling"], cwd=ROOT, env=env,
                            stdout=(tmp_path / "stdout.log").open("wb"),
                            stderr=(tmp_path / "stderr.log").open("wb"))


async def _stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return await asyncio.to_thread(proc.wait, 60)
    except subprocess.TimeoutExpired:
        proc.kill()
        await asyncio.to_thread(proc.wait)
        raise


async def test_a_residents_conversation(tmp_path: Path) -> None:
    async with BotApiStandIn() as api:
        env = _environment(api, tmp_path)
        proc = _start(env, tmp_path)
        try:
            await _converse(api, proc, tmp_path, env)
        finally:
            code = await _stop(proc)
        assert code == 0, (tmp_path / "stderr.log").read_text()
        assert not [c for c in api.calls if not c.ok], [c for c in api.calls if not c.ok]

    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        assert db.execute("select count(*) from user_prefs").fetchone() == (0,)  # /unohda
        reports = db.execute("select service_id, language from reports").fetchall()
    assert len(reports) == 1 and reports[0][1] == "fi"

    stored = b"".join(p.read_bytes() for p in tmp_path.glob("bot.sqlite3*"))
    stored += b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file())
    logs = b"".join(p.read_bytes() for p in tmp_path.glob("*.log"))
    for question in QUESTIONS:
        assert question.encode() not in stored, question
        assert question.encode() not in logs, question
    assert b"Traceback" not in logs, logs.decode()
    assert api.token.encode() not in logs


async def _reload_with_changed_summary(tmp_path: Path, env: dict[str, str], token: str) -> None:
    """`python -m bot reload` of a copy of the catalogue where one service's summary changed."""
    folder = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, folder)
    for path in (folder / "services").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for service in data.get("services", []):
            if service_token(service["id"]) == token:
                service["summary"] = {"fi": UPDATED, "sv": UPDATED}
                path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
                break
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", "reload", str(folder)], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


async def _converse(api: BotApiStandIn, proc: subprocess.Popen[bytes], tmp_path: Path,
                    env: dict[str, str]) -> None:
    async def started() -> None:
        await api.until(lambda: proc.poll() is not None or bool(api.calls_to("getUpdates")),
                        START_TIMEOUT, "the bot to start polling")
        assert proc.poll() is None, "the bot process exited"

    await started()
    maija = api.default_user
    chat = maija["id"]
    assert {c["command"] for c in api.commands[("default", "fi")]} >= {"kunta", "unohda"}
    assert {c["command"] for c in api.commands[("default", "sv")]} >= {"kommun", "glom"}

    # /start: what the bot does, not an emergency service, messages not stored
    greeting = _sent(await api.exchange(api.message_update("/start")))
    assert len(greeting) == 1 and "112" in greeting[0]["text"]
    assert "/unohda" in greeting[0]["text"]

    # a Finnish question: options with buttons, as a reply to the question
    update = api.message_update(FI_QUESTION)
    calls = await api.exchange(update)
    assert [c.method for c in calls] == ["sendMessage"]
    fi_reply = _sent(calls)[-1]
    assert fi_reply["reply_to_message"]["message_id"] == update["message"]["message_id"]
    assert "1." in fi_reply["text"] and "3." in fi_reply["text"]
    actions = [_data(b).action for b in api.buttons(fi_reply)]
    assert actions.count(Action.DETAILS) == 3
    assert {Action.MORE, Action.ASK_MUNICIPALITY} <= set(actions)
    assert {_data(b).language for b in api.buttons(fi_reply)} == {"fi"}

    # a Swedish question from the same user: the reply and its buttons in Swedish
    sv_reply = _sent(await api.exchange(api.message_update(SV_QUESTION)))[-1]
    assert {_data(b).language for b in api.buttons(sv_reply)} == {"sv"}
    assert "Björneborg" in sv_reply["text"]

    # buttons: details, more options, report outdated information
    card = _sent(await api.exchange(api.callback_update(
        fi_reply, _button(fi_reply, Action.DETAILS)["callback_data"])))[-1]
    assert _data(_button(card, Action.REPORT)).action is Action.REPORT
    more = _sent(await api.exchange(api.callback_update(
        fi_reply, _button(fi_reply, Action.MORE)["callback_data"])))[-1]
    assert "4." in more["text"]
    assert Action.MORE not in [_data(b).action for b in api.buttons(api.message(fi_reply))]
    report = await api.exchange(api.callback_update(card, _button(card, Action.REPORT)
                                                    ["callback_data"]))
    assert next(c.params.get("text") for c in report if c.method == "answerCallbackQuery")
    assert api.buttons(api.message(card)) == []

    # /kunta with a misspelt name, then the button
    choices = _sent(await api.exchange(api.message_update("/kunta Porri")))[-1]
    pori = next(b for b in api.buttons(choices) if "Pori" in b["text"])
    assert _data(pori).argument == "609"
    saved = await api.exchange(api.callback_update(choices, pori["callback_data"]))
    assert "Pori" in api.message(choices)["text"]
    assert [c for c in saved if c.method == "answerCallbackQuery"]

    # a crisis message: the crisis reply comes first, in text
    crisis = _sent(await api.exchange(api.message_update(CRISIS)))
    assert "112" in crisis[0]["text"].split("\n")[0]

    # a 5000-character message: answered, every piece within Telegram's limit
    long_reply = _sent(await api.exchange(api.message_update(LONG_QUESTION)))
    assert long_reply and all(len(m["text"]) <= 4096 for m in long_reply)

    # a sticker, an edited message, an unknown command: one short reply each
    assert len(_sent(await api.exchange(api.sticker_update()))) == 1
    assert len(_sent(await api.exchange(api.edited_update(update["message"], "ruoka-apu")))) == 1
    unknown = _sent(await api.exchange(api.message_update("/xyzzy")))
    assert len(unknown) == 1 and "/xyzzy" in unknown[0]["text"]

    # a group: not addressed → silence; addressed → an answer
    group = api.group()
    assert await api.exchange(api.message_update(GROUP_CHATTER, chat=group)) == []
    addressed = _sent(await api.exchange(api.message_update(
        f"@{api.me['username']} ruoka-apu Pori", chat=group)))
    assert addressed and addressed[-1]["chat"]["id"] == group["id"]

    # a Swedish-speaking user's /start
    stina = api.user(2002, first_name="Stina", language_code="sv-FI")
    hej = _sent(await api.exchange(api.message_update("/start", user=stina)))
    assert "/glom" in hej[0]["text"]

    # a curator reloads a changed catalogue from another process: old buttons keep working
    token = _data(_button(fi_reply, Action.DETAILS)).argument
    await _reload_with_changed_summary(tmp_path, env, token)
    for _attempt in range(120):
        card = _sent(await api.exchange(api.callback_update(
            fi_reply, _button(fi_reply, Action.DETAILS)["callback_data"])))[-1]
        if UPDATED in card["text"]:
            break
        await asyncio.sleep(0.5)  # the bot looks at the stored catalogue every few seconds
    assert UPDATED in card["text"]

    # /unohda: everything stored about Maija is deleted (checked in the database afterwards)
    forget = _sent(await api.exchange(api.message_update("/unohda", user=maija)))
    assert len(forget) == 1 and forget[0]["chat"]["id"] == chat
    assert proc.poll() is None
