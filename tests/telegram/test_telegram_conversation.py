"""Handler-level tests: updates through ``Application.process_update``, calls recorded."""

from __future__ import annotations

import shutil
from typing import Any

import yaml

from bot.channels.telegram.keyboards import Action, ButtonData, service_token
from bot.channels.telegram.throttle import ChatThrottle
from bot.channels.telegram.users import CHANNEL
from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.core.knowledge import KnowledgeBase
from bot.i18n import translator
from bot.storage.repositories import UserPrefs
from tests.support.botapi import BotApiState
from tests.telegram.support import BotHarness, failed, sent_texts, start_harness

T_FI = translator("fi", "telegram")
T_SV = translator("sv", "telegram")


def data_of(button: dict[str, Any]) -> ButtonData:
    data = ButtonData.decode(button["callback_data"])
    assert data is not None
    return data


def buttons(message: dict[str, Any], action: Action) -> list[dict[str, Any]]:
    return [b for b in BotApiState.buttons(message) if data_of(b).action is action]


def last_sent(bot: BotHarness) -> dict[str, Any]:
    return bot.api.sent()[-1]


def prefs(bot: BotHarness, user_id: int = 1001) -> UserPrefs | None:
    runtime = bot.app.bot_data["hyteopas"].runtime
    return runtime.users.get(runtime.users.key(CHANNEL, user_id))


async def test_start_says_what_the_bot_is_and_is_not(bot: BotHarness) -> None:
    [text] = sent_texts(await bot.text("/start"))
    assert "112" in text and "/unohda" in text
    assert T_FI("I am not an emergency service. In an emergency, call 112.") in text
    assert "käyttänyt 12 kuukauteen, poistetaan" in text  # the default 365 days, stated
    assert {data_of(b).action for b in bot.api.buttons(last_sent(bot))} == {Action.LANGUAGE}


async def test_language_comes_from_telegram_then_from_the_choice(bot: BotHarness) -> None:
    stina = bot.api.user(2002, language_code="sv-FI")
    [text] = sent_texts(await bot.text("/start", user=stina))
    assert "/glom" in text and T_SV("I am not an emergency service. In an emergency, call 112.") in text
    assert "inte har använt på 12 månader raderas" in text
    nobody = bot.api.user(2003, language_code=None)
    assert "/unohda" in sent_texts(await bot.text("/start", user=nobody))[0]
    english = bot.api.user(2004, language_code="en")
    assert "/unohda" in sent_texts(await bot.text("/start", user=english))[0]

    await bot.text("/kieli", user=english)
    svenska = next(b for b in bot.api.buttons(last_sent(bot)) if data_of(b).argument == "sv")
    calls = await bot.press(last_sent(bot), svenska["callback_data"], user=english)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert prefs(bot, 2004) == UserPrefs(language="sv")
    assert "/glom" in sent_texts(await bot.text("/start", user=english))[0]


async def test_a_swedish_command_name_answers_in_swedish(bot: BotHarness) -> None:
    [text] = sent_texts(await bot.text("/språk"))
    assert text == T_SV("Choose the language I answer in:")


async def test_a_question_gets_options_and_buttons(bot: BotHarness) -> None:
    update = bot.api.message_update("ruoka-apu Porissa")
    calls = await bot.send(update)
    assert [c.method for c in calls] == ["sendMessage"]
    reply = calls[-1].result
    assert reply["reply_to_message"]["message_id"] == update["message"]["message_id"]
    assert "1." in reply["text"] and "3." in reply["text"] and "4." not in reply["text"]
    details = buttons(reply, Action.DETAILS)
    assert len(details) == 3 and details[0]["text"].startswith("ℹ️ 1.")
    assert buttons(reply, Action.MORE)[0]["text"] == T_FI("➕ More options")
    assert buttons(reply, Action.ASK_MUNICIPALITY)
    assert all(len(b["callback_data"].encode()) <= 64 for b in bot.api.buttons(reply))
    assert calls[-1].params["parse_mode"] == "HTML"


async def test_a_swedish_question_is_answered_in_swedish(bot: BotHarness) -> None:
    reply = (await bot.text("Var finns mathjälp i Björneborg?"))[-1].result
    assert {data_of(b).language for b in bot.api.buttons(reply)} == {"sv"}
    assert buttons(reply, Action.MORE)[0]["text"] == T_SV("➕ More options")


