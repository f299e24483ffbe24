"""Commands, with Finnish and Swedish names registered per language through setMyCommands.

Telegram allows only a–z, 0–9 and _ in registered names, so Swedish registers ``/sprak`` and
``/glom``; typed ``/språk`` and ``/glöm`` work too, as do the English names. A command
name in one language also sets the reply language when the user has not chosen one.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field

from telegram import BotCommand, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext

from bot.channels.telegram import municipality
from bot.channels.telegram.deps import deps
from bot.channels.telegram.handlers import admit
from bot.channels.telegram.keyboards import language_keyboard, professional_keyboard
from bot.channels.telegram.messages import sendable
from bot.channels.telegram.users import Person, forget, load_person, save_prefs
from bot.core.labels import LANGUAGE_NAMES, label
from bot.i18n import LANGUAGES, N_, normalise_language, translator

log = logging.getLogger(__name__)

PATTERN = re.compile(r"^/(?P<name>[^\s@/]+)(?:@(?P<target>\w+))?(?:\s+(?P<args>.*))?$", re.DOTALL)
"""A command message: ``/name``, ``/name@bot`` and optional arguments."""
MAX_NAME = 32


@dataclass(frozen=True)
class Command:
    key: str
    names: dict[str, str]
    """The registered name in each language."""
    description: str
    aliases: dict[str, str | None] = field(default_factory=dict)
    """Other names that work (unregistered), with the language they hint at."""


COMMANDS = (
    Command("start", {"fi": "start", "sv": "start"}, N_("What this bot does")),
    Command("help", {"fi": "help", "sv": "help"}, N_("How to ask, and the commands"),
            {"apua": "fi", "ohje": "fi", "hjalp": "sv", "hjälp": "sv"}),
    Command("language", {"fi": "kieli", "sv": "sprak"}, N_("Choose the language: Finnish or Swedish"),
            {"språk": "sv", "language": None, "lang": None}),
    Command("municipality", {"fi": "kunta", "sv": "kommun"}, N_("Set your home municipality"),
            {"kotikunta": "fi", "hemkommun": "sv", "municipality": None}),
    Command("professional", {"fi": "ammattilainen", "sv": "yrkesperson"},
            N_("Professional view: fuller referral cards"), {"professional": None}),
    Command("forget", {"fi": "unohda", "sv": "glom"}, N_("Delete everything stored about you"),
            {"glöm": "sv", "forget": None}),
)


def _by_name() -> dict[str, tuple[Command, str | None]]:
    """Every accepted name → the command and the language the name hints at."""
    found: dict[str, tuple[Command, str | None]] = {}
    for command in COMMANDS:
        shared = len(set(command.names.values())) == 1
        for language, name in command.names.items():
            found[name] = (command, None if shared else language)
        for alias, language in command.aliases.items():
            found[alias] = (command, language)
    return found


BY_NAME = _by_name()


def command_name(key: str, language: str) -> str:
    """``/name`` of a command in ``language``."""
    return "/" + next(c for c in COMMANDS if c.key == key).names[language]


def command_list(language: str) -> list[BotCommand]:
    _ = translator(language, "telegram")
    return [BotCommand(c.names[language], _(c.description)) for c in COMMANDS]


async def register_commands(application: Application) -> None:  # type: ignore[type-arg]
    """setMyCommands for Finnish, Swedish and (Finnish) for everyone else; a failure is
    logged, not fatal. Used as the application's ``post_init``."""
    try:
        for language in LANGUAGES:
            await application.bot.set_my_commands(command_list(language), language_code=language)
        await application.bot.set_my_commands(command_list("fi"))
    except TelegramError as exc:
        log.warning("could not register the bot's commands: %s", type(exc).__name__)


def _greeting(person: Person, expire_days: int) -> str:
    _ = translator(person.language, "telegram")
    months = max(1, round(expire_days / 30.4))
    return "\n\n".join([
        _("Hello! I am Hyteopas. I help you find support and activities for everyday life: "
          "loneliness, coping, money worries, substance use, family life and much more, from "
          "associations, parishes, municipalities and the wellbeing services county."),
        _("Tell me in your own words what you are looking for and where, for example: "
          "food aid in Pori."),
        _("I am not an emergency service. In an emergency, call 112."),
        _("Your messages are not stored. I remember only the language, home municipality and "
          "view that you choose yourself, and {forget} deletes those too.").format(
            forget=command_name("forget", person.language)) + " " + _.ngettext(
            "Settings you have not used for {months} month are deleted.",
            "Settings you have not used for {months} months are deleted.", months).format(
            months=months),
    ])


