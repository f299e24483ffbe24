"""The systems compared: the project's ``answer()`` and the baselines a team would build instead.

Every system reads the same catalogue folder and answers a question with service ids, best
first. Baselines get what a team would give them without the project's matcher: the
service text (names, keywords, summary, description, provider) plus the names of the
service's areas in Finnish and Swedish (so that "Porissa"/"i Åbo" can match at all), one
stopword list, and a score gate against off-topic questions whose threshold — and the
choice among a few obvious variants — is tuned on the dev split only. They have no crisis
detection, no place or home-municipality logic and no synonyms.
"""

from __future__ import annotations

import csv
import itertools
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from benchmarks.evalset import Answer
from bot.config import BUILTIN_DIR
from bot.matching.text import STOPWORDS

_tables = itertools.count()
WORD = re.compile(r"\w+", re.UNICODE)
TEXT_LANGS = ("fi", "sv", "en")


# ------------------------------------------------------------------------------ documents
@dataclass
class Doc:
    """One service as plain text fields (language → text)."""

    id: str
    name: dict[str, str]
    keywords: dict[str, str]
    summary: dict[str, str]
    description: dict[str, str]
    provider: dict[str, str]
    places: str  # the area names in Finnish and Swedish

    def text(self, *fields: str) -> str:
        return " ".join(v for f in fields for v in getattr(self, f).values()) if fields else ""


