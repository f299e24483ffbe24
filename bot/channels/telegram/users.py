"""Who is asking: a Telegram user's stored preferences and the language to talk to them in.

Stored per user (under a pseudonymous key): language, home municipality and the
professional flag, nothing else. Database calls run in a worker thread so that the event
loop (shared with the web server in webhook mode) never waits on them.

When the database cannot be reached, questions are still answered (with the defaults in
place of the stored choices), and saving or deleting raises :class:`StorageUnavailable`,
which the error handler turns into a polite "cannot save now".
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from telegram import User

from bot.channels.pools import storing
from bot.i18n import DEFAULT_LANGUAGE, normalise_language
from bot.runtime import Runtime
from bot.storage.repositories import UserPrefs

log = logging.getLogger(__name__)

CHANNEL = "telegram"
T = TypeVar("T")


class StorageUnavailable(Exception):
    """The database could not be reached to save or delete a user's settings."""


async def _in_database(runtime: Runtime, call: Callable[..., T], *args: object) -> T:
    """``call(*args)`` in the storage pool; a database failure is StorageUnavailable."""
    try:
        return await storing(runtime, call, *args)
    except SQLAlchemyError as exc:
        raise StorageUnavailable(type(exc).__name__) from exc


@dataclass(frozen=True)
class Person:
    key: str
    prefs: UserPrefs
    language: str
    """Stored choice, else a hint (a Swedish command name), else Telegram's language, else fi."""
    stored: bool = True
    """False when the stored settings could not be read (the database is away): the
    defaults stand in for them, and nothing may be saved over what is really stored."""

    @property
    def role(self) -> str:
        return "professional" if self.prefs.professional else "resident"


def client_language(user: User | None) -> str:
    """The language of the user's Telegram app (``sv*`` → sv), else Finnish."""
    return normalise_language(user.language_code if user else None) or DEFAULT_LANGUAGE


def _touch(runtime: Runtime, key: str) -> None:
    try:
        runtime.users.touch(key)
    except SQLAlchemyError as exc:
        log.warning("could not note when user settings were used (%s)", type(exc).__name__)


async def load_person(runtime: Runtime, user: User, hint: str | None = None) -> Person:
    key, stored = "", True
    try:
        key = await _in_database(runtime, runtime.users.key, CHANNEL, user.id)
        found = await _in_database(runtime, runtime.users.get, key)
        prefs = found or UserPrefs()
        if found is not None:  # used today; not awaited: answering never waits for a write
            runtime.storage_pool.submit(_touch, runtime, key)
    except StorageUnavailable as exc:
        log.warning("user settings cannot be read (%s); answering with the defaults", exc)
        prefs, stored = UserPrefs(), False
    language = (normalise_language(prefs.language) or hint
                or normalise_language(user.language_code) or DEFAULT_LANGUAGE)
    return Person(key, prefs, language, stored)


async def save_prefs(runtime: Runtime, person: Person, **changes: object) -> Person:
    """Store ``person``'s preferences with ``changes`` applied (StorageUnavailable when the
    database is away, or was when ``person`` was loaded)."""
    if not person.stored:
        raise StorageUnavailable("the stored settings could not be read")
    prefs = dataclasses.replace(person.prefs, **changes)
    await _in_database(runtime, runtime.users.save, person.key, prefs)
    return Person(person.key, prefs, normalise_language(prefs.language) or person.language)


async def forget(runtime: Runtime, person: Person) -> None:
    """Delete everything stored about ``person`` (StorageUnavailable when the database is away)."""
    await _in_database(runtime, runtime.users.forget, person.key)


async def add_report(runtime: Runtime, service_id: str, language: str) -> None:
    """Store an 'outdated information' report (StorageUnavailable when the database is away)."""
    await _in_database(runtime, runtime.reports.add, service_id, language)
