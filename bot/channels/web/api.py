"""POST /api/ask (the ``ask --json`` object), /api/chat (the page's view) and /api/report."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.catalogue.model import Service, pick
from bot.catalogue.places import builtin_places
from bot.channels.pools import answering, storing
from bot.channels.web.httputil import (
    BodyError,
    client_key,
    json_error,
    json_response,
    read_json_object,
)
from bot.channels.web.limits import RateLimiter, WebLimits
from bot.core.context import Context, Reply
from bot.core.render import crisis_text, render_card
from bot.i18n import LANGUAGES
from bot.runtime import Runtime

log = logging.getLogger(__name__)


def _language(data: dict[str, Any]) -> str | None:
    language = data.get("language")
    if language is None or language == "":
        return None
    if language not in LANGUAGES:
        raise BodyError(json_error(400, "bad_language", "language must be \"fi\" or \"sv\""))
    return language


def _municipality(data: dict[str, Any]) -> str | None:
    name = data.get("municipality")
    if name is None or name == "":
        return None
    if not isinstance(name, str) or len(name) > 100:
        raise BodyError(json_error(400, "bad_municipality", "municipality must be a name or a code"))
    places = builtin_places()
    if places.resolve(name) is None:
        raise BodyError(json_error(400, "unknown_municipality", "unknown municipality",
                                   suggestions=places.suggest(name)))
    return name


def _offset(data: dict[str, Any]) -> int:
    offset = data.get("offset", 0)
    if type(offset) is not int or not 0 <= offset <= 100:
        raise BodyError(json_error(400, "bad_offset", "offset must be an integer from 0 to 100"))
    return offset


def _question(data: dict[str, Any], limits: WebLimits) -> str:
    question = data.get("question")
    if not isinstance(question, str) or not question.strip():
        raise BodyError(json_error(400, "missing_question", "the body needs a non-empty \"question\""))
    if not question.isascii():
        try:  # JSON can carry lone surrogates ("\ud800"): not text, and not encodable back
            question.encode("utf-8")
        except UnicodeEncodeError:
            raise BodyError(json_error(400, "bad_question",
                                       "the question is not valid Unicode text")) from None
    if len(question) > limits.question_chars:
        raise BodyError(json_error(413, "question_too_long",
                                   f"the question is longer than {limits.question_chars} characters"))
    return question


def _card(service: Service, language: str) -> dict[str, str]:
    """One referral for the page: its name, and the card text without the name line."""
    name, _ = pick(service.name, language)
    lines = render_card(service, language, professional=False, html=False).split("\n")
    if lines and lines[0] == name:
        lines = lines[1:]
    return {"id": service.id, "name": name, "details": "\n".join(lines)}


class Api:
    """The JSON endpoints anyone may call, rate limited per client."""

    def __init__(self, runtime: Runtime, limits: WebLimits):
        self.runtime = runtime
        self.limits = limits
        self.rate = RateLimiter(limits.api_burst, limits.api_per_second)

    def _check_rate(self, request: web.Request) -> None:
        key = client_key(request)
        if not self.rate.allow(key):
            raise BodyError(json_error(429, "rate_limited", "too many requests; try again later",
                                       retry_after=self.rate.retry_after(key)))

    async def _answer(self, request: web.Request) -> tuple[Reply, dict[str, Any]]:
        self._check_rate(request)
        data = await read_json_object(request, self.limits.api_body)
        question = _question(data, self.limits)
        language = _language(data)
        force = language is not None and data.get("force_language", True) is not False
        context = Context(language=language, force_language=force,
                          municipality=_municipality(data), offset=_offset(data),
                          limit=self.runtime.settings.results_per_reply)
        reply = await answering(self.runtime, self.runtime.answer, question, context)
        return reply, data

    async def ask(self, request: web.Request) -> web.Response:
        """The same JSON object as ``python -m bot ask --json``."""
        reply, _ = await self._answer(request)
        return json_response(reply.as_json())

    async def chat(self, request: web.Request) -> web.Response:
        """What the web chat shows: the reply, the crisis text and each referral rendered as
        a card (plain text: the page inserts all of it as text, never as markup)."""
        reply, _ = await self._answer(request)
        return json_response({
            "reply": reply.as_json(),
            "crisis_text": crisis_text(reply) if reply.crisis else None,
            "cards": [_card(r.service, reply.language) for r in reply.results],
            "more_available": reply.more_available,
            "next_offset": reply.offset + len(reply.results),
        })

    async def report(self, request: web.Request) -> web.Response:
        """An 'outdated information' report about one service (id and language only)."""
        self._check_rate(request)
        data = await read_json_object(request, self.limits.api_body)
        service_id = data.get("service_id")
        language = _language(data) or "fi"
        known = {s.id for s in self.runtime.kb.snapshot.catalogue.services}
        if not isinstance(service_id, str) or service_id not in known:
            return json_error(400, "unknown_service", "service_id must name a service in the catalogue")
        try:
            await storing(self.runtime, self.runtime.reports.add, service_id, language)
        except Exception as exc:  # noqa: BLE001
            # Database down: tell the client, keep serving.
            log.warning("could not store a report: %s", type(exc).__name__)
            return json_error(503, "unavailable", "the report could not be saved now")
        return json_response({"ok": True}, status=201)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/api/ask", self.ask)
        app.router.add_post("/api/chat", self.chat)
        app.router.add_post("/api/report", self.report)
