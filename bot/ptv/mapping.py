"""One PTV Service (with its linked channels) as one service of catalogue format version 1."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import get_day_names

from bot.catalogue.places import Places, fold
from bot.i18n import translator
from bot.ptv.topics import Codes, TopicTable, Unmapped

TEXT_LANGUAGES = ("fi", "sv", "en")
CHARGES = {"FreeOfCharge": "free", "Free": "free", "Chargeable": "fee", "Charged": "fee",
           "Other": "varies"}
NATIONWIDE = {"Nationwide", "NationwideExceptAlandIslands"}
REGION_TYPES = {"Province", "Region"}
COUNTY_TYPES = {"WellbeingServiceCounty", "WellbeingServicesCounty"}
LISTED_TYPES = {"Municipality", "BusinessRegions", "BusinessRegion", "HospitalRegions", "HospitalRegion"}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORG_KINDS = {"Municipality": "municipality", "State": "state", "Organization": "association",
             "SotePublic": "wellbeing_area", "Region": "wellbeing_area"}
PAGE = "https://www.suomi.fi/palvelut/{slug}/{id}"
ID = re.compile(r"^[0-9a-fA-F-]{8,64}$")


class MappingProblem(Exception):
    """The service cannot be written as it is (an unknown code, no name ...)."""


@dataclass
class Mapped:
    service: dict[str, Any]
    provider: dict[str, Any]


def texts(items: Any, kind: str | None = None) -> dict[str, str]:
    """PTV's ``[{language, value, type}]`` as ``{language: value}`` (first of ``kind``)."""
    out: dict[str, str] = {}
    for x in items or []:
        if not isinstance(x, dict) or (kind and x.get("type") != kind):
            continue
        lang, value = x.get("language"), x.get("value")
        if lang in TEXT_LANGUAGES and isinstance(value, str) and value.strip() and lang not in out:
            out[lang] = value.strip()
    return out


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "palvelu"


def _labels(item: dict[str, Any]) -> list[str]:
    return [n["value"] for n in item.get("name") or []
            if isinstance(n, dict) and isinstance(n.get("value"), str) and n["value"].strip()]


