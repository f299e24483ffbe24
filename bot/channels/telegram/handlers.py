"""Message handlers: a text is a question; everything else gets a short helpful reply.

In groups the bot answers only when addressed (a mention of it, or a reply to one of its
messages). No message text is logged or stored.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import CallbackContext

from bot.channels.pools import answering
from bot.channels.telegram import municipality
from bot.channels.telegram.deps import deps
from bot.channels.telegram.keyboards import MORE_SLOTS, reply_keyboard
from bot.channels.telegram.messages import send_html
from bot.channels.telegram.throttle import Verdict
from bot.channels.telegram.users import Person, StorageUnavailable, client_language, load_person
from bot.core.context import Context, Reply
from bot.core.render import render_reply
from bot.i18n import N_, translator

log = logging.getLogger(__name__)

Ctx = CallbackContext  # type: ignore[type-arg]

NOT_TEXT = N_("I can only read text. Write your question in a few words, for example: "
              "food aid in Pori, or: someone to talk to when I feel lonely.")
NOT_SAVED = N_("I cannot save or delete your settings right now. Please try again in a little "
                "while. I can still answer your questions.")
EDITED = N_("I noticed you edited a message. I answer each message once, so please send the "
            "corrected question as a new message.")


async def admit(update: Update, context: Ctx) -> bool:
    """Whether to handle ``update`` (per-chat throttling). A refused message is told so
    once; a refused button press always gets its answer, so the button stops spinning."""
    user, chat = update.effective_user, update.effective_chat
    key = chat.id if chat else user.id if user else None
    if key is None:
        return True
    verdict = deps(context).throttle.check(key)
    if verdict is Verdict.ALLOW:
        return True
    _ = translator(client_language(user), "telegram")
    notice = _("You are sending messages faster than I can answer. Please wait a moment.")
    if update.callback_query:
        await update.callback_query.answer(notice)
    elif verdict is Verdict.WARN and update.effective_message:
        await update.effective_message.reply_text(html.escape(notice))
    return False


def addressed_text(message: Message, username: str, bot_id: int) -> str | None:
    """The text meant for the bot: all of it in a private chat; in a group only when the
    message mentions the bot or answers one of its messages (the mention removed)."""
    text = message.text or message.caption or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = re.compile(rf"(?<![\w@])@{re.escape(username)}\b", re.IGNORECASE)
    mentioned = mention.search(text) is not None
    replied = message.reply_to_message is not None and (
        message.reply_to_message.from_user is not None
        and message.reply_to_message.from_user.id == bot_id)
    if not (mentioned or replied):
        return None
    return " ".join(mention.sub(" ", text).split())


async def send_reply(context: Ctx, chat_id: int, reply: Reply, person: Person, *,
                     reply_to: int | None) -> None:
    """Send the first page of ``reply``'s options; the rest go under "more options"."""
    d = deps(context)
    shown = d.settings.results_per_reply
    page = dataclasses.replace(reply, results=reply.results[:shown],
                               more_available=len(reply.results) > shown)
    text = render_reply(page, html=True, professional=person.prefs.professional,
                        topic_labels=d.runtime.kb.snapshot.matcher.topic_labels)
    further = [r.service for r in reply.results[shown:]]
    await send_html(context.bot, chat_id, text, markup=reply_keyboard(page, further),
                    reply_to=reply_to)


async def answer_question(context: Ctx, chat_id: int, question: str, person: Person, *,
                          reply_to: int | None) -> None:
    """Ask the core, with room for the further options that "more options" will show."""
    d = deps(context)
    ctx = Context(language=person.language, municipality=person.prefs.municipality,
                  role=person.role, limit=d.settings.results_per_reply + MORE_SLOTS)
    reply = await answering(d.runtime, d.runtime.answer, question, ctx)
    await send_reply(context, chat_id, reply, person, reply_to=reply_to)


async def on_text(update: Update, context: Ctx) -> None:
    """A question (or the answer to the municipality prompt)."""
    message = update.effective_message
    if message is None or (message.via_bot and message.via_bot.id == context.bot.id):
        return
    question = addressed_text(message, context.bot.username, context.bot.id)
    if question is None or not await admit(update, context):
        return
    person = await load_person(deps(context).runtime, update.effective_user)
    if municipality.is_prompt_answer(message, context.bot.id):
        await municipality.choose(deps(context).runtime, context.bot, message.chat_id, person,
                                  question)
    elif not question:
        _ = translator(person.language, "telegram")
        await message.reply_text(html.escape(_("Yes? Write your question after my name, for "
                                               "example: food aid in Pori.")))
    else:
        await answer_question(context, message.chat_id, question, person,
                              reply_to=message.message_id)


async def _short_reply(update: Update, context: Ctx, message: Message, text: str) -> None:
    if addressed_text(message, context.bot.username, context.bot.id) is None \
            or not await admit(update, context):
        return
    person = await load_person(deps(context).runtime, update.effective_user)
    _ = translator(person.language, "telegram")
    await message.reply_text(html.escape(_(text)))


async def on_other(update: Update, context: Ctx) -> None:
    """Stickers, photos, voice, locations…: say what the bot understands."""
    message = update.effective_message
    if message is None or message.via_bot:
        return
    await _short_reply(update, context, message, NOT_TEXT)


async def on_edited(update: Update, context: Ctx) -> None:
    """An edited message: each question is answered once, so ask for a new message."""
    message = update.edited_message
    if message is None:
        return
    await _short_reply(update, context, message, EDITED)


async def on_error(update: object, context: Ctx) -> None:
    """Log the error (its type and traceback, never the update) and apologise; when the
    database is away, say that settings cannot be saved now."""
    if isinstance(context.error, StorageUnavailable):
        log.warning("user settings not saved: the database is unavailable (%s)", context.error)
    else:
        log.error("handling an update failed: %s", type(context.error).__name__,
                  exc_info=context.error)
    if not isinstance(update, Update):
        return
    _ = translator(client_language(update.effective_user), "telegram")
    storage = isinstance(context.error, StorageUnavailable)
    notice = _(NOT_SAVED) if storage else _("Sorry, something went wrong. Please try again.")
    try:
        if update.callback_query:
            await update.callback_query.answer(notice, show_alert=storage)
        elif update.effective_chat and not update.inline_query:
            await context.bot.send_message(update.effective_chat.id, html.escape(notice))
    except TelegramError:
        log.warning("could not tell the user about the error")
