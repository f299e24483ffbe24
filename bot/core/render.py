"""Reply text in the user's language: crisis block, referral list or honest no-match, cards.

Plain text for the CLI, web JSON and logs-free channels; ``html=True`` gives Telegram HTML
with every catalogue string escaped.
"""

from __future__ import annotations

import html as _html

from bot.catalogue.model import Service, pick
from bot.core.context import Reply, Result
from bot.core.labels import AUDIENCES, COSTS, LANGUAGE_NAMES, PROVIDER_KINDS, label
from bot.i18n import Translator, translator


class _Fmt:
    def __init__(self, html: bool):
        self.html = html

    def esc(self, s: str) -> str:
        return _html.escape(s, quote=False) if self.html else s

    def bold(self, s: str) -> str:
        return f"<b>{self.esc(s)}</b>" if self.html else s

    def link(self, url: str) -> str:
        if self.html and url.startswith(("https://", "http://")):
            return f'<a href="{_html.escape(url, quote=True)}">{self.esc(url)}</a>'
        return self.esc(url)


def _field(title: str, value: str) -> str:
    return f"{title}: {value}"


def crisis_text(reply: Reply, html: bool = False) -> str:
    """The emergency information that leads a crisis reply: 112 first, then what fits the kind
    of danger (a crisis line in the reply's language, the Poison Information Centre, the
    violence helpline, the social emergency service for a child). Built in, so that it stands
    even with an empty catalogue; when only 112 fits, nothing else is said."""
    t = translator(reply.language)
    f = _Fmt(html)
    kinds = reply.safety.kinds
    if reply.safety.emergency_only:
        return "\n".join([
            f.bold(t("Call the emergency number 112 now.")),
            t("Tell what has happened and where, answer the questions and follow the "
              "instructions. Do not end the call until you are told you can."),
        ])
    lines = [f.bold(t("If you or someone near you is in immediate danger, call the emergency "
                      "number 112."))]
    if "overdose" in kinds:
        lines.append(t("If someone has taken too much medicine or something else, call 112 "
                       "now. The Poison Information Centre gives advice day and night: "
                       "0800 147 111."))
    if "child" in kinds:
        lines.append(t("When a child or someone who cannot look after themselves is in danger, "
                       "call 112: the emergency centre also alerts the social emergency service "
                       "(child protection) of the wellbeing services county."))
    if "violence" in kinds:
        lines.append(t("Nollalinja, the helpline for violence in close relationships, answers "
                       "day and night, free of charge, also in Swedish: 080 005 005."))
    if not (kinds & {"suicide", "overdose"} or reply.safety.writer_involved):
        return "\n".join(lines)
    if reply.language == "sv":
        lines.append(t("You can talk about your situation anonymously with the Swedish-language "
                       "crisis line, 09 2525 0112, on weekdays at set hours; day and night the "
                       "MIELI Crisis Line answers in Finnish, 09 2525 0111."))
    else:
        lines.append(t("You can talk about your situation anonymously with the MIELI Crisis "
                       "Line, 09 2525 0111, open day and night."))
    return "\n".join(lines)


def _contact_lines(s: Service, t: Translator, f: _Fmt, language: str) -> list[str]:
    out = []
    c = s.contact
    parts = [f.esc(x) for x in (c.phone, c.email) if x] + ([f.link(c.url)] if c.url else [])
    if not parts and s.provider.url:
        parts.append(f.link(s.provider.url))
    if parts:
        out.append(_field(t("Contact"), " · ".join(parts)))
    if c.address and c.address.line():
        out.append(_field(t("Address"), f.esc(c.address.line())))
    return out


def render_card(service: Service, language: str, professional: bool = False,
                html: bool = False, why: tuple[str, ...] = ()) -> str:
    """All a person needs to use or refer to the service, in ``language``."""
    t = translator(language)
    f = _Fmt(html)
    name, _ = pick(service.name, language)
    provider, _ = pick(service.provider.name, language)
    kind = label(PROVIDER_KINDS, service.provider.kind, t)
    lines = [f.bold(name), f"{f.esc(provider)} ({kind})"]
    summary, summary_lang = pick(service.summary, language)
    if summary:
        lines.append(f.esc(summary))
    if language not in service.languages:
        langs = ", ".join(label(LANGUAGE_NAMES, x, t) for x in service.languages)
        lines.append(t("Note: this service is given in: {languages}.").format(languages=langs))
    for title, text in ((t("How to get in"), service.access), (t("Opening hours"), service.hours)):
        value, _ = pick(text, language)
        if value:
            lines.append(_field(title, f.esc(value)))
    lines += _contact_lines(service, t, f, language)
    if service.cost:
        lines.append(_field(t("Cost"), label(COSTS, service.cost, t)))
    if professional:
        lines.append(_field(t("Languages"),
                            ", ".join(label(LANGUAGE_NAMES, x, t) for x in service.languages)))
        if service.audiences:
            lines.append(_field(t("For"), ", ".join(label(AUDIENCES, a, t) for a in service.audiences)))
        areas = ", ".join(pick(a.name, language)[0] for a in service.areas)
        online = t("also online")
        lines.append(_field(t("Area"), f.esc(areas) + (f" ({online})" if service.online else "")))
        if why:
            lines.append(_field(t("Matched"), f.esc(", ".join(why))))
        if service.source:
            updated = f", {t.date(service.updated)}" if service.updated else ""
            lines.append(_field(t("Source"), f.link(service.source) + updated))
    return "\n".join(lines)


def _why_labels(r: Result, reply: Reply, topic_labels: dict[str, dict[str, str]]) -> tuple[str, ...]:
    out = []
    for w in r.why:
        if w.startswith("topic:"):
            code = w.removeprefix("topic:")
            out.append(pick(topic_labels.get(code, {}), reply.language)[0] or code)
        else:
            out.append(w)
    return tuple(out)


def render_reply(reply: Reply, html: bool = False, professional: bool = False,
                 topic_labels: dict[str, dict[str, str]] | None = None) -> str:
    """The whole reply: crisis information first, then the options or the no-match text."""
    t = translator(reply.language)
    parts = []
    if reply.crisis:
        parts.append(crisis_text(reply, html))
    if reply.results:
        parts.append(t("These could help:") if not reply.crisis
                     else t("Support you can also turn to:"))
        for n, r in enumerate(reply.results, start=1 + reply.offset):
            card = render_card(r.service, reply.language, professional, html,
                               _why_labels(r, reply, topic_labels or {}))
            parts.append(f"{n}. {card}")
    elif not reply.crisis:
        parts.append(t("I did not find a service that fits your question. Try telling in a few "
                       "words what kind of help or activity you are looking for, and where."))
        parts.append(t("You can also ask the service guidance of your wellbeing services county "
                       "or your municipality: a person there can help you find the right service."))
    return "\n\n".join(parts)