async def test_details_more_and_report(bot: BotHarness) -> None:
    reply = (await bot.text("ruoka-apu Porissa"))[-1].result
    first = buttons(reply, Action.DETAILS)[0]

    calls = await bot.press(reply, first["callback_data"])
    assert calls[0].method == "answerCallbackQuery"
    card = calls[-1].result
    name = first["text"].removeprefix("ℹ️ 1. ")
    assert card["text"].startswith(name.rstrip("…"))
    [report] = buttons(card, Action.REPORT)
    assert report["text"] == T_FI("⚠️ Report outdated information")

    calls = await bot.press(reply, buttons(reply, Action.MORE)[0]["callback_data"])
    more = calls[-1].result
    assert "4." in more["text"] and "1." not in more["text"].split("4.")[0]
    assert buttons(more, Action.DETAILS)[0]["text"].startswith("ℹ️ 4.")
    assert not buttons(bot.api.message(reply), Action.MORE)  # pressed: gone from the list
    assert buttons(bot.api.message(reply), Action.DETAILS)

    calls = await bot.press(card, report["callback_data"])
    assert calls[0].params["text"] == T_FI("Thank you! The information will be checked.")
    runtime = bot.app.bot_data["hyteopas"].runtime
    [stored] = runtime.reports.all()
    assert service_token(stored["service_id"]) == data_of(report).argument
    assert stored["language"] == "fi"
    assert bot.api.buttons(bot.api.message(card)) == []
    assert not failed(bot.api.calls)


async def test_more_options_run_out(bot: BotHarness) -> None:
    message = (await bot.text("ruoka-apu Porissa"))[-1].result
    seen = len(buttons(message, Action.DETAILS))
    while buttons(message, Action.MORE):
        message = (await bot.press(message, buttons(message, Action.MORE)[0]["callback_data"]))[-1].result
        seen += len(buttons(message, Action.DETAILS))
    assert 3 < seen <= 9
    assert not failed(bot.api.calls)


async def test_buttons_work_after_a_restart_and_expire_politely(runtime: Any) -> None:
    api = BotApiState()
    first = await start_harness(runtime, api)
    reply = (await first.text("ruoka-apu Porissa"))[-1].result
    await first.app.shutdown()

    second = await start_harness(runtime, api)  # a new process: nothing kept in memory
    try:
        calls = await second.press(reply, buttons(reply, Action.DETAILS)[1]["callback_data"])
        assert calls[-1].method == "sendMessage"
        calls = await second.press(reply, buttons(reply, Action.MORE)[0]["callback_data"])
        assert "4." in calls[-1].result["text"]

        for stale in ("v0:d:fi:abc", "garbage", "v1:d:fi:AAAAAAAA", "v1:m:fi:3:zzzzzzzz"):
            [answer] = await second.press(reply, stale)
            assert answer.method == "answerCallbackQuery" and answer.params["text"]
            assert answer.params["text"] in {
                T_FI("This button has expired. Please ask your question again."),
                T_FI("This option is no longer in the catalogue. Please ask your question again.")}
    finally:
        await second.app.shutdown()


async def test_municipality_by_fuzzy_name_and_button(bot: BotHarness) -> None:
    choices = (await bot.text("/kunta Porri"))[-1].result
    pori = next(b for b in bot.api.buttons(choices) if b["text"] == "📍 Pori")
    calls = await bot.press(choices, pori["callback_data"])
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert "Pori" in calls[-1].result["text"]
    assert prefs(bot) == UserPrefs(municipality="609")

    [current] = sent_texts(await bot.text("/kunta"))
    assert "Pori" in current
    remove = next(b for b in bot.api.buttons(last_sent(bot)) if data_of(b).argument == "-")
    await bot.press(last_sent(bot), remove["callback_data"])
    assert prefs(bot) == UserPrefs()

    await bot.text("/kommun Karleby")
    assert prefs(bot) == UserPrefs(municipality="272")


async def test_municipality_prompt_and_its_answer(bot: BotHarness) -> None:
    calls = await bot.text("/kunta")
    assert calls[-1].params["reply_markup"]["force_reply"] is True
    await bot.text("Kokkola", reply_to=calls[-1].result)
    assert prefs(bot) == UserPrefs(municipality="272")

    reply = (await bot.text("ruoka-apu"))[-1].result
    calls = await bot.press(reply, buttons(reply, Action.ASK_MUNICIPALITY)[0]["callback_data"])
    assert calls[-1].params["reply_markup"]["force_reply"] is True
    await bot.text("xqzwv", reply_to=calls[-1].result)
    assert sent_texts(bot.api.calls[-2:])[0] == T_FI(
        "I could not find a municipality by that name. Check the spelling and try again.")


