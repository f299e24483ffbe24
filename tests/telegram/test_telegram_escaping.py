"""Catalogue text full of markup reaches Telegram escaped (the stand-in parses HTML as
Telegram does, so any unescaped tag would be refused) and shows as the curator wrote it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram.keyboards import Action, ButtonData
from bot.runtime import Runtime
from tests.support.botapi import TOKEN, BotApiState
from tests.telegram.support import failed, start_harness

SERVICES = """\
providers:
  - id: markup-provider
    name: {fi: "<b>Lihava</b> & <i>kursiivi</i> ry", sv: "<b>Fet</b> & <i>kursiv</i> rf"}
    kind: association
services:
  - id: markup-ruoka
    provider: markup-provider
    name: {fi: "Ruoka-apu <script>alert(1)</script>", sv: "Mathjälp <b>fet"}
    summary: {fi: "Ruokakasseja & leipää <tiistaisin>.", sv: "Matkassar & bröd <tisdagar>."}
    keywords: {fi: [ruoka-apu, ruokakassi], sv: [mathjälp]}
    topics: [food_aid]
    areas: [Pori]
    languages: [fi, sv]
    cost: free
    access: {fi: "Tule paikalle </p><a href=\\"javascript:x\\">klikkaa</a>", sv: "Kom <b>dit</b>."}
    hours: {fi: "ma & ti 9<12", sv: "mån & tis 9<12"}
    contact: {url: "https://example.org/ruoka?a=1&b=<x>", phone: "+358 40 000 0009"}
  - id: markup-liikunta
    provider: markup-provider
    name: {fi: "Liikunta <3", sv: "Motion <3"}
    summary: {fi: "Kävelyä & jumppaa.", sv: "Promenader & gympa."}
    topics: [exercise]
    areas: [Pori]
    languages: [fi, sv]
"""


@pytest.fixture
def markup_runtime(tmp_path: Path) -> Any:
    folder = tmp_path / "markup"
    (folder / "services").mkdir(parents=True)
    (folder / "services" / "markup.yaml").write_text(SERVICES, encoding="utf-8")
    runtime = Runtime.ephemeral(folder)
    runtime.settings = type(runtime.settings)(**{**runtime.settings.__dict__,
                                                "telegram_token": TOKEN})
    yield runtime
    runtime.close()


async def test_catalogue_markup_is_escaped_everywhere(markup_runtime: Any) -> None:
    api = BotApiState()
    bot = await start_harness(markup_runtime, api)
    try:
        for question in ("ruoka-apu Pori", "mathjälp Björneborg"):
            reply = (await bot.text(question))[-1].result
            assert "<script>alert(1)</script>" in reply["text"] or "<b>fet" in reply["text"]
            details = next(b for b in api.buttons(reply)
                           if ButtonData.decode(b["callback_data"]).action is Action.DETAILS)
            card = (await bot.press(reply, details["callback_data"]))[-1].result
            assert "9<12" in card["text"] and ("</p>" in card["text"] or "<b>dit</b>" in card["text"])
        inline = (await bot.send(api.inline_update("ruoka-apu Pori")))[-1]
        assert inline.ok and inline.params["results"]
        assert not failed(api.calls)
    finally:
        await bot.app.shutdown()
