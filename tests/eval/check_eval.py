#!/usr/bin/env python3
"""Check the independent evaluation set in tests/eval/.

Usage:  .venv/bin/python tests/eval/check_eval.py [--verbose]

Checks, without using any code of the bot:
  * every catalogue file under catalogue/services/ is valid YAML that follows
    /work/shared/catalogue-format.md (ids, providers, topic / audience / kind
    codes, text fields, areas known in municipalities-2023.csv);
  * questions.yaml is a list of well-formed labelled questions whose expected
    ids all exist in the catalogue;
  * labels are consistent: off_topic has no expected service, crisis is true
    exactly for kind crisis, cross_language questions are Swedish and point
    only at services not given in Swedish, and every expected service covers
    the place named in the question (or the stored home municipality; with
    neither, only nationwide services).
Prints counts per kind / language / split, catalogue statistics and how much
the wording of the questions overlaps with the wording of their best service.
Exits non-zero on any error.
"""
from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SERVICES_DIR = HERE / "catalogue" / "services"
QUESTIONS = HERE / "questions.yaml"


def _find_csv() -> Path:
    for base in [HERE, *HERE.parents]:
        for cand in (base / "shared" / "data" / "municipalities-2023.csv",
                     base.parent / "shared" / "data" / "municipalities-2023.csv"):
            if cand.exists():
                return cand
    return Path("/work/shared/data/municipalities-2023.csv")


TOPICS = {
    "loneliness", "mental_health", "crisis", "substance_use", "exercise",
    "nutrition", "bullying", "family", "relationships", "peer_support",
    "caregiving", "violence", "finances", "food_aid", "employment", "housing",
    "grief", "integration", "participation", "volunteering", "hobbies",
    "digital_support", "health_advice", "safety", "memory", "disability",
    "spirituality", "sexual_health",
}
AUDIENCES = {"children", "youth", "families", "adults", "elderly", "immigrants"}
KINDS = {"association", "municipality", "parish", "wellbeing_area", "state", "other"}
TEXT_LANGS = {"fi", "sv", "en"}
ID_RE = re.compile(r"^[a-z0-9-]+$")
SERVICE_KEYS = {"id", "provider", "name", "summary", "description", "keywords",
                "topics", "audiences", "areas", "languages", "cost", "online",
                "access", "hours", "contact", "updated", "source"}
REQUIRED = {"id", "provider", "name", "summary", "topics", "languages", "access"}
Q_KINDS = {"resident", "professional", "cross_language", "off_topic", "crisis", "calm"}

# Stems of the place names the questions use (inflected forms start with these).
PLACE_STEMS = {
    "Kuopio": ["kuopio"],
    "Iisalmi": ["iisalm", "idensalm"],
    "Varkaus": ["varkaus", "varkaude", "varkaute"],
    "Siilinjärvi": ["siilinjärv"],
    "Suonenjoki": ["suonenjo"],
    "Vaasa": ["vaasa", "vasa"],
    "Mustasaari": ["mustasaar", "korsholm"],
    "Närpiö": ["närpiö", "närpes"],
    "Pietarsaari": ["pietarsaar", "jakobstad"],
    "Kruunupyy": ["kruunupy", "kronoby"],
    "Kokkola": ["kokkola", "karleby"],
    "Helsinki": ["helsin", "helsingfors"],
    "Tampere": ["tampere", "tammerfors"],
}


