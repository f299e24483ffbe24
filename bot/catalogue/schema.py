"""Pydantic models of catalogue format version 1 (see ../shared/catalogue-format.md).

The models check shapes and values that need no other file; codes and area names are
checked by the loader against the built-ins, so that every error can suggest near misses.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

ID_PATTERN = r"^[a-z0-9-]+$"
TEXT_LANGUAGES = {"fi", "sv", "en"}
COSTS = ("free", "fee", "varies")


def _text(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("give the text per language, e.g. {fi: \"...\", sv: \"...\"}")
    out = {}
    for lang, text in value.items():
        if lang not in TEXT_LANGUAGES:
            raise ValueError(f"unknown language '{lang}' (use fi, sv or en)")
        if text is None:
            continue
        if not isinstance(text, (str, int, float)):
            raise ValueError(f"the {lang} text must be plain text")
        text = str(text).strip()
        if text:
            out[lang] = text
    return out


def _name(value: Any) -> dict[str, str]:
    """A provider's name may be one plain string (a proper noun, the same in every language)."""
    if isinstance(value, str) and value.strip():
        return {"fi": value.strip()}
    return _text(value)


def _words(value: Any) -> dict[str, list[str]]:
    """Keywords: {fi: [...], sv: [...]}, or one list for any language ('*')."""
    def as_list(v: Any) -> list[str]:
        if v is None:
            return []
        if isinstance(v, str):
            return [w.strip() for w in v.split(",") if w.strip()]
        if isinstance(v, list):
            return [str(w).strip() for w in v if w is not None and str(w).strip()]
        raise ValueError("give the words as a list")
    if value is None:
        return {}
    if isinstance(value, (list, str)):
        return {"*": as_list(value)}
    if not isinstance(value, dict):
        raise ValueError("give the words per language, e.g. {fi: [..], sv: [..]}")
    out = {}
    for lang, words in value.items():
        if lang not in TEXT_LANGUAGES:
            raise ValueError(f"unknown language '{lang}' (use fi, sv or en)")
        out[lang] = as_list(words)
    return out


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


Text = Annotated[dict[str, str], BeforeValidator(_text)]
Words = Annotated[dict[str, list[str]], BeforeValidator(_words)]
Codes = Annotated[list[str], BeforeValidator(lambda v: [str(x).strip() for x in _list(v)])]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


class ProviderIn(_Model):
    id: str | None = Field(default=None, pattern=ID_PATTERN)
    name: Annotated[dict[str, str], BeforeValidator(_name)]
    kind: str
    url: str | None = None

    @field_validator("name")
    @classmethod
    def _has_name(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError("the provider needs a name")
        return v


class AddressIn(_Model):
    street: str | None = None
    postal_code: Annotated[str | None, BeforeValidator(
        lambda v: None if v is None else str(v).zfill(5) if isinstance(v, int) else str(v))] = None
    city: str | None = None


def _address(value: Any) -> Any:
    return {"street": value} if isinstance(value, str) else value


class ContactIn(_Model):
    phone: Annotated[str | None, BeforeValidator(lambda v: None if v is None else str(v))] = None
    email: str | None = None
    url: str | None = None
    address: Annotated[AddressIn | None, BeforeValidator(_address)] = None

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v):
            raise ValueError(f"'{v}' is not an e-mail address")
        return v


class ServiceIn(_Model):
    id: str = Field(pattern=ID_PATTERN)
    provider: str | dict[str, Any]
    name: Text
    summary: Text = Field(default_factory=dict)
    description: Text = Field(default_factory=dict)
    keywords: Words = Field(default_factory=dict)
    topics: Codes
    audiences: Codes = Field(default_factory=list)
    areas: Codes = Field(default_factory=list)
    languages: Codes = Field(default_factory=list)
    cost: Literal["free", "fee", "varies"] | None = None
    online: bool = False
    access: Text = Field(default_factory=dict)
    hours: Text = Field(default_factory=dict)
    contact: ContactIn = Field(default_factory=ContactIn)
    updated: date | None = None
    source: str | None = None

    @field_validator("name")
    @classmethod
    def _has_name(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError("the service needs a name in at least one of fi, sv")
        return v

    @field_validator("topics")
    @classmethod
    def _has_topic(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("give at least one topic code")
        return v

    @field_validator("languages")
    @classmethod
    def _languages(cls, v: list[str]) -> list[str]:
        bad = [x for x in v if not re.fullmatch(r"[a-z]{2,3}", x)]
        if bad:
            raise ValueError(f"'{bad[0]}' is not a language code (fi, sv, en, ...)")
        return v

    @field_validator("contact", mode="before")
    @classmethod
    def _contact(cls, v: Any) -> Any:
        return {} if v is None else v


class ServicesFileIn(_Model):
    imported: str | None = None
    """Set by an importer (``ptv``): entries of hand-curated files with the same id win."""
    providers: list[dict[str, Any]] = Field(default_factory=list)
    services: list[dict[str, Any]] = Field(default_factory=list)

    @field_validator("providers", "services", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return [] if v is None else v