async def test_professional_view_and_forget(bot: BotHarness) -> None:
    [on] = sent_texts(await bot.text("/ammattilainen"))
    assert on == T_FI("Professional view is on: the options come with fuller cards (languages, "
                      "audience, area, why they matched, source).")
    toggle = last_sent(bot)
    assert prefs(bot) == UserPrefs(professional=True)
    resident = (await bot.send(bot.api.message_update("ruoka-apu Porissa",
                                                      user=bot.api.user(3003))))[-1]
    professional = (await bot.text("ruoka-apu Porissa"))[-1]
    assert len(professional.params["text"]) > len(resident.params["text"])

    [switch] = bot.api.buttons(toggle)
    assert switch["text"] == T_FI("Switch to the resident view")
    await bot.press(toggle, switch["callback_data"])
    assert prefs(bot) == UserPrefs(professional=False)

    await bot.text("/kunta Pori")
    [done] = sent_texts(await bot.text("/unohda"))
    assert prefs(bot) is None
    assert done.startswith(T_FI("Done: I deleted everything stored about you (language, home "
                                "municipality and view). Your messages were never stored. You "
                                "can delete this chat in Telegram too.")[:20])
    [glom] = sent_texts(await bot.text("/glöm"))
    assert glom.startswith(T_SV("Done: I deleted everything stored about you (language, home "
                                "municipality and view). Your messages were never stored. You "
                                "can delete this chat in Telegram too.")[:10])


async def test_crisis_comes_first(bot: BotHarness) -> None:
    calls = await bot.text("haluan kuolla, en jaksa enää")
    [text] = sent_texts(calls)
    assert "112" in text.split("\n")[0]


async def test_a_very_long_message_is_answered_in_pieces_within_the_limit(bot: BotHarness) -> None:
    question = ("Tarvitsen apua velkojen kanssa ja ruoka-apua Porissa, ja yksinäisyys painaa. "
                * 70)[:5000]
    calls = await bot.text(question)
    assert not failed(calls)
    assert sent_texts(calls)


async def test_stickers_edits_and_unknown_commands_get_a_short_reply(bot: BotHarness) -> None:
    assert sent_texts(await bot.send(bot.api.sticker_update())) == [T_FI(
        "I can only read text. Write your question in a few words, for example: food aid in "
        "Pori, or: someone to talk to when I feel lonely.")]
    question = bot.api.message_update("ruoka-apu")
    await bot.send(question)
    [edited] = sent_texts(await bot.send(bot.api.edited_update(question["message"], "velka")))
    assert edited.startswith(T_FI("I noticed you edited a message. I answer each message once, "
                                  "so please send the corrected question as a new message.")[:15])
    [unknown] = sent_texts(await bot.text("/xyzzy pori"))
    assert "/xyzzy" in unknown and "/help" in unknown
    photo = bot.api.message_update(photo=[{"file_id": "p", "file_unique_id": "p", "width": 1,
                                          "height": 1}])
    assert len(sent_texts(await bot.send(photo))) == 1
    location = bot.api.message_update(location={"latitude": 61.48, "longitude": 21.79})
    assert len(sent_texts(await bot.send(location))) == 1


async def test_in_a_group_only_messages_for_the_bot_are_answered(bot: BotHarness) -> None:
    group = bot.api.group()
    username = bot.api.me["username"]
    assert await bot.text("ruoka-apu Porissa", chat=group) == []
    assert await bot.send(bot.api.sticker_update(chat=group)) == []
    assert await bot.text("/kunta@some_other_bot Pori", chat=group) == []
    assert await bot.text("/roll", chat=group) == []

    calls = await bot.text(f"@{username} ruoka-apu Porissa", chat=group)
    reply = calls[-1].result
    assert reply["chat"]["id"] == group["id"] and "1." in reply["text"]
    calls = await bot.text("entä velkaneuvonta?", chat=group, reply_to=reply)
    assert calls[-1].result["chat"]["id"] == group["id"]
    assert sent_texts(await bot.text(f"/help@{username}", chat=group))
    assert sent_texts(await bot.text(f"@{username}", chat=group)) == [T_FI(
        "Yes? Write your question after my name, for example: food aid in Pori.")]