@lru_cache(maxsize=1)
def _area_names() -> dict[str, str]:
    """lower-case code/name of a municipality or region → its Finnish and Swedish names."""
    out: dict[str, str] = {"fi": "", "finland": "", "suomi": ""}
    with open(BUILTIN_DIR / "municipalities.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            names = f"{r['name_fi']} {r['name_sv']}" if r["name_fi"] != r["name_sv"] else r["name_fi"]
            for key in (r["code"], r["name_fi"], r["name_sv"]):
                out[key.lower()] = names
            region = f"{r['region_fi']} {r['region_sv']}"
            out[r["region_fi"].lower()] = out[r["region_sv"].lower()] = region
    return out


def _text(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"fi": value}
    if not isinstance(value, dict):
        return {}
    return {k: str(v) for k, v in value.items() if v is not None}


def _words(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        value = {"*": value}
    out = {}
    for lang, words in value.items():
        if isinstance(words, str):
            words = words.split(",")
        out[lang] = ", ".join(str(w).strip() for w in words or () if w is not None)
    return out


def read_docs(folder: Path | str) -> list[Doc]:
    """Parse services/*.yaml with libyaml (no validation: the project's loader checks files)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    names = _area_names()
    docs: list[Doc] = []
    providers: dict[str, dict[str, str]] = {}
    pending: list[tuple[dict, Any]] = []
    for path in sorted(Path(folder, "services").rglob("*.y*ml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        if isinstance(data, list):
            data = {"services": data}
        for p in data.get("providers") or ():
            providers[str(p.get("id"))] = _text(p.get("name"))
        pending.extend((s, s.get("provider")) for s in data.get("services") or ())
    for s, prov in pending:
        areas = s.get("areas") or ["FI"]
        areas = areas if isinstance(areas, list) else [areas]
        docs.append(Doc(
            id=str(s["id"]), name=_text(s.get("name")), keywords=_words(s.get("keywords")),
            summary=_text(s.get("summary")), description=_text(s.get("description")),
            provider=_text(prov.get("name")) if isinstance(prov, dict) else providers.get(str(prov), {}),
            places=" ".join(names.get(str(a).lower(), str(a)) for a in areas)))
    docs.sort(key=lambda d: d.id)
    return docs


def words(text: str) -> list[str]:
    """Lower-case words without stopwords and numbers."""
    return [w for w in WORD.findall(text.casefold()) if w not in STOPWORDS and not w.isdigit()]


# ------------------------------------------------------------------------------ interface
@dataclass
class System:
    """A question answerer. Baselines: ``build(docs)``, ``search()``, a tuned score gate."""

    name: str = ""
    label: str = ""
    has_crisis: bool = False
    variant: dict[str, Any] = field(default_factory=dict)
    threshold: float | None = None
    variants: tuple[dict[str, Any], ...] = ({},)

    def load(self, folder: Path) -> Any:
        """Read the catalogue folder (timed as 'load')."""
        return read_docs(folder)

    def build(self, loaded: Any) -> None:
        """Build the index (timed as 'build')."""
        raise NotImplementedError

    def search(self, question: str, limit: int) -> list[tuple[str, float]]:
        raise NotImplementedError

    def ask(self, question: str, home: str | None = None, limit: int = 3) -> Answer:
        hits = self.search(question, limit)
        if not hits or (self.threshold is not None and hits[0][1] < self.threshold):
            return Answer(())
        return Answer(tuple(i for i, _ in hits))

    def close(self) -> None:
        pass


def top_k(ids: list[str], scores: np.ndarray, limit: int) -> list[tuple[str, float]]:
    positive = np.flatnonzero(scores > 0)
    if positive.size == 0:
        return []
    if positive.size > limit:
        part = np.argpartition(-scores[positive], limit - 1)[:limit]
        positive = positive[part]
    order = positive[np.argsort(-scores[positive], kind="stable")]
    return [(ids[i], float(scores[i])) for i in order[:limit]]


# ------------------------------------------------------------------------------ the project
@dataclass
class Project(System):
    name: str = "hyteopas"
    label: str = "Hyteopas answer()"
    has_crisis: bool = True

    def load(self, folder: Path) -> Any:
        from bot.catalogue import load_catalogue

        return load_catalogue(folder)

    def build(self, loaded: Any) -> None:
        from bot.core.knowledge import KnowledgeBase

        self.kb = KnowledgeBase(loaded)

    def ask(self, question: str, home: str | None = None, limit: int = 3) -> Answer:
        from bot.core.answer import answer
        from bot.core.context import Context

        r = answer(question, Context(municipality=home, limit=limit), self.kb)
        return Answer(tuple(x.service.id for x in r.results), r.crisis, r.language)


# ------------------------------------------------------------------------------ rapidfuzz
@dataclass
class RapidFuzz(System):
    """rapidfuzz ``process.extract`` over each service's names + keywords (+ summary)."""

    name: str = "rapidfuzz"
    label: str = "rapidfuzz (names+keywords)"
    variants: tuple[dict[str, Any], ...] = tuple(
        {"scorer": s, "summary": b} for s in ("WRatio", "token_set_ratio", "partial_token_set_ratio")
        for b in (False, True))

    def build(self, docs: list[Doc]) -> None:
        from rapidfuzz import fuzz, utils

        self._process = utils.default_process
        self._scorer = getattr(fuzz, self.variant.get("scorer", "WRatio"))
        fields = ("name", "keywords", "summary") if self.variant.get("summary") else ("name", "keywords")
        self.ids = [d.id for d in docs]
        self.choices = [self._process(d.text(*fields) + " " + d.places) for d in docs]
        self.label = f"rapidfuzz {self.variant.get('scorer', 'WRatio')} ({'+'.join(fields)})"

    def search(self, question: str, limit: int) -> list[tuple[str, float]]:
        from rapidfuzz import process

        q = self._process(question)
        if not q:
            return []
        found = process.extract(q, self.choices, scorer=self._scorer, processor=None, limit=limit)
        return [(self.ids[i], float(score)) for _, score, i in found if score > 0]


# ------------------------------------------------------------------------------ BM25
class _Voikko:
    """Base forms by libvoikko (every analysis), else a Swedish Snowball stem."""

    def __init__(self) -> None:
        import libvoikko
        import snowballstemmer

        self.v = libvoikko.Voikko("fi")
        self.sv = snowballstemmer.stemmer("swedish")
        self.keys = lru_cache(maxsize=500_000)(self._keys)

    def _keys(self, word: str) -> tuple[str, ...]:
        bases = {a["BASEFORM"].casefold() for a in self.v.analyze(word) if a.get("BASEFORM")}
        return tuple(sorted(bases)) if bases else (self.sv.stemWord(word),)


@dataclass
class BM25(System):
    """bm25s (Lucene BM25) over name, keywords, summary, description, provider and places."""

    name: str = "bm25"
    label: str = "BM25 (bm25s, words)"
    voikko: bool = False
    variants: tuple[dict[str, Any], ...] = ({"boost": False}, {"boost": True})

    def _tokens(self, text: str) -> list[str]:
        ws = words(text)
        if not self.voikko:
            return ws
        return [k for w in ws for k in self._an.keys(w)]

    def build(self, docs: list[Doc]) -> None:
        import bm25s

        if self.voikko:
            self._an = _Voikko()
        boost = 2 if self.variant.get("boost") else 1
        corpus = []
        for d in docs:
            text = " ".join([d.text("name", "keywords")] * boost
                            + [d.text("summary", "description", "provider"), d.places])
            corpus.append(self._tokens(text) or [""])
        self.ids = [d.id for d in docs]
        self.retriever = bm25s.BM25()
        self.retriever.index(corpus, show_progress=False)
        self.vocab = self.retriever.vocab_dict

    def search(self, question: str, limit: int) -> list[tuple[str, float]]:
        toks = [self.vocab[t] for t in dict.fromkeys(self._tokens(question)) if t in self.vocab]
        if not toks:
            return []
        return top_k(self.ids, self.retriever.get_scores(toks), limit)


# ------------------------------------------------------------------------------ SQLite FTS5
@dataclass
class Fts5(System):
    """SQLite FTS5 with the trigram tokenizer (substring matching), ranked by bm25()."""

    name: str = "fts5"
    label: str = "SQLite FTS5 trigram"
    variants: tuple[dict[str, Any], ...] = tuple({"prefix": p} for p in (0, 4, 5, 6))
    weights: tuple[float, ...] = (0.0, 10.0, 5.0, 3.0, 1.0, 1.0, 2.0)

    def build(self, docs: list[Doc]) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, name, keywords, summary, "
                        "description, provider, places, tokenize='trigram')")
        self.db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?)", (
            (d.id, d.text("name"), d.text("keywords"), d.text("summary"), d.text("description"),
             d.text("provider"), d.places) for d in docs))
        self.db.commit()
        self._sql = (f"SELECT id, -bm25(docs, {', '.join(map(str, self.weights))}) AS s FROM docs "
                     "WHERE docs MATCH ? ORDER BY s DESC LIMIT ?")

    def search(self, question: str, limit: int) -> list[tuple[str, float]]:
        p = self.variant.get("prefix", 0)
        terms = dict.fromkeys(w[:p] if p and len(w) > p else w for w in words(question) if len(w) >= 3)
        if not terms:
            return []
        query = " OR ".join(f'"{t}"' for t in terms)
        return [(i, float(s)) for i, s in self.db.execute(self._sql, (query, limit))]

    def close(self) -> None:
        self.db.close()


