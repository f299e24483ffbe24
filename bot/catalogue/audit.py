"""What a coordinator should check in a catalogue before residents rely on it: crisis services
without a phone number, facts taken from news items or blogs instead of the provider's own
page, contact links that are only a home page, check dates that are missing or old.

The catalogue loads either way (these are not errors of the format); ``python -m bot audit``
lists them so that they are fixed at the source, one entry at a time.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from bot.catalogue.model import Catalogue, Service
from bot.i18n import N_, translator

CRISIS_TOPICS = frozenset({"crisis", "violence"})
STALE_AFTER = timedelta(days=365)
NEWS_SITES = (
    "sttinfo.fi", "yle.fi", "hs.fi", "ts.fi", "aamuset.fi", "satakunnankansa.fi", "kyrkpressen.fi",
    "hbl.fi", "vasabladet.fi", "osterbottenstidning.fi", "keskipohjanmaa.fi", "hameensanomat.fi",
    "forssanlehti.fi", "lopenlehti.fi", "uutisrauma.fi", "sv24.fi", "ulvilanseutu.fi", "sss.fi",
    "kaleva.fi", "iltalehti.fi", "is.fi", "mtvuutiset.fi", "turunseutusanomat.fi", "lestijoki.fi",
    "pressreader.com", "blogspot.com", "medium.com",
)
"""Newspapers, press-release services and blog hosts: what they say is a lead, not a source."""
NEWS_PATH = re.compile(r"/(uutinen|uutiset|uutisarkisto|news|nyheter|nyhet|tiedote|tiedotteet|"
                       r"ajankohtaista|aktuellt|blogi?|blogit|artikkeli|artiklar|lukijalta)(/|$|-)")
"""Path segments of news, press releases and blogs on any site (also the provider's own)."""

KINDS = {
    "crisis_without_phone": N_("crisis service without a phone number"),
    "news_source": N_("source is a news item, press release or blog, not the provider's page"),
    "no_source": N_("no source page"),
    "not_checked": N_("no date on which the source was checked"),
    "stale": N_("source last checked over a year ago"),
    "home_page_only": N_("contact link is only a home page"),
}
"""Kinds of findings, most urgent first."""


@dataclass(frozen=True)
class Finding:
    service: str
    file: str
    kind: str
    detail: str = ""


def is_news(url: str) -> bool:
    """A page of a newspaper, a press-release service or a blog, or a news path on any site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return (any(host == site or host.endswith("." + site) for site in NEWS_SITES)
            or host.startswith(("blog.", "blogi.")) or bool(NEWS_PATH.search(parts.path.lower())))


def _home_page_only(url: str) -> bool:
    return urlsplit(url).path in ("", "/") and not urlsplit(url).query


def findings_of(service: Service, today: date) -> list[Finding]:
    """What to check in one service."""
    found: list[Finding] = []

    def add(kind: str, detail: str = "") -> None:
        found.append(Finding(service.id, service.file, kind, detail))

    if CRISIS_TOPICS & set(service.topics) and not service.contact.phone:
        add("crisis_without_phone")
    if not service.source:
        add("no_source")
    elif is_news(service.source):
        add("news_source", service.source)
    if service.updated is None:
        add("not_checked")
    elif today - service.updated > STALE_AFTER:
        add("stale", service.updated.isoformat())
    if service.contact.url and _home_page_only(service.contact.url):
        add("home_page_only", service.contact.url)
    return found


def audit(catalogue: Catalogue, today: date | None = None) -> list[Finding]:
    """Every finding of ``catalogue``, by kind (most urgent first), then by file and service."""
    today = today or date.today()
    order = list(KINDS)
    found = [f for s in catalogue.services for f in findings_of(s, today)]
    return sorted(found, key=lambda f: (order.index(f.kind), f.file, f.service))


def render(found: list[Finding], fmt: str, language: str, services: int) -> str:
    """Markdown (a table per kind), or JSON (``{"services", "findings": [...]}``)."""
    if fmt == "json":
        return json.dumps({"services": services, "findings": [asdict(f) for f in found]},
                          ensure_ascii=False, indent=2) + "\n"
    t = translator(language)
    title, service, file = t("Catalogue audit"), t("service"), t("file")
    lines = [f"# {title}", "",
             t("{services} services, {findings} things to check.").format(
                 services=services, findings=len(found)), ""]
    for kind, label in KINDS.items():
        rows = [f for f in found if f.kind == kind]
        if not rows:
            continue
        lines += [f"## {t(label)} ({len(rows)})", "", f"| {service} | {file} | |", "|---|---|---|"]
        lines += [f"| {f.service} | {f.file} | {f.detail} |" for f in rows]
        lines.append("")
    return "\n".join(lines)