def _help_text(person: Person, bot_username: str) -> str:
    _ = translator(person.language, "telegram")
    commands = "\n".join(f"/{c.command} – {c.description}" for c in command_list(person.language))
    return "\n\n".join([
        _("Write your question in your own words, for example: food aid in Pori. Under my "
          "answer, ℹ️ gives the details of an option and ➕ more options."),
        _("In any chat you can type @{bot} and a question to share a service card, for example "
          "with a client.").format(bot=bot_username),
        _("Commands:") + "\n" + commands,
        _("I am not an emergency service: in an emergency, call 112. Your messages are not "
          "stored."),
    ])


def _unknown(person: Person, name: str) -> str:
    _ = translator(person.language, "telegram")
    return _("I do not know the command /{name}. Write your question as a normal message, or "
             "see {help}.").format(name=name, help=command_name("help", person.language))


def for_this_bot(message: Message, target: str | None, username: str) -> bool:
    """A command in a group is for this bot when it names it or names no bot."""
    if message.chat.type == ChatType.PRIVATE or target is None:
        return True
    return target.casefold() == username.casefold()


async def on_command(update: Update, context: CallbackContext) -> None:  # type: ignore[type-arg]
    """Every message that starts with a command, known or not."""
    message = update.effective_message
    match = PATTERN.match(message.text or "") if message else None
    if match is None or not for_this_bot(message, match["target"], context.bot.username):
        return
    command, hint = BY_NAME.get(match["name"].casefold(), (None, None))
    if command is None and match["target"] is None and message.chat.type != ChatType.PRIVATE:
        return  # an unknown bare command in a group may be another bot's
    if not await admit(update, context):
        return
    person = await load_person(deps(context).runtime, update.effective_user, hint)
    if command is None:
        await message.reply_text(html.escape(_unknown(person, sendable(match["name"][:MAX_NAME]))))
        return
    await HANDLERS[command.key](context, message, person, (match["args"] or "").strip())


async def _start(context: CallbackContext, message: Message, person: Person, args: str) -> None:  # type: ignore[type-arg]
    greeting = _greeting(person, deps(context).settings.user_settings_expire_days)
    await message.reply_text(html.escape(greeting), reply_markup=language_keyboard(person.language))


async def _help(context: CallbackContext, message: Message, person: Person, args: str) -> None:  # type: ignore[type-arg]
    await message.reply_text(html.escape(_help_text(person, context.bot.username)))


def language_saved(person: Person) -> str:
    """The confirmation of a language choice, in that language (HTML)."""
    _ = translator(person.language, "telegram")
    name = label(LANGUAGE_NAMES, person.language, translator(person.language))
    return html.escape(_("Language saved: {language}. I answer in it whenever the language of "
                         "your question is not clear.").format(language=name))


def parse_language(text: str) -> str | None:
    """'sv', 'svenska', 'ruotsi', 'suomi', 'finska'… → a language code."""
    word = text.strip().casefold()
    names = {"suomi": "fi", "finska": "fi", "finnish": "fi", "svenska": "sv", "ruotsi": "sv",
             "swedish": "sv"}
    return names.get(word) or normalise_language(word if len(word) <= 5 else None)


async def _language(context: CallbackContext, message: Message, person: Person, args: str) -> None:  # type: ignore[type-arg]
    chosen = parse_language(args) if args else None
    if chosen:
        person = await save_prefs(deps(context).runtime, person, language=chosen)
        await message.reply_text(language_saved(person))
        return
    _ = translator(person.language, "telegram")
    await message.reply_text(html.escape(_("Choose the language I answer in:")),
                             reply_markup=language_keyboard(person.language))


async def _municipality(context: CallbackContext, message: Message, person: Person, args: str) -> None:  # type: ignore[type-arg]
    if args:
        await municipality.choose(deps(context).runtime, context.bot, message.chat_id, person, args)
    else:
        await municipality.show(context.bot, message.chat_id, person)


def professional_text(person: Person) -> str:
    """What the current view is, in ``person``'s language (HTML)."""
    _ = translator(person.language, "telegram")
    if person.prefs.professional:
        return html.escape(_("Professional view is on: the options come with fuller cards "
                             "(languages, audience, area, why they matched, source)."))
    return html.escape(_("Resident view is on: the options come with short cards."))


async def _professional(context: CallbackContext, message: Message, person: Person, args: str) -> None:  # type: ignore[type-arg]
    person = await save_prefs(deps(context).runtime, person,
                              professional=not person.prefs.professional)
    await message.reply_text(professional_text(person),
                             reply_markup=professional_keyboard(person.language,
                                                                person.prefs.professional))


async def _forget(context: CallbackContext, message: Message, person: Person, args: str) -> None:  # type: ignore[type-arg]
    await forget(deps(context).runtime, person)
    _ = translator(person.language, "telegram")
    await message.reply_text(html.escape(_(
        "Done: I deleted everything stored about you (language, home municipality and view). "
        "Your messages were never stored. You can delete this chat in Telegram too.")))


HANDLERS = {"start": _start, "help": _help, "language": _language,
            "municipality": _municipality, "professional": _professional, "forget": _forget}