# ------------------------------------------------------------------------------ PostgreSQL
@dataclass
class Postgres(System):
    """PostgreSQL full-text search: Finnish text with the `finnish` configuration, Swedish with
    `swedish`, weighted A (name, keywords) B (summary) C (description, provider, places), a
    GIN index, the question as an OR of its words in both configurations, ranked by ts_rank."""

    name: str = "postgres"
    label: str = "PostgreSQL FTS (finnish/swedish)"
    url: str = ""
    variants: tuple[dict[str, Any], ...] = ({"prefix": False}, {"prefix": True})

    def build(self, docs: list[Doc]) -> None:
        import psycopg

        self.conn = psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"),
                                    autocommit=True)
        c = self.conn
        t = self.table = f"docs_{next(_tables)}"
        c.execute(f"DROP TABLE IF EXISTS {t}")
        c.execute(f"CREATE TABLE {t} (id text PRIMARY KEY, a_fi text, a_sv text, b_fi text, b_sv text,"
                  " c_fi text, c_sv text, c_any text, doc tsvector)")
        with c.cursor() as cur, cur.copy(f"COPY {t} (id, a_fi, a_sv, b_fi, b_sv, c_fi, c_sv, c_any) "
                                         "FROM STDIN") as cp:
            for d in docs:
                a = {lang: f"{d.name.get(lang, '')} {d.keywords.get(lang, '')}" for lang in ("fi", "sv")}
                other = " ".join(f"{d.name.get(x, '')} {d.keywords.get(x, '')} {d.summary.get(x, '')}"
                                 for x in ("en", "*"))
                cp.write_row((d.id, a["fi"], a["sv"], d.summary.get("fi", ""), d.summary.get("sv", ""),
                              f"{d.description.get('fi', '')} {d.provider.get('fi', '')}",
                              f"{d.description.get('sv', '')} {d.provider.get('sv', '')}",
                              f"{d.places} {other}"))
        c.execute(f"""UPDATE {t} SET doc =
            setweight(to_tsvector('finnish', a_fi), 'A') || setweight(to_tsvector('swedish', a_sv), 'A')
         || setweight(to_tsvector('finnish', b_fi), 'B') || setweight(to_tsvector('swedish', b_sv), 'B')
         || setweight(to_tsvector('finnish', c_fi), 'C') || setweight(to_tsvector('swedish', c_sv), 'C')
         || setweight(to_tsvector('simple', c_any), 'C')""")
        c.execute(f"CREATE INDEX {t}_doc ON {t} USING gin (doc)")
        c.execute(f"VACUUM ANALYZE {t}")
        self._sql = ("WITH q AS (SELECT to_tsquery('finnish', %(q)s) || to_tsquery('swedish', %(q)s) AS q) "
                     f"SELECT id, ts_rank(doc, q.q) AS s FROM {t}, q WHERE doc @@ q.q "
                     "ORDER BY s DESC LIMIT %(k)s")

    def search(self, question: str, limit: int) -> list[tuple[str, float]]:
        ws = dict.fromkeys(words(question))
        if not ws:
            return []
        suffix = ":*" if self.variant.get("prefix") else ""
        query = " | ".join(f"'{w}'{suffix}" for w in ws)
        rows = self.conn.execute(self._sql, {"q": query, "k": limit}, prepare=True).fetchall()
        return [(i, float(s)) for i, s in rows]

    def close(self) -> None:
        self.conn.execute(f"DROP TABLE IF EXISTS {self.table}")
        self.conn.close()


