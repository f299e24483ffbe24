"""Button presses (callback queries). Every press is answered exactly once; a button of an
older version, or one whose service left the catalogue, says politely that it expired.

A press needs nothing but its data and the chat: when the pressed message is not included
(or can no longer be edited) the answer goes to the presser's private chat as a new message.
"""

from __future__ import annotations

import dataclasses
import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackContext

from bot.catalogue.places import builtin_places
from bot.channels.telegram import municipality
from bot.channels.telegram.commands import language_saved, professional_text
from bot.channels.telegram.deps import deps
from bot.channels.telegram.handlers import admit, send_reply
from bot.channels.telegram.keyboards import (
    CLEAR,
    Action,
    ButtonData,
    card_keyboard,
    parse_more,
    professional_keyboard,
    without_more,
)
from bot.channels.telegram.messages import send_html
from bot.channels.telegram.users import (
    Person,
    add_report,
    client_language,
    load_person,
    save_prefs,
)
from bot.core.context import Reply, Result
from bot.core.render import render_card
from bot.i18n import LANGUAGES, translator

log = logging.getLogger(__name__)

Ctx = CallbackContext  # type: ignore[type-arg]


def _expired(language: str) -> str:
    _ = translator(language, "telegram")
    return _("This button has expired. Please ask your question again.")


def _gone(language: str) -> str:
    _ = translator(language, "telegram")
    return _("This option is no longer in the catalogue. Please ask your question again.")


def _pressed(query: CallbackQuery) -> Message | None:
    """The message the button is under, when Telegram included it."""
    return query.message if isinstance(query.message, Message) else None


def _chat_id(query: CallbackQuery) -> int:
    return query.message.chat.id if query.message else query.from_user.id


async def _show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Put ``text`` in place of the pressed message, or send it when that cannot be done."""
    if _pressed(query):
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
        except TelegramError:
            pass
    await query.get_bot().send_message(_chat_id(query), text, reply_markup=markup)


async def _replace_buttons(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """Change the pressed message's buttons; only cosmetic, so a failure changes nothing."""
    message = _pressed(query)
    if message is None or message.reply_markup is None:
        return
    try:
        await query.edit_message_reply_markup(markup)
    except TelegramError as exc:
        log.debug("could not change the buttons: %s", type(exc).__name__)


async def on_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    if query is None or not await admit(update, context):
        return
    data = ButtonData.decode(query.data)
    if data is None:
        await query.answer(_expired(client_language(update.effective_user)))
        return
    person = await load_person(deps(context).runtime, update.effective_user)
    await ACTIONS[data.action](context, query, data, person)


async def _details(context: Ctx, query: CallbackQuery, data: ButtonData, person: Person) -> None:
    d = deps(context)
    service = d.services.find(d.runtime.kb.snapshot.catalogue, data.argument)
    if service is None:
        await query.answer(_gone(data.language), show_alert=True)
        return
    await query.answer()
    card = render_card(service, data.language, professional=person.prefs.professional, html=True)
    await send_html(context.bot, _chat_id(query), card, markup=card_keyboard(service, data.language))


async def _more(context: Ctx, query: CallbackQuery, data: ButtonData, person: Person) -> None:
    d = deps(context)
    parsed = parse_more(data.argument)
    catalogue = d.runtime.kb.snapshot.catalogue
    found = [d.services.find(catalogue, token) for token in (parsed[1] if parsed else [])]
    services = [s for s in found if s is not None]
    if parsed is None or not services:
        await query.answer(_expired(data.language) if parsed is None else _gone(data.language),
                           show_alert=True)
        return
    await query.answer()
    message = _pressed(query)
    await _replace_buttons(query, without_more(message.reply_markup) if message else None)
    results = tuple(Result(s, 0.0, in_reply_language=data.language in s.languages)
                    for s in services)
    reply = Reply(question="", language=data.language, municipality=None,
                  results=results, text="", offset=parsed[0])
    await send_reply(context, _chat_id(query), reply, person,
                     reply_to=message.message_id if message else None)


async def _ask_municipality(context: Ctx, query: CallbackQuery, data: ButtonData,
                            person: Person) -> None:
    await query.answer()
    await municipality.ask(context.bot, _chat_id(query), data.language)


async def _set_municipality(context: Ctx, query: CallbackQuery, data: ButtonData,
                            person: Person) -> None:
    code = data.argument
    if code != CLEAR and builtin_places().municipality(code) is None:
        await query.answer(_expired(data.language), show_alert=True)
        return
    in_this_language = dataclasses.replace(person, language=data.language)
    person = await save_prefs(deps(context).runtime, in_this_language,
                              municipality=None if code == CLEAR else code)
    await query.answer()
    await _show(query, municipality.saved_text(person))


async def _report(context: Ctx, query: CallbackQuery, data: ButtonData, person: Person) -> None:
    d = deps(context)
    service = d.services.find(d.runtime.kb.snapshot.catalogue, data.argument)
    _ = translator(data.language, "telegram")
    if service is None:
        await query.answer(_("This option is no longer in the catalogue. Thank you all the "
                             "same!"), show_alert=True)
        return
    await add_report(d.runtime, service.id, data.language)
    await query.answer(_("Thank you! The information will be checked."), show_alert=True)
    await _replace_buttons(query, None)


async def _language(context: Ctx, query: CallbackQuery, data: ButtonData, person: Person) -> None:
    if data.argument not in LANGUAGES:
        await query.answer(_expired(data.language), show_alert=True)
        return
    person = await save_prefs(deps(context).runtime, person, language=data.argument)
    await query.answer()
    await _show(query, language_saved(person))


async def _professional(context: Ctx, query: CallbackQuery, data: ButtonData,
                        person: Person) -> None:
    person = await save_prefs(deps(context).runtime, person, professional=data.argument == "1")
    await query.answer()
    await _show(query, professional_text(person),
                professional_keyboard(person.language, person.prefs.professional))


ACTIONS = {Action.DETAILS: _details, Action.MORE: _more, Action.ASK_MUNICIPALITY: _ask_municipality,
           Action.SET_MUNICIPALITY: _set_municipality, Action.REPORT: _report,
           Action.LANGUAGE: _language, Action.PROFESSIONAL: _professional}