async def test_inline_mode_offers_cards_to_share(bot: BotHarness) -> None:
    [call] = await bot.send(bot.api.inline_update("ruoka-apu Pori"))
    assert call.method == "answerInlineQuery" and call.ok
    results = call.params["results"]
    assert 3 <= len(results) <= 10
    assert all(r["input_message_content"]["parse_mode"] == "HTML" for r in results)
    if call.params.get("next_offset"):
        [page] = await bot.send(bot.api.inline_update("ruoka-apu Pori",
                                                      offset=call.params["next_offset"]))
        assert {r["id"] for r in page.params["results"]}.isdisjoint({r["id"] for r in results})

    [crisis] = await bot.send(bot.api.inline_update("haluan kuolla"))
    assert crisis.params["results"][0]["id"] == "crisis"
    [empty] = await bot.send(bot.api.inline_update(""))
    assert empty.params["results"] == [] and empty.params["button"]["start_parameter"]


async def test_one_chat_cannot_flood_the_bot(bot: BotHarness) -> None:
    now = [0.0]
    bot.app.bot_data["hyteopas"].throttle = ChatThrottle(burst=2, rate=1.0, clock=lambda: now[0])
    assert sent_texts(await bot.text("/help"))
    assert sent_texts(await bot.text("/help"))
    [notice] = sent_texts(await bot.text("/help"))
    assert notice == T_FI("You are sending messages faster than I can answer. Please wait a moment.")
    assert await bot.text("/help") == []
    other = bot.api.user(4004)
    assert sent_texts(await bot.text("/help", user=other))
    now[0] += 1.0
    assert sent_texts(await bot.text("/help")) != [notice]


async def test_commands_are_registered_per_language(bot: BotHarness) -> None:
    await bot.app.post_init(bot.app)
    fi = {c["command"]: c["description"] for c in bot.api.commands[("default", "fi")]}
    sv = {c["command"]: c["description"] for c in bot.api.commands[("default", "sv")]}
    assert set(fi) == {"start", "help", "kieli", "kunta", "ammattilainen", "unohda"}
    assert set(sv) == {"start", "help", "sprak", "kommun", "yrkesperson", "glom"}
    assert fi["kunta"] == T_FI("Set your home municipality")
    assert sv["kommun"] == T_SV("Set your home municipality")
    assert bot.api.commands[("default", "")] == bot.api.commands[("default", "fi")]


async def test_buttons_work_with_a_minimal_bot_api(bot: BotHarness) -> None:
    """A Bot API (or stand-in) that leaves the message out of a button press and knows no
    editMessageReplyMarkup: the presses still get their answers."""
    del bot.api._methods["editMessageReplyMarkup"]
    reply = (await bot.text("ruoka-apu Porissa"))[-1].result
    more = buttons(reply, Action.MORE)[0]["callback_data"]
    calls = await bot.send(bot.api.callback_update(None, more, user=bot.api.default_user))
    assert calls[0].method == "answerCallbackQuery" and "4." in calls[-1].result["text"]
    calls = await bot.press(reply, more)
    assert "4." in calls[-1].result["text"]
    card = (await bot.press(reply, buttons(reply, Action.DETAILS)[0]["callback_data"]))[-1].result
    calls = await bot.press(card, buttons(card, Action.REPORT)[0]["callback_data"])
    assert calls[0].params["text"] == T_FI("Thank you! The information will be checked.")
    choices = (await bot.text("/kunta Porri"))[-1].result
    pori = next(b for b in bot.api.buttons(choices) if b["text"] == "📍 Pori")
    calls = await bot.send(bot.api.callback_update(None, pori["callback_data"],
                                                   user=bot.api.default_user))
    assert "Pori" in calls[-1].result["text"] and prefs(bot) == UserPrefs(municipality="609")


async def test_buttons_after_a_catalogue_reload(runtime: Any, bundled_catalogue: Any,
                                                tmp_path: Any) -> None:
    runtime.kb = KnowledgeBase(bundled_catalogue)  # its own, since reload swaps it
    bot = await start_harness(runtime)
    try:
        reply = (await bot.text("ruoka-apu Porissa"))[-1].result
        first, second = buttons(reply, Action.DETAILS)[:2]
        removed = next(s for s in bundled_catalogue.services
                       if service_token(s.id) == data_of(first).argument)
        folder = tmp_path / "knowledge"
        shutil.copytree(DEFAULT_KNOWLEDGE_DIR, folder)
        for path in (folder / "services").glob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["services"] = [s for s in data["services"] if s["id"] != removed.id]
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        assert runtime.reload(folder).ok

        [answer] = await bot.press(reply, first["callback_data"])
        assert answer.params["text"] == T_FI(
            "This option is no longer in the catalogue. Please ask your question again.")
        assert (await bot.press(reply, second["callback_data"]))[-1].method == "sendMessage"
        more = await bot.press(reply, buttons(reply, Action.MORE)[0]["callback_data"])
        assert "4." in more[-1].result["text"]
    finally:
        await bot.app.shutdown()