def make(name: str, **kw: Any) -> System:
    """A fresh system by name: hyteopas, rapidfuzz, bm25, bm25-voikko, fts5, postgres."""
    if name == "bm25-voikko":
        return BM25(name="bm25-voikko", label="BM25 (bm25s, voikko base forms)", voikko=True, **kw)
    return {"hyteopas": Project, "rapidfuzz": RapidFuzz, "bm25": BM25, "fts5": Fts5,
            "postgres": Postgres}[name](**kw)


ALL = ("hyteopas", "rapidfuzz", "bm25", "bm25-voikko", "fts5", "postgres")


# ------------------------------------------------------------------------------ tuning
def gate(scores: Iterable[tuple[float | None, bool, bool]]) -> tuple[float, int]:
    """The score threshold that best separates, on dev: (top score, has a right answer in the
    top 3, is off-topic). A question is handled right when it is answerable, right in the top
    3 and over the threshold, or off-topic and under it. Returns (threshold, handled right)."""
    rows = [(s, ok, off) for s, ok, off in scores]
    candidates = sorted({0.0} | {s for s, _, _ in rows if s is not None})
    best = (0.0, -1)
    for t in candidates:
        right = sum((off and (s is None or s < t)) or (not off and ok and s is not None and s >= t)
                    for s, ok, off in rows)
        if right > best[1]:
            best = (t, right)
    return best
