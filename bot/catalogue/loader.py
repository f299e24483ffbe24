"""Load a catalogue folder: every error at once as `file:line: id: problem`, all or nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from bot.catalogue import schema
from bot.catalogue.builtins import Builtins, builtins
from bot.catalogue.errors import CatalogueError, CatalogueProblem
from bot.catalogue.model import (
    Address, Area, Catalogue, Contact, Provider, Service, Topic,
)
from bot.catalogue.places import COUNTRY
from bot.catalogue.synonyms_file import read_synonyms, read_topics
from bot.catalogue.yamlsource import LocatedYaml, YamlProblem, load_yaml, parse_yaml
from bot.config import DEFAULT_KNOWLEDGE_DIR

SERVICE_FIELDS = set(schema.ServiceIn.model_fields)
PROVIDER_FIELDS = set(schema.ProviderIn.model_fields)


def near(word: str, choices: Iterable[str], limit: int = 3) -> str:
    """' (did you mean: a, b?)' for the closest choices, or ''."""
    found = process.extract(str(word).casefold(), list(choices),
                            scorer=JaroWinkler.normalized_similarity, limit=limit, score_cutoff=0.7)
    return f" (did you mean: {', '.join(c for c, _, _ in found)}?)" if found else ""


@dataclass
class _Source:
    """One file being read, with its problems and warnings. Lines are worked out (by a
    second, line-tracking parse) only for a file that has a problem."""

    name: str
    text: str
    data: Any
    problems: list[CatalogueProblem]
    warnings: list[CatalogueProblem]
    _located: LocatedYaml | None = None
    imported: bool = False

    def line(self, path: tuple[Any, ...]) -> int:
        if self._located is None:
            try:
                self._located = parse_yaml(self.text)
            except YamlProblem:
                self._located = LocatedYaml(None, {})
        return self._located.line(path)

    def where(self, path: tuple[Any, ...]) -> str:
        return f"{self.name}:{self.line(path)}"

    def problem(self, path: tuple[Any, ...], item: str, message: str, warning: bool = False) -> None:
        p = CatalogueProblem(self.name, self.line(path), item or "-", message)
        (self.warnings if warning else self.problems).append(p)


@dataclass
class _State:
    b: Builtins
    problems: list[CatalogueProblem] = field(default_factory=list)
    warnings: list[CatalogueProblem] = field(default_factory=list)
    providers: dict[str, Provider] = field(default_factory=dict)
    provider_at: dict[str, tuple[_Source, tuple[Any, ...]]] = field(default_factory=dict)
    service_at: dict[str, tuple[_Source, tuple[Any, ...]]] = field(default_factory=dict)
    raw_services: list[tuple[_Source, int, dict[str, Any], schema.ServiceIn | None]] = field(default_factory=list)


def _friendly(err: dict[str, Any]) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        return "missing (required)"
    if err["type"] == "string_pattern_mismatch":
        return f"'{err.get('input')}' may hold only a-z, 0-9 and '-'"
    if err["type"] == "literal_error":
        return f"'{err.get('input')}' is not one of {', '.join(schema.COSTS)}{near(err.get('input'), schema.COSTS)}"
    return msg


def _validate(model: type[schema._Model], data: Any, src: _Source, base: tuple[Any, ...],
              item: str) -> Any:
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and "[" in x))
            where = ".".join(str(x) for x in loc)
            src.problem((*base, *loc), item, f"{where}: {_friendly(err)}" if where else _friendly(err))
        return None
    known = SERVICE_FIELDS if model is schema.ServiceIn else PROVIDER_FIELDS
    for extra in sorted(obj.model_extra or {}):
        src.problem((*base, extra), item, f"unknown field '{extra}' ignored{near(extra, known)}",
                    warning=True)
    return obj


def _read_file(path: Path, rel: str, st: _State, digest: Any) -> _Source | None:
    data = path.read_bytes()
    digest.update(rel.encode() + b"\0" + data + b"\0")
    try:
        text = data.decode("utf-8")
        parsed = load_yaml(text)
    except UnicodeDecodeError:
        st.problems.append(CatalogueProblem(rel, 1, "-", "not UTF-8 text"))
        return None
    except YamlProblem as exc:
        st.problems.append(CatalogueProblem(rel, exc.line, "-", str(exc)))
        return None
    return _Source(rel, text, parsed, st.problems, st.warnings)


def _add_provider(p: schema.ProviderIn, src: _Source, path: tuple[Any, ...], st: _State,
                  pid: str) -> Provider | None:
    if p.kind not in st.b.provider_kinds:
        src.problem((*path, "kind"), pid, f"unknown provider kind '{p.kind}'"
                    f"{near(p.kind, st.b.provider_kinds)}")
        return None
    if pid in st.provider_at and st.provider_at[pid] != (src, path):
        other, other_path = st.provider_at[pid]
        src.problem(path, pid, f"provider id used twice (also at {other.where(other_path)})")
        return None
    st.provider_at[pid] = (src, path)
    st.providers[pid] = Provider(pid, p.name, p.kind, p.url)
    return st.providers[pid]


def _read_services_file(src: _Source, st: _State) -> None:
    data = src.data
    if data is None:
        return
    if isinstance(data, list):
        data = {"services": data}
    if not isinstance(data, dict):
        src.problem((), "-", "expected 'providers:' and 'services:' lists")
        return
    top = _validate(schema.ServicesFileIn, data, src, (), "-")
    if top is None:
        return
    for extra in sorted(top.model_extra or {}):
        src.problem((extra,), "-", f"unknown section '{extra}' ignored{near(extra, ['providers', 'services'])}",
                    warning=True)
    src.imported = bool(top.imported)
    for i, raw in enumerate(top.providers):
        path = ("providers", i)
        p = _validate(schema.ProviderIn, raw, src, path, str(raw.get("id", "-")))
        if p is None:
            continue
        if not p.id:
            src.problem(path, "-", "id: missing (required)")
            continue
        if _yields(src, st.provider_at.get(p.id)):
            continue
        if _replaces(src, st.provider_at.get(p.id)):
            del st.provider_at[p.id]
        _add_provider(p, src, path, st, p.id)
    for i, raw in enumerate(top.services):
        path = ("services", i)
        if not isinstance(raw, dict):
            src.problem(path, "-", "a service must be a mapping of fields")
            continue
        sid = str(raw.get("id", "-"))
        if _yields(src, st.service_at.get(sid)):
            continue
        if _replaces(src, st.service_at.get(sid)):
            st.raw_services = [r for r in st.raw_services if str(r[2].get("id", "-")) != sid]
        elif sid in st.service_at:
            other, other_path = st.service_at[sid]
            src.problem(path, sid, f"service id used twice (also at {other.where(other_path)})")
            continue
        st.service_at[sid] = (src, path)
        st.raw_services.append((src, i, raw, _validate(schema.ServiceIn, raw, src, path, sid)))


def _yields(src: _Source, other: tuple[_Source, tuple[Any, ...]] | None) -> bool:
    """An imported entry gives way to a hand-curated one with the same id."""
    return other is not None and src.imported and not other[0].imported


def _replaces(src: _Source, other: tuple[_Source, tuple[Any, ...]] | None) -> bool:
    """A hand-curated entry replaces an imported one read earlier."""
    return other is not None and not src.imported and other[0].imported


def _resolve_areas(sid: str, names: list[Any], src: _Source, path: tuple[Any, ...],
                   st: _State) -> tuple[Area, ...] | None:
    areas: list[Area] = []
    ok = True
    for j, name in enumerate(names):
        area = st.b.places.resolve(name)
        if area is None:
            hint = st.b.places.suggest(name)
            src.problem((*path, "areas", j), sid, f"unknown area '{name}'"
                        + (f" (did you mean: {', '.join(hint)}?)" if hint else ""))
            ok = False
        elif area not in areas:
            areas.append(area)
    if not ok:
        return None
    return tuple(areas) or (COUNTRY,)


def _codes(value: Any) -> list[str]:
    return [str(x).strip() for x in schema._list(value)]


def _check_codes(sid: str, raw: dict[str, Any], fld: str, known: Iterable[str], src: _Source,
                 path: tuple[Any, ...]) -> None:
    known = list(known)
    for j, code in enumerate(_codes(raw.get(fld))):
        if code not in known:
            hint = near(code, known) or f" (known: {', '.join(known)})"
            src.problem((*path, fld, j), sid, f"unknown {fld[:-1]} '{code}'{hint}")


def _resolve_provider(sid: str, ref: Any, src: _Source, path: tuple[Any, ...],
                      st: _State) -> Provider | None:
    if isinstance(ref, dict):
        p = _validate(schema.ProviderIn, ref, src, (*path, "provider"), sid)
        return p and _add_provider(p, src, (*path, "provider"), st, p.id or f"{sid}-provider")
    provider = st.providers.get(str(ref))
    if provider is None and ref is not None:
        src.problem((*path, "provider"), sid, f"unknown provider '{ref}'{near(str(ref), st.providers)}")
    return provider


def _build_service(src: _Source, i: int, raw: dict[str, Any], s: schema.ServiceIn | None,
                   st: _State, topics: dict[str, Topic]) -> Service | None:
    path = ("services", i)
    sid = str(raw.get("id", "-"))
    before = len(st.problems)
    provider = _resolve_provider(sid, raw.get("provider"), src, path, st)
    _check_codes(sid, raw, "topics", topics, src, path)
    _check_codes(sid, raw, "audiences", st.b.audiences, src, path)
    areas = _resolve_areas(sid, _codes(raw.get("areas")), src, path, st)
    if s is None or len(st.problems) > before or provider is None or areas is None:
        return None
    c = s.contact
    address = Address(c.address.street, c.address.postal_code, c.address.city) if c.address else None
    text_langs = [lang for lang in ("fi", "sv", "en") if lang in s.name or lang in s.summary]
    return Service(
        id=s.id, provider=provider, name=s.name, summary=s.summary,
        topics=tuple(dict.fromkeys(s.topics)), areas=areas,
        languages=tuple(dict.fromkeys(s.languages)) or tuple(text_langs),
        description=s.description,
        keywords={lang: tuple(words) for lang, words in s.keywords.items() if words},
        audiences=tuple(dict.fromkeys(s.audiences)), cost=s.cost, online=s.online,
        access=s.access, hours=s.hours,
        contact=Contact(c.phone, c.email, c.url, address),
        updated=s.updated, source=s.source, file=src.name,
    )


def _optional(root: Path, name: str, st: _State, digest: Any) -> _Source | None:
    path = root / name
    return _read_file(path, name, st, digest) if path.is_file() else None


def load_catalogue(folder: Path | str, warnings: list[CatalogueProblem] | None = None,
                   b: Builtins | None = None) -> Catalogue:
    """Validate and build the catalogue in ``folder``; raise :class:`CatalogueError` if any
    file has an error. Warnings (unknown fields) are appended to ``warnings``."""
    root = Path(folder)
    st = _State(b or builtins())
    digest = hashlib.sha256()
    services_dir = root / "services"
    if not services_dir.is_dir():
        raise CatalogueError([CatalogueProblem(str(root), 0, "-", "no services/ folder here")])
    files = sorted(p for p in services_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    sources = [s for p in files if (s := _read_file(p, str(p.relative_to(root)), st, digest))]
    for src in sources:
        _read_services_file(src, st)
    topics = {t.code: t for t in st.b.topics}
    topic_src = _optional(root, "topics.yaml", st, digest)
    if topic_src:
        topics = read_topics(topic_src, topics)
    groups = list(st.b.synonyms)
    own_synonyms = root.resolve() / "synonyms.yaml" != (DEFAULT_KNOWLEDGE_DIR / "synonyms.yaml").resolve()
    syn_src = _optional(root, "synonyms.yaml", st, digest) if own_synonyms else None
    if syn_src:
        groups += read_synonyms(syn_src, set(topics), set(st.b.audiences), prefix="catalogue")
    services = [svc for src, i, raw, s in st.raw_services
                if (svc := _build_service(src, i, raw, s, st, topics))]
    if not files:
        st.problems.append(CatalogueProblem("services", 0, "-", "no *.yaml files in services/"))
    elif not services and not st.problems:
        st.problems.append(CatalogueProblem("services", 0, "-", "no services in the files"))
    if warnings is not None:
        warnings.extend(sorted(st.warnings))
    if st.problems:
        raise CatalogueError(st.problems)
    digest.update(st.b.version.encode())
    return Catalogue(
        services=tuple(sorted(services, key=lambda s: s.id)),
        providers=tuple(sorted(st.providers.values(), key=lambda p: p.id)),
        topics=tuple(topics.values()), synonyms=tuple(groups), version=digest.hexdigest()[:16],
    )