class ServiceMapper:
    """Maps services; remembers which PTV classes and terms had no row in the table."""

    def __init__(self, places: Places, table: TopicTable):
        self.places = places
        self.table = table
        self.unmapped = Unmapped()
        self.regions = {m.region.code: m.region for m in places.municipalities.values()}
        self.counties = {m.county.code: m.county for m in places.municipalities.values()}

    # -- classification -------------------------------------------------------------------
    def codes(self, s: dict[str, Any]) -> Codes:
        topics: list[str] = []
        audiences: list[str] = []
        missing_classes, missing_terms = [], []
        for kind, items in (("class", s.get("serviceClasses")), ("term", s.get("ontologyTerms")),
                            ("target", s.get("targetGroups"))):
            for item in items or []:
                if not isinstance(item, dict):
                    continue
                labels = _labels(item)
                keys = [str(item.get(k)) for k in ("code", "uri", "newUri") if item.get(k)] + labels
                found = self.table.lookup(kind, keys)
                if found:
                    topics += found.topics
                    audiences += found.audiences
                elif kind != "target":
                    shown = f"{item.get('code') or item.get('uri') or '-'} {labels[-1] if labels else ''}".strip()
                    (missing_classes if kind == "class" else missing_terms).append(shown)
        if not topics:
            self.unmapped.classes.update(set(missing_classes))
            self.unmapped.terms.update(set(missing_terms))
        return Codes(tuple(dict.fromkeys(topics)), tuple(dict.fromkeys(audiences)))

    @staticmethod
    def for_residents(s: dict[str, Any]) -> bool:
        """False for services only for companies or authorities (target groups KR2*, KR3*)."""
        groups = [str(g.get("code") or "") for g in s.get("targetGroups") or [] if isinstance(g, dict)]
        return not groups or any(g.startswith("KR1") for g in groups)

    # -- areas ----------------------------------------------------------------------------
    def areas(self, s: dict[str, Any]) -> list[str]:
        kind = s.get("areaType")
        if kind in NATIONWIDE:
            return ["FI"]
        if kind not in (None, "LimitedType"):
            raise MappingProblem(f"unknown areaType '{kind}'")
        out: list[str] = []
        for area in s.get("areas") or []:
            if not isinstance(area, dict):
                continue
            atype, code = area.get("type"), str(area.get("code") or "")
            if atype in REGION_TYPES and code:
                region = self.regions.get(code.zfill(2))
                if region is None:
                    raise MappingProblem(f"unknown region code '{code}'")
                out.append(region.name["fi"])
            elif atype in COUNTY_TYPES and code:
                county = self.counties.get(code.zfill(2))
                if county is None:
                    raise MappingProblem(f"unknown wellbeing services county code '{code}'")
                out.append(county.name["fi"])
            elif atype in LISTED_TYPES | REGION_TYPES | COUNTY_TYPES:
                for m in area.get("municipalities") or []:
                    mcode = str((m or {}).get("code") or "").zfill(3)
                    if self.places.municipality(mcode) is None:
                        raise MappingProblem(f"unknown municipality code '{mcode}'{self._named(m)}")
                    out.append(mcode)
            else:
                raise MappingProblem(f"unknown area type '{atype}'")
        if not out:
            raise MappingProblem("areaType LimitedType but no areas")
        return list(dict.fromkeys(out))

    def _named(self, m: dict[str, Any]) -> str:
        """' (named X; X is code NNN)' when PTV's name for a bad code is a known municipality."""
        name = texts(m.get("name")).get("fi")
        area = self.places.resolve(name) if name else None
        return f" (named {name}; {name} is code {area.code})" if area and area.kind == "municipality" else ""

    # -- contact --------------------------------------------------------------------------
    @staticmethod
    def contact(channels: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for ch in channels:
            for p in ch.get("phoneNumbers") or []:
                if "phone" not in out and isinstance(p, dict) and p.get("number"):
                    number = str(p["number"]).strip()
                    prefix = "" if p.get("isFinnishServiceNumber") else str(p.get("prefixNumber") or "")
                    out["phone"] = f"{prefix} {number}".strip()
            for e in ch.get("emails") or []:
                if "email" not in out and isinstance(e, dict) and e.get("value"):
                    out["email"] = str(e["value"]).strip()
            for w in (ch.get("webPages") or []) + (ch.get("webPage") or []):
                if "url" not in out and isinstance(w, dict) and w.get("url"):
                    out["url"] = str(w["url"]).strip()
            for a in ch.get("addresses") or []:
                street = (a or {}).get("streetAddress") if isinstance(a, dict) else None
                if "address" not in out and isinstance(street, dict):
                    name = texts(street.get("street"))
                    city = texts(street.get("postOffice"))
                    line = " ".join(x for x in (name.get("fi") or name.get("sv"), street.get("streetNumber")) if x)
                    out["address"] = {k: v for k, v in (
                        ("street", line or None), ("postal_code", street.get("postalCode")),
                        ("city", (city.get("fi") or city.get("sv") or "").title() or None)) if v}
        return out

    @staticmethod
    def hours(channels: list[dict[str, Any]]) -> dict[str, str]:
        """Opening hours of the first channel that has regular ones, in Finnish and Swedish."""
        for ch in channels:
            for h in ch.get("serviceHours") or []:
                if not isinstance(h, dict) or h.get("serviceHourType") not in (None, "DaysOfTheWeek", "Standard"):
                    continue
                if h.get("isAlwaysOpen"):
                    return {lang: _always_open(lang) for lang in ("fi", "sv")}
                spans = [o for o in h.get("openingHour") or [] if isinstance(o, dict) and o.get("dayFrom") in DAYS]
                if spans:
                    return {lang: _hours_text(spans, lang) for lang in ("fi", "sv")}
        return {}

    # -- the whole service ----------------------------------------------------------------
    def provider(self, s: dict[str, Any], orgs: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
        roles = [o for o in s.get("organizations") or [] if isinstance(o, dict)]
        for role in ("Responsible", "Producer", "OtherResponsible"):
            for o in roles:
                org = o.get("organization") or {}
                if o.get("roleType") == role and org.get("id") and org.get("name"):
                    full = orgs.get(str(org["id"])) or {}
                    name = texts(full.get("organizationNames"), "Name") or {"fi": str(org["name"]).strip()}
                    return {"id": f"ptv-org-{str(org['id']).lower()}", "name": name,
                            "kind": ORG_KINDS.get(full.get("organizationType")) or guess_kind(str(org["name"]))}
        return None

    def map(self, s: dict[str, Any], channels: dict[str, dict[str, Any]],
            orgs: dict[str, dict[str, Any]]) -> Mapped | None:
        """The catalogue entry, or None when no topic fits or it is not for residents."""
        sid = str(s.get("id"))
        if not ID.match(sid):
            raise MappingProblem(f"id '{sid}' is not a PTV id")
        name = texts(s.get("serviceNames"), "Name") or texts(s.get("serviceNames"), "AlternativeName")
        if not name:
            raise MappingProblem("no name in fi, sv or en")
        if not self.for_residents(s):
            return None
        codes = self.codes(s)
        if not codes.topics:
            return None
        charge = s.get("serviceChargeType")
        if charge is not None and charge not in CHARGES:
            raise MappingProblem(f"unknown serviceChargeType '{charge}' (known: {', '.join(CHARGES)})")
        linked = [channels[c] for c in (str((x.get("serviceChannel") or {}).get("id"))
                                        for x in s.get("serviceChannels") or [] if isinstance(x, dict))
                  if c in channels]
        provider = self.provider(s, orgs)
        if provider is None:
            raise MappingProblem("no responsible or producing organisation")
        descriptions = s.get("serviceDescriptions")
        keywords: dict[str, list[str]] = {}
        for k in s.get("keywords") or []:
            if isinstance(k, dict) and k.get("language") in TEXT_LANGUAGES and k.get("value"):
                keywords.setdefault(k["language"], []).append(str(k["value"]).strip())
        for term in s.get("ontologyTerms") or []:
            for n in (term or {}).get("name") or []:
                if isinstance(n, dict) and n.get("language") in ("fi", "sv") and n.get("value"):
                    keywords.setdefault(n["language"], []).append(str(n["value"]).strip())
        access = texts(descriptions, "UserInstruction")
        if not access:
            access = texts(s.get("requirements"))
        types = {c.get("serviceChannelType") for c in linked}
        entry: dict[str, Any] = {
            "id": f"ptv-{sid.lower()}",
            "provider": provider["id"],
            "name": name,
            "summary": texts(descriptions, "Summary"),
            "description": texts(descriptions, "Description"),
            "keywords": {lang: list(dict.fromkeys(w)) for lang, w in keywords.items()},
            "topics": list(codes.topics),
            "audiences": list(codes.audiences),
            "areas": self.areas(s),
            "languages": [x for x in s.get("languages") or [] if isinstance(x, str) and re.fullmatch(r"[a-z]{2,3}", x)],
            "cost": CHARGES.get(charge) if charge else None,
            "online": bool(types) and "EChannel" in types and "ServiceLocation" not in types,
            "access": access,
            "hours": self.hours(linked),
            "contact": self.contact(linked),
            "updated": _date(s.get("modified")),
            "source": PAGE.format(slug=slug(name.get("fi") or next(iter(name.values()))), id=sid.lower()),
        }
        return Mapped({k: v for k, v in entry.items() if v not in (None, {}, [], False)}, provider)


def guess_kind(name: str) -> str:
    """A provider kind from an organisation's name, when PTV's own type is not at hand."""
    n = fold(name)
    if "hyvinvointialue" in n or "välfärdsområde" in n:
        return "wellbeing_area"
    if "seurakun" in n or "församling" in n:
        return "parish"
    if re.search(r"\b(ry|rf|r\.y\.|yhdistys|förening|liitto|förbund|säätiö|stiftelse)\b", n):
        return "association"
    if re.search(r"(kunta|kunnan|kaupunki|kaupungin|kommun|\bstad\b|\bstaden\b)", n):
        return "municipality"
    return "other"


def _always_open(lang: str) -> str:
    t = translator(lang)
    return t("open round the clock")


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _clock(value: str) -> str:
    h, m = (value or "0:0").split(":")[:2]
    return f"{int(h)}" if m == "00" else f"{int(h)}.{m}"


def _hours_text(spans: list[dict[str, Any]], lang: str) -> str:
    """'ma–pe 8–16' / 'mån–fre 8–16': runs of days with the same hours, day names from babel."""
    names = get_day_names("abbreviated", locale=lang)
    by_day: dict[int, str] = {}
    for o in spans:
        start = DAYS.index(o["dayFrom"])
        end = DAYS.index(o["dayTo"]) if o.get("dayTo") in DAYS else start
        for d in range(start, end + 1):
            by_day[d] = f"{_clock(o.get('from') or '')}–{_clock(o.get('to') or '')}"
    parts, days = [], sorted(by_day)
    i = 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] == days[j] + 1 and by_day[days[j + 1]] == by_day[days[i]]:
            j += 1
        first, last = names[days[i]].rstrip("."), names[days[j]].rstrip(".")
        parts.append(f"{first}–{last} {by_day[days[i]]}" if j > i else f"{first} {by_day[days[i]]}")
        i = j + 1
    return ", ".join(parts)
