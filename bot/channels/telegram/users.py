"""Who is asking: a Telegram user's stored preferences and the language to talk to them in.

Stored per user (under a pseudonymous key): language, home municipality and the
professional flag, nothing else. Database calls run in a worker thread so that the event
loop (shared with the web server in webhook mode) never waits on them.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass

from telegram import User

from bot.i18n import DEFAULT_LANGUAGE, normalise_language
from bot.runtime import Runtime
from bot.storage.repositories import UserPrefs, user_key

CHANNEL = "telegram"


@dataclass(frozen=True)
class Person:
    key: str
    prefs: UserPrefs
    language: str
    """Stored choice, else a hint (a Swedish command name), else Telegram's language, else fi."""

    @property
    def role(self) -> str:
        return "professional" if self.prefs.professional else "resident"


def client_language(user: User | None) -> str:
    """The language of the user's Telegram app (``sv*`` → sv), else Finnish."""
    return normalise_language(user.language_code if user else None) or DEFAULT_LANGUAGE


async def load_person(runtime: Runtime, user: User, hint: str | None = None) -> Person:
    key = user_key(CHANNEL, user.id)
    prefs = await asyncio.to_thread(runtime.users.get, key) or UserPrefs()
    language = (normalise_language(prefs.language) or hint
                or normalise_language(user.language_code) or DEFAULT_LANGUAGE)
    return Person(key, prefs, language)


async def save_prefs(runtime: Runtime, person: Person, **changes: object) -> Person:
    """Store ``person``'s preferences with ``changes`` applied."""
    prefs = dataclasses.replace(person.prefs, **changes)
    await asyncio.to_thread(runtime.users.save, person.key, prefs)
    return Person(person.key, prefs, normalise_language(prefs.language) or person.language)


async def forget(runtime: Runtime, person: Person) -> None:
    """Delete everything stored about ``person``."""
    await asyncio.to_thread(runtime.users.forget, person.key)
