"""The one core every channel calls: ``answer(question, context, kb) -> Reply``."""

from __future__ import annotations

import dataclasses
import re

from bot.catalogue.model import Area, Service
from bot.core.context import Context, Reply, Result
from bot.core.knowledge import KnowledgeBase
from bot.core.render import render_reply
from bot.core.safety import Assessment, assess
from bot.matching.matcher import Analysis, Matcher
from bot.i18n import DEFAULT_LANGUAGE, normalise_language

CLEAR_LANGUAGE = 0.7
MAX_LIMIT = 20
CRISIS_SUPPORT = 2  # services shown below the emergency information, at the most
# Numbers the emergency information (render.crisis_text) already gives: not repeated as cards.
CRISIS_TEXT_NUMBERS = frozenset({"112", "0800147111", "080005005", "0925250111", "0925250112"})
# Services that may stand below the emergency information, by kind of danger: the first topic
# is required, the others make a service fit better. Never debt advice or a hobby group.
SUPPORT_TOPICS = {
    "suicide": ("crisis", "mental_health"),
    "overdose": ("crisis", "mental_health"),
    "violence": ("violence", "crisis"),
    "child": ("crisis", "family", "violence", "safety"),
    "medical": (),
}
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


def _fits(service: Service, kinds: frozenset[str], place: Area | None) -> bool:
    """A service that may stand below the emergency information: of a required topic, not a
    number the emergency text gives, nationwide unless the place is known, a national violence
    helpline only for violence, and for a child in danger the county's or municipality's own
    social emergency (crisis and family together) rather than a national helpline."""
    phone = "".join((service.contact.phone or "").split())
    topics = set(service.topics)
    required = {SUPPORT_TOPICS[k][0] for k in kinds if SUPPORT_TOPICS[k]}
    if phone in CRISIS_TEXT_NUMBERS or not required & topics:
        return False
    nationwide = any(a.kind == "country" for a in service.areas)
    if place is None and not nationwide:
        return False  # a local service somewhere else helps no one in a crisis
    if nationwide and "violence" in topics and "violence" not in kinds:
        return False  # a national violence helpline is not the help for other dangers
    if "child" in kinds:
        return {"crisis", "family"} <= topics and any(a.kind != "country" for a in service.areas)
    return True


def _crisis_support(matcher: Matcher, analysis: Analysis, safety: Assessment, *, language: str,
                    place: Area | None, audience: str | None) -> tuple[Result, ...]:
    """At most ``CRISIS_SUPPORT`` services that fit the kind of danger: the nearest first, then
    those with more of the kind's topics; none when only 112 fits (a medical emergency,
    violence seen by a bystander)."""
    if safety.emergency_only:
        return ()
    topics = tuple(dict.fromkeys(t for k in sorted(safety.kinds) for t in SUPPORT_TOPICS[k]))
    matches, _ = matcher.rank(analysis, language=language, place=place, audience=audience,
                              limit=MAX_LIMIT, extra_topics=topics)
    fitting = [m for m in matches if _fits(m.service, safety.kinds, place)]
    near = _nearness(matcher, place)
    fitting.sort(key=lambda m: (min((near.get(a.key, 3) for a in m.service.areas), default=3),
                                -len(set(m.service.topics) & set(topics))))
    return tuple(Result(m.service, m.score, m.why, language in m.service.languages)
                 for m in fitting[:CRISIS_SUPPORT])


def _nearness(matcher: Matcher, place: Area | None) -> dict[str, int]:
    """Area keys by how near they are to ``place``: 0 the place itself, 1 its region or
    wellbeing services county, 2 the whole country (others: 3). In a crisis the nearest
    fitting service comes first, whatever its words."""
    near = {"country:FI": 2}
    if place is not None:
        near[place.key] = 0
        m = matcher.places.municipality(place.code) if place.kind == "municipality" else None
        if m is not None:
            near[m.region.key] = near[m.county.key] = 1
    return near


def answer(question: str, context: Context, kb: KnowledgeBase) -> Reply:
    """Answer ``question`` from the in-memory catalogue; never raises on odd input."""
    snap = kb.snapshot
    matcher = snap.matcher
    analysis = matcher.analyse(question or "")
    language = _reply_language(analysis.language, analysis.language_confidence, context)
    safety = assess(analysis.text, analysis.tokens, analysis.keys)
    place = analysis.place or _home_area(context, kb)
    audience = (_age_audience(analysis.tokens)
                or (analysis.audiences[0] if analysis.audiences else context.audience))
    results: tuple[Result, ...] = ()
    more, offset = False, 0
    if safety.crisis and not safety.by_rules:
        # Read by meaning alone a crisis is less sure: the emergency information still leads,
        # followed by the best options for what was asked (never debt advice), if any.
        matches, _ = matcher.rank(analysis, language=language, place=place, audience=audience,
                                  limit=CRISIS_SUPPORT + 2)
        results = tuple(Result(m.service, m.score, m.why, language in m.service.languages)
                        for m in matches if "finances" not in m.service.topics)[:CRISIS_SUPPORT]
    elif safety.crisis:
        results = _crisis_support(matcher, analysis, safety, language=language, place=place,
                                  audience=audience)
    else:
        limit = max(1, min(context.limit, MAX_LIMIT))
        offset = max(0, context.offset)
        matches, more = matcher.rank(analysis, language=language, place=place,
                                     audience=audience, limit=limit, offset=offset)
        results = tuple(Result(m.service, m.score, m.why, language in m.service.languages)
                        for m in matches)
    reply = Reply(question=question, language=language, municipality=place,
                  results=results, text="", audience=audience, topics=tuple(analysis.topics),
                  more_available=more, offset=offset, safety=safety)
    text = render_reply(reply, professional=context.professional, topic_labels=matcher.topic_labels)
    return dataclasses.replace(reply, text=text)
