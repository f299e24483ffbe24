"""Home municipality: /kunta · /kommun, its prompt, fuzzy names and choice buttons.

The prompt is a ForceReply message; an answer to it is recognised by the prompt's own text
(in either language), so nothing is kept between the two messages.
"""

from __future__ import annotations

import html

from telegram import Bot, ForceReply, Message

from bot.catalogue.model import Area, pick
from bot.catalogue.places import builtin_places
from bot.channels.telegram.keyboards import municipality_choices, municipality_menu
from bot.channels.telegram.users import Person, save_prefs
from bot.i18n import LANGUAGES, translator
from bot.runtime import Runtime

SUGGESTIONS = 4


def _prompt(language: str) -> str:
    _ = translator(language, "telegram")
    return _("Which municipality do you live in? Answer this message with its name, "
             "for example Pori.")


def is_prompt_answer(message: Message, bot_id: int) -> bool:
    """Whether ``message`` answers the bot's "which municipality" prompt."""
    asked = message.reply_to_message
    return bool(asked and asked.from_user and asked.from_user.id == bot_id
                and asked.text in {_prompt(lang) for lang in LANGUAGES})


async def ask(bot: Bot, chat_id: int, language: str) -> None:
    """Send the prompt; the user's answer comes back as a reply to it."""
    _ = translator(language, "telegram")
    await bot.send_message(chat_id, html.escape(_prompt(language)),
                           reply_markup=ForceReply(selective=True,
                                                   input_field_placeholder=_("Municipality")))


def area_name(code: str, language: str) -> str:
    municipality = builtin_places().municipality(code)
    return pick(municipality.name, language)[0] if municipality else code


def saved_text(person: Person) -> str:
    """The confirmation after a change, in ``person``'s language (HTML)."""
    _ = translator(person.language, "telegram")
    code = person.prefs.municipality
    if not code:
        return html.escape(_("Home municipality removed. I now use only the places your "
                             "questions name."))
    return html.escape(_("Home municipality saved: {name}. I use it when your question names "
                         "no place.").format(name=area_name(code, person.language)))


def candidates(name: str) -> list[Area]:
    """Municipalities whose name is close to ``name``, best first."""
    places = builtin_places()
    found: dict[str, Area] = {}
    for suggestion in places.suggest(name, limit=SUGGESTIONS * 3):
        area = places.resolve(suggestion)
        if area is not None and area.kind == "municipality":
            found.setdefault(area.code, area)
    return list(found.values())[:SUGGESTIONS]


async def choose(runtime: Runtime, bot: Bot, chat_id: int, person: Person, name: str) -> None:
    """Save ``name`` when it is a municipality; otherwise offer the closest ones as buttons."""
    _ = translator(person.language, "telegram")
    area = builtin_places().resolve(name)
    if area is not None and area.kind == "municipality":
        person = await save_prefs(runtime, person, municipality=area.code)
        await bot.send_message(chat_id, saved_text(person))
        return
    options = candidates(name)
    if options:
        await bot.send_message(chat_id, html.escape(_("Did you mean one of these?")),
                               reply_markup=municipality_choices(options, person.language))
    else:
        await bot.send_message(chat_id, html.escape(
            _("I could not find a municipality by that name. Check the spelling and try again.")))
        await ask(bot, chat_id, person.language)


async def show(bot: Bot, chat_id: int, person: Person) -> None:
    """/kunta without a name: the current choice with change/remove buttons, or the prompt."""
    _ = translator(person.language, "telegram")
    code = person.prefs.municipality
    if not code:
        await ask(bot, chat_id, person.language)
        return
    await bot.send_message(chat_id, html.escape(_("Your home municipality: {name}.").format(
        name=area_name(code, person.language))), reply_markup=municipality_menu(person.language))
