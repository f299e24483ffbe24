"""The one core every channel calls: ``answer(question, context, kb) -> Reply``."""

from __future__ import annotations

import dataclasses
import re

from bot.catalogue.model import Area
from bot.core.context import Context, Reply, Result
from bot.core.crisis import is_crisis
from bot.core.knowledge import KnowledgeBase
from bot.core.render import render_reply
from bot.i18n import DEFAULT_LANGUAGE, normalise_language

CLEAR_LANGUAGE = 0.7
MAX_LIMIT = 20
AGE_AUDIENCES = ((65, "elderly"), (30, None), (13, "youth"), (0, "children"))


def _reply_language(detected: str | None, confidence: float, ctx: Context) -> str:
    preferred = normalise_language(ctx.language)
    if ctx.force_language and preferred:
        return preferred
    if detected and (confidence >= CLEAR_LANGUAGE or not preferred):
        return detected
    return preferred or DEFAULT_LANGUAGE


AGE_WORD = re.compile(r"^(\d{1,3})(?:-?v|-?vuot\w*|-?år\w*|-?åring\w*|-?vee)?$")
AGE_AFTER = ("v", "vee", "år", "åring", "vuot", "vuod")
I_AM = {"oon", "olen", "oli", "on", "är", "var", "täytin", "täytän", "fyller", "fyllde"}


def _age_audience(tokens: list) -> str | None:  # noqa: ANN001 (list of Token)
    """'äiti 82 v', '15v', '15-vuotias', '80 år', 'oon 17', 'jag är 16' → an audience."""
    for i, t in enumerate(tokens):
        m = AGE_WORD.match(t.lower)
        if not m or not 0 < int(m.group(1)) < 120:
            continue
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].lower if i > 0 else ""
        if m.group(0) != m.group(1) or nxt.startswith(AGE_AFTER) or prev in I_AM:
            return next(a for limit, a in AGE_AUDIENCES if int(m.group(1)) >= limit)
    return None


def _home_area(ctx: Context, kb: KnowledgeBase) -> Area | None:
    if not ctx.municipality:
        return None
    return kb.snapshot.matcher.places.resolve(ctx.municipality)


def answer(question: str, context: Context, kb: KnowledgeBase) -> Reply:
    """Answer ``question`` from the in-memory catalogue; never raises on odd input."""
    snap = kb.snapshot
    matcher = snap.matcher
    analysis = matcher.analyse(question or "")
    language = _reply_language(analysis.language, analysis.language_confidence, context)
    crisis = is_crisis(analysis.tokens, analysis.keys)
    place = analysis.place or _home_area(context, kb)
    audience = (_age_audience(analysis.tokens)
                or (analysis.audiences[0] if analysis.audiences else context.audience))
    limit = max(1, min(context.limit, MAX_LIMIT))
    matches, more = matcher.rank(analysis, language=language, place=place, audience=audience,
                                 limit=limit, offset=max(0, context.offset),
                                 extra_topics=("crisis",) if crisis else ())
    results = tuple(Result(m.service, m.score, m.why, language in m.service.languages)
                    for m in matches)
    reply = Reply(question=question, language=language, crisis=crisis, municipality=place,
                  results=results, text="", audience=audience, topics=tuple(analysis.topics),
                  more_available=more, offset=max(0, context.offset))
    text = render_reply(reply, professional=context.professional, topic_labels=matcher.topic_labels)
    return dataclasses.replace(reply, text=text)