# Regions that questions may name instead of a town (matched as text).
REGION_PATTERNS = {
    "Pohjois-Savo": re.compile(r"(?<![\w-])(pohjois-savo|norra savolax)", re.IGNORECASE),
    "Pohjanmaa": re.compile(r"(?<![\w-])(pohjanmaa|pohjanmaalla|österbotten)", re.IGNORECASE),
}


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def err(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def load_places(csv_path: Path):
    munis = {}      # lower name/code -> row
    regions = {}    # lower region name -> region_fi
    with open(csv_path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for key in (row["code"], row["name_fi"], row["name_sv"]):
                munis[key.lower()] = row
            regions[row["region_fi"].lower()] = row["region_fi"]
            regions[row["region_sv"].lower()] = row["region_fi"]
    return munis, regions


def check_text(rep, where, field, value, required=False):
    if value is None:
        if required:
            rep.err(f"{where}: missing {field}")
        return
    if not isinstance(value, dict) or not value:
        rep.err(f"{where}: {field} must be a mapping from language to text")
        return
    for lang, text in value.items():
        if lang not in TEXT_LANGS:
            rep.err(f"{where}: {field} has unknown language {lang!r}")
        if field == "keywords":
            if not isinstance(text, list) or not all(isinstance(t, str) and t for t in text):
                rep.err(f"{where}: keywords.{lang} must be a list of words")
        elif not isinstance(text, str) or not text.strip():
            rep.err(f"{where}: {field}.{lang} must be non-empty text")


def load_catalogue(rep: Report, munis, regions):
    services: dict[str, dict] = {}
    provider_ids: dict[str, str] = {}
    all_providers: dict[str, dict] = {}
    pending: list[tuple[str, dict]] = []
    files = sorted(SERVICES_DIR.glob("*.yaml"))
    if not files:
        rep.err(f"no catalogue files in {SERVICES_DIR}")
    for path in files:
        raw = path.read_text(encoding="utf-8")
        if "Fictional evaluation data, not real services" not in raw.splitlines()[0]:
            rep.err(f"{path.name}: first line must say 'Fictional evaluation data, not real services'")
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            rep.err(f"{path.name}: invalid YAML: {exc}")
            continue
        if not isinstance(data, dict) or not isinstance(data.get("services"), list):
            rep.err(f"{path.name}: must be a mapping with a 'services' list")
            continue
        for prov in data.get("providers") or []:
            pid = prov.get("id", "")
            where = f"{path.name}: provider {pid}"
            if not ID_RE.match(str(pid)):
                rep.err(f"{where}: bad id")
            if pid in provider_ids:
                rep.err(f"{where}: duplicate provider id (also in {provider_ids[pid]})")
            provider_ids[pid] = path.name
            all_providers[pid] = prov
            check_text(rep, where, "name", prov.get("name"), required=True)
            if prov.get("kind") not in KINDS:
                rep.err(f"{where}: unknown kind {prov.get('kind')!r}")
        for svc in data["services"]:
            sid = svc.get("id", "")
            where = f"{path.name}: {sid}"
            if not ID_RE.match(str(sid)):
                rep.err(f"{where}: bad service id")
            if sid in services:
                rep.err(f"{where}: duplicate service id")
            for key in svc:
                if key not in SERVICE_KEYS:
                    rep.err(f"{where}: unknown field {key!r}")
            for key in REQUIRED - set(svc):
                rep.err(f"{where}: missing required field {key!r}")
            prov = svc.get("provider")
            if isinstance(prov, str):
                pending.append((where, svc))  # resolved once every file is read
            elif isinstance(prov, dict):
                check_text(rep, where, "provider.name", prov.get("name"), required=True)
                if prov.get("kind") not in KINDS:
                    rep.err(f"{where}: inline provider has unknown kind {prov.get('kind')!r}")
                svc["_provider_kind"] = prov.get("kind")
            else:
                rep.err(f"{where}: provider must be an id or a mapping")
            name = svc.get("name") or {}
            if not ({"fi", "sv"} & set(name)):
                rep.err(f"{where}: name needs fi or sv")
            for field in ("name", "summary", "description", "keywords", "access", "hours"):
                check_text(rep, where, field, svc.get(field), required=field in REQUIRED)
            topics = svc.get("topics") or []
            if not topics:
                rep.err(f"{where}: needs at least one topic")
            for t in topics:
                if t not in TOPICS:
                    rep.err(f"{where}: unknown topic {t!r}")
            for a in svc.get("audiences") or []:
                if a not in AUDIENCES:
                    rep.err(f"{where}: unknown audience {a!r}")
            for lang in svc.get("languages") or []:
                if lang not in TEXT_LANGS:
                    rep.err(f"{where}: unknown language {lang!r}")
            if svc.get("cost") not in (None, "free", "fee", "varies"):
                rep.err(f"{where}: bad cost {svc.get('cost')!r}")
            if "online" in svc and not isinstance(svc["online"], bool):
                rep.err(f"{where}: online must be true or false")
            for area in svc.get("areas") or ["FI"]:
                a = str(area).lower()
                if area != "FI" and a not in munis and a not in regions:
                    rep.err(f"{where}: unknown area {area!r} (not in municipalities CSV)")
            svc["_file"] = path.name
            services[sid] = svc
    for where, svc in pending:
        prov = all_providers.get(svc["provider"])
        if prov is None:
            rep.err(f"{where}: unknown provider {svc['provider']!r}")
        else:
            svc["_provider_kind"] = prov.get("kind")
    return services


def covers(svc, muni_row) -> bool:
    """Does the service's area list cover the municipality (CSV row)?"""
    for area in svc.get("areas") or ["FI"]:
        a = str(area).lower()
        if area == "FI":
            return True
        if a in (muni_row["code"], muni_row["name_fi"].lower(), muni_row["name_sv"].lower()):
            return True
        if a in (muni_row["region_fi"].lower(), muni_row["region_sv"].lower()):
            return True
    return False


def covers_region(svc, region_fi, munis) -> bool:
    """A question naming a region is served by nationwide, regional or local services there."""
    for area in svc.get("areas") or ["FI"]:
        if area == "FI":
            return True
        row = munis.get(str(area).lower())
        if row is not None and row["region_fi"] == region_fi:
            return True
        if str(area).lower() == region_fi.lower():
            return True
        if row is None and any(r["region_fi"] == region_fi and str(area).lower() == r["region_sv"].lower()
                               for r in munis.values()):
            return True
    return False


def regions_in(text: str) -> list[str]:
    return [name for name, pat in REGION_PATTERNS.items() if pat.search(text)]


def is_national(svc) -> bool:
    return "FI" in (svc.get("areas") or ["FI"])


WORD_RE = re.compile(r"[a-zåäöéü0-9]+", re.IGNORECASE)


def places_in(text: str) -> list[str]:
    found = []
    for token in WORD_RE.findall(text.lower()):
        for muni, stems in PLACE_STEMS.items():
            if any(token.startswith(s) and len(token) - len(s) <= 5 for s in stems):
                if muni not in found:
                    found.append(muni)
    return found


STOP = set("""
mun mä mää mua mulle mulla multa mun minä minun minulla minulle olen oon oli ollu ollut on ei en et ois olis
ja tai kun jos että et ku mut mutta vaan vain myös sekä niin nyt jo vielä enää koko aina joka jotain joku jonkun
mikä mitä missä mistä mihin miten millanen kuka kenelle onko onks löytyykö voiko voisko saako saa tarttis tarvis
tarvitsen tarttisin haluisin haluaisin halua haluan apua apu hakea tukea tuki asun asuu asutaan asuva siellä täällä
tää tämä se sen sitä sille ne niitä hän hänen meidän meillä me te he ja eli kanssa kaa ilman kautta jälkeen
hyvä paljon vähän tosi ihan just joo jne esim tms pitäis pitäisi voi voin vois voisin pystyy pysty enkä ettei
och att det som en ett är jag du han hon vi ni de min mitt mina din sin sig har hade inte kan ska vill finns
för med på till av om från hur var vem vad vilken vilket när eller men också bara mycket någon något några man
the and for with hjälp hjälpa hjälper stöd behöver behov få får kunna hela tiden efter vara
auttaa auttais auttaisi ajan kertaa
""".split())


def content_words(text: str) -> list[str]:
    out = []
    for w in WORD_RE.findall(text.lower()):
        if len(w) < 4 or w in STOP or w.isdigit() or places_in(w):
            continue
        out.append(w)
    return out


def service_text(svc) -> str:
    parts = []
    for field in ("name", "summary", "description", "keywords", "access"):
        val = svc.get(field) or {}
        for v in val.values():
            parts.append(" ".join(v) if isinstance(v, list) else str(v))
    return " ".join(parts).lower()


def overlaps(word: str, text_tokens: set[str]) -> bool:
    stem = word[:5]
    return any(t.startswith(stem) for t in text_tokens)


def check_questions(rep: Report, services, munis, verbose=False):
    try:
        questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        rep.err(f"questions.yaml: {exc}")
        return []
    if not isinstance(questions, list):
        rep.err("questions.yaml must be a list")
        return []
    seen = set()
    for q in questions:
        qid = q.get("id")
        where = f"questions.yaml: {qid}"
        if not qid or qid in seen:
            rep.err(f"{where}: missing or duplicate id")
        seen.add(qid)
        for key in q:
            if key not in {"id", "question", "language", "kind", "split", "expected", "crisis", "home"}:
                rep.err(f"{where}: unknown field {key!r}")
        if not isinstance(q.get("question"), str) or not q["question"].strip():
            rep.err(f"{where}: question text missing")
            continue
        if q.get("language") not in ("fi", "sv"):
            rep.err(f"{where}: language must be fi or sv")
        kind = q.get("kind")
        if kind not in Q_KINDS:
            rep.err(f"{where}: unknown kind {kind!r}")
        if q.get("split") not in ("dev", "heldout"):
            rep.err(f"{where}: split must be dev or heldout")
        expected = q.get("expected")
        if not isinstance(expected, list):
            rep.err(f"{where}: expected must be a list")
            continue
        if len(set(expected)) != len(expected):
            rep.err(f"{where}: duplicate ids in expected")
        for sid in expected:
            if sid not in services:
                rep.err(f"{where}: expected id {sid!r} is not in the catalogue")
        if not isinstance(q.get("crisis"), bool):
            rep.err(f"{where}: crisis must be true or false")
        if (kind == "crisis") != bool(q.get("crisis")):
            rep.err(f"{where}: crisis must be true exactly for kind crisis")
        if kind == "off_topic" and expected:
            rep.err(f"{where}: off_topic questions expect no service")
        if kind in ("resident", "professional", "cross_language", "calm") and not expected:
            rep.err(f"{where}: {kind} question needs at least one expected service")
        home = q.get("home")
        home_row = None
        if home is not None:
            home_row = munis.get(str(home).lower())
            if home_row is None:
                rep.err(f"{where}: home {home!r} is not in the municipalities CSV")
        if kind == "cross_language":
            if q.get("language") != "sv":
                rep.err(f"{where}: cross_language questions are Swedish")
            for sid in expected:
                if sid in services and "sv" in (services[sid].get("languages") or []):
                    rep.err(f"{where}: cross_language expects only services not given in Swedish, {sid} is")
        # place consistency
        places = places_in(q["question"])
        rows = [munis[p.lower()] for p in places if p.lower() in munis]
        named_regions = regions_in(q["question"])
        if not rows and not named_regions and home_row is not None:
            rows = [home_row]
        for sid in expected:
            svc = services.get(sid)
            if svc is None:
                continue
            if named_regions and not rows:
                if not any(covers_region(svc, r, munis) for r in named_regions):
                    rep.err(f"{where}: {sid} does not cover {named_regions}")
            elif rows:
                if not any(covers(svc, r) for r in rows):
                    rep.err(f"{where}: {sid} does not cover {[r['name_fi'] for r in rows]}")
            elif not is_national(svc):
                rep.err(f"{where}: no place or home given, but {sid} is not nationwide")
        if verbose:
            print(f"{qid} places={places} home={home} -> {expected}")
    return questions


def main(argv) -> int:
    verbose = "--verbose" in argv
    rep = Report()
    munis, regions = load_places(_find_csv())
    services = load_catalogue(rep, munis, regions)
    questions = check_questions(rep, services, munis, verbose=verbose)

    # ---- catalogue statistics
    n = len(services)
    topics = Counter(t for s in services.values() for t in s.get("topics", []))
    missing = sorted(TOPICS - set(topics))
    if missing:
        rep.err(f"catalogue does not cover topics: {missing}")
    kinds = Counter(s.get("_provider_kind") for s in services.values())
    fi_only = [s for s in services.values()
               if s.get("languages") == ["fi"]
               and not any("sv" in (s.get(f) or {}) for f in ("name", "summary", "description", "access"))]
    sv_only = [s for s in services.values() if "fi" not in (s.get("languages") or [])]
    no_kw = [s for s in services.values() if not s.get("keywords")]
    used = {sid for q in questions for sid in q.get("expected") or []}
    print(f"services: {n} in {len(list(SERVICES_DIR.glob('*.yaml')))} files; "
          f"Finnish only (no sv text): {len(fi_only)}; no Finnish: {len(sv_only)}; "
          f"without keywords: {len(no_kw)}; with description: "
          f"{sum(1 for s in services.values() if s.get('description'))}")
    print(f"provider kinds: {dict(kinds)}")
    print(f"topics covered: {len(topics)}/28; services never expected: "
          f"{sorted(set(services) - used)}")

    # ---- question statistics
    by_kind = Counter(q.get("kind") for q in questions)
    by_lang = Counter(q.get("language") for q in questions)
    by_split = Counter(q.get("split") for q in questions)
    print(f"questions: {len(questions)}")
    print(f"  by kind: {dict(by_kind)}")
    print(f"  by language: {dict(by_lang)}")
    print(f"  by split: {dict(by_split)}")
    cross = Counter((q.get("kind"), q.get("language"), q.get("split")) for q in questions)
    for key in sorted(cross, key=str):
        print(f"    {key[0]:15s} {key[1]} {key[2]:8s} {cross[key]}")
    print(f"  with home: {sum(1 for q in questions if q.get('home'))}; naming a place: "
          f"{sum(1 for q in questions if places_in(q.get('question', '')) or regions_in(q.get('question', '')))}")

    # ---- wording overlap with the best expected service
    no_overlap = 0
    measured = 0
    shares = []
    for q in questions:
        if not q.get("expected") or q["expected"][0] not in services:
            continue
        words = content_words(q["question"])
        tokens = set(WORD_RE.findall(service_text(services[q["expected"][0]])))
        hits = [w for w in words if overlaps(w, tokens)]
        measured += 1
        if not hits:
            no_overlap += 1
        shares.append(len(hits) / len(words) if words else 0.0)
        if verbose and hits:
            print(f"  overlap {q['id']}: {hits}")
    if measured:
        print(f"wording: {no_overlap}/{measured} questions ({100 * no_overlap / measured:.0f} %) "
              f"share no content word (5-letter prefix) with their best service; "
              f"mean share of shared words {100 * sum(shares) / len(shares):.0f} %")

    for w in rep.warnings:
        print("WARNING:", w)
    for e in rep.errors:
        print("ERROR:", e)
    print("OK" if not rep.errors else f"{len(rep.errors)} error(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
