"""Domain objects of a loaded catalogue (plain, immutable, no storage or transport)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

Text = dict[str, str]
"""Text in several languages: language code -> text."""

LANGUAGES = ("fi", "sv")


def pick(text: Text | None, language: str) -> tuple[str, str]:
    """The text in ``language`` or the best other one, with the language actually used."""
    if not text:
        return "", language
    for lang in (language, *LANGUAGES, "en"):
        if text.get(lang):
            return text[lang], lang
    lang, value = next(iter(text.items()))
    return value, lang


@dataclass(frozen=True)
class Area:
    """Where a service is for: the whole country, a region, a county or a municipality."""

    kind: str  # country | region | county | municipality
    code: str
    name: Text

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"


@dataclass(frozen=True)
class Provider:
    id: str
    name: Text
    kind: str
    url: str | None = None


@dataclass(frozen=True)
class Address:
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None

    def line(self) -> str:
        tail = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.street, tail) if p)


@dataclass(frozen=True)
class Contact:
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    address: Address | None = None


@dataclass(frozen=True)
class Service:
    id: str
    provider: Provider
    name: Text
    summary: Text
    topics: tuple[str, ...]
    areas: tuple[Area, ...]
    languages: tuple[str, ...]
    description: Text = field(default_factory=dict)
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    audiences: tuple[str, ...] = ()
    cost: str | None = None
    online: bool = False
    access: Text = field(default_factory=dict)
    hours: Text = field(default_factory=dict)
    contact: Contact = field(default_factory=Contact)
    updated: date | None = None
    source: str | None = None
    file: str = ""

    @property
    def nationwide(self) -> bool:
        return self.online or any(a.kind == "country" for a in self.areas)


@dataclass(frozen=True)
class Topic:
    code: str
    label: Text
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SynonymGroup:
    """Words in Finnish and Swedish that name the same need, linked to topics/audiences."""

    id: str
    words: dict[str, tuple[str, ...]]
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    off_topic: bool = False


@dataclass(frozen=True)
class Catalogue:
    """A validated catalogue: what the matcher indexes and the storage keeps."""

    services: tuple[Service, ...]
    providers: tuple[Provider, ...]
    topics: tuple[Topic, ...]
    synonyms: tuple[SynonymGroup, ...] = ()
    version: str = ""
    """A content hash of the source files: the same folder always gives the same version."""

    def topic(self, code: str) -> Topic | None:
        return next((t for t in self.topics if t.code == code), None)


class ServiceTable:
    """Services of the catalogue in use by a key (default: the id); the table is rebuilt when
    another catalogue version is swapped in."""

    def __init__(self, key: Callable[[Service], str] = lambda s: s.id) -> None:
        self._key = key
        self._version: str | None = None
        self._services: dict[str, Service] = {}

    def find(self, catalogue: Catalogue, key: str) -> Service | None:
        if catalogue.version != self._version:
            self._services = {self._key(s): s for s in catalogue.services}
            self._version = catalogue.version
        return self._services.get(key)
