"""Inline mode: ``@bot question`` in any chat offers service cards to share."""

from __future__ import annotations


from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.ext import CallbackContext

from bot.channels.pools import answering
from bot.catalogue.model import pick
from bot.channels.telegram.deps import deps
from bot.channels.telegram.handlers import admit
from bot.channels.telegram.keyboards import service_token
from bot.channels.telegram.users import load_person
from bot.core.context import Context
from bot.core.render import crisis_text, render_card
from bot.i18n import translator

PAGE = 10
CACHE_SECONDS = 60
DESCRIPTION = 120


def _short(text: str, limit: int = DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def on_inline_query(update: Update, context: CallbackContext) -> None:  # type: ignore[type-arg]
    query = update.inline_query
    if query is None or not await admit(update, context):
        return
    d = deps(context)
    person = await load_person(d.runtime, update.effective_user)
    _ = translator(person.language, "telegram")
    button = InlineQueryResultsButton(_("Ask in a private chat"), start_parameter="inline")
    text = query.query.strip()
    if not text:
        await query.answer([], button=button, cache_time=CACHE_SECONDS, is_personal=True)
        return
    offset = int(query.offset) if query.offset.isdigit() else 0
    ctx = Context(language=person.language, municipality=person.prefs.municipality,
                  limit=PAGE, offset=offset)
    reply = await answering(d.runtime, d.runtime.answer, text, ctx)
    _ = translator(reply.language, "telegram")
    results = []
    if reply.crisis and offset == 0:
        results.append(InlineQueryResultArticle(
            "crisis", _("Emergency number 112 and crisis lines"),
            InputTextMessageContent(crisis_text(reply, html=True)),
            description=_("For acute danger or a crisis")))
    for r in reply.results:
        name = pick(r.service.name, reply.language)[0]
        provider = pick(r.service.provider.name, reply.language)[0]
        summary = pick(r.service.summary, reply.language)[0]
        results.append(InlineQueryResultArticle(
            service_token(r.service.id), name,
            InputTextMessageContent(render_card(r.service, reply.language, html=True)),
            description=_short(f"{provider} – {summary}")))
    await query.answer(results, button=button, cache_time=CACHE_SECONDS, is_personal=True,
                       next_offset=str(offset + len(reply.results)) if reply.more_available else "")
