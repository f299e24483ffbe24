"""Hostile input, property-based (hypothesis).

* ``answer()``: any Unicode (lone surrogates included), huge inputs, any context → a reply
  in Finnish or Swedish with text, never an exception.
* The web and Telegram channels: text that is not valid Unicode (lone surrogates, which JSON
  can carry as ``\\ud800``) gets a clean 4xx or a normal reply, never a 500 or a crash.
* ``load_catalogue`` over generated YAML: random documents, wrong types in every field,
  duplicate ids and keys, deep nesting, billion-laughs aliases, and YAML tags such as
  ``!!python/object/apply`` aimed at creating a file: a :class:`CatalogueError` with
  ``file:line`` problems, never another exception, nothing executed, no file written.

(Archive path tricks and zip bombs are in tests/web/test_web_archive.py; markup escaping in
tests/telegram/test_telegram_escaping.py and, in a browser, tests/web/test_web_browser.py.)
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bot.catalogue import Catalogue, CatalogueError, load_catalogue
from bot.core.answer import MAX_LIMIT, answer
from bot.core.context import Context
from bot.core.knowledge import KnowledgeBase
from tests.reliability.support import SMALL_CATALOGUE, SMALL_IDS

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

ANY_CHAR = st.characters() | st.characters(categories=["Cs"]) | st.sampled_from(
    "\x00\u202e\ufeff\u200b\u0301ßİﬃ🙂👩‍👩‍👧Ωå\n\t<>&\"'")
WORDS = st.sampled_from(["ruoka-apu", "Porissa", "yksinäinen", "mummo", "velka", "kriisi",
                         "en jaksa", "haluan kuolla", "Åbo", "mathjälp", "82", "v", "15-vuotias",
                         "år", "<b>", "&amp;", "@hyteopas_test_bot", "/kunta", "112", "ä" * 50])


@pytest.fixture(scope="module")
def small_kb() -> KnowledgeBase:
    return KnowledgeBase(load_catalogue(SMALL_CATALOGUE))


def _check_reply(reply: Any, ids: set[str]) -> None:
    assert isinstance(reply.text, str) and reply.text.strip()
    assert reply.language in ("fi", "sv")
    assert isinstance(reply.crisis, bool)
    assert len(reply.results) <= MAX_LIMIT
    assert {r.service.id for r in reply.results} <= ids
    json.dumps(reply.as_json())  # serialisable (ensure_ascii escapes any surrogate)


# --- answer() ---------------------------------------------------------------------------

@FAST
@given(question=st.text(ANY_CHAR, max_size=500) | st.lists(WORDS, max_size=60).map(" ".join))
@example(question="\ud800 ruoka-apu Porissa \udfff")
@example(question="")
def test_answer_takes_any_text(small_kb: KnowledgeBase, question: str) -> None:
    _check_reply(answer(question, Context(), small_kb), SMALL_IDS)


@FAST
@given(question=st.lists(WORDS, max_size=20).map(" ".join),
       language=st.none() | st.sampled_from(["fi", "sv", "en", "FI", "sv-FI", "de", ""]) | st.text(max_size=8),
       force=st.booleans(),
       municipality=st.none() | st.sampled_from(["Pori", "609", "Åbo", "Turku", "Atlantis"])
       | st.text(ANY_CHAR, max_size=40),
       offset=st.integers(-10**9, 10**9), limit=st.integers(-10**9, 10**9),
       role=st.sampled_from(["resident", "professional", "", "admin"]),
       audience=st.none() | st.sampled_from(["elderly", "youth", "nobody"]) | st.text(max_size=10))
def test_answer_takes_any_context(small_kb, question, language, force, municipality, offset,
                                  limit, role, audience) -> None:
    ctx = Context(language=language, force_language=force, municipality=municipality,
                  offset=offset, limit=limit, role=role, audience=audience)
    _check_reply(answer(question, ctx, small_kb), SMALL_IDS)


@SLOW
@given(words=st.lists(WORDS, min_size=1, max_size=50), repeat=st.integers(1, 5000),
       filler=st.sampled_from(["", " ", "\n", "-", "\u200b"]))
def test_answer_takes_huge_text(bundled_kb, words, repeat, filler) -> None:
    question = (filler.join(words) + " ") * repeat
    ids = {s.id for s in bundled_kb.snapshot.catalogue.services}
    _check_reply(answer(question, Context(), bundled_kb), ids)


@pytest.mark.parametrize("question", ["a" * 1_000_000, "ä " * 500_000, "1-" * 300_000,
                                      "\u0301" * 300_000, "🙂" * 300_000, "\ud800" * 100_000,
                                      "haluan kuolla " * 50_000])
def test_answer_takes_a_megabyte(bundled_kb, question: str) -> None:
    ids = {s.id for s in bundled_kb.snapshot.catalogue.services}
    _check_reply(answer(question, Context(), bundled_kb), ids)


# --- text that is not valid Unicode, through the channels ----------------------------------

async def test_the_web_refuses_text_that_is_not_unicode_cleanly(aiohttp_client, tmp_path) -> None:
    from bot.channels.web import create_app
    from bot.channels.web.limits import WebLimits
    from bot.runtime import Runtime
    from tests.web.support import make_settings

    settings_ = make_settings(tmp_path, SMALL_CATALOGUE)
    runtime = Runtime.open(settings_)
    try:
        client = await aiohttp_client(create_app(runtime, settings_,
                                                 limits=WebLimits(api_burst=10**6)))
        for path in ("/api/ask", "/api/chat"):
            for body in (b'{"question": "\\ud800"}', b'{"question": "ruoka-apu \\udfff Porissa"}',
                         b'{"question": "\\udc80\\ud800x"}'):
                resp = await client.post(path, data=body,
                                         headers={"Content-Type": "application/json"})
                assert resp.status == 400, (path, body, await resp.text())
                assert (await resp.json())["error"] == "bad_question"
            resp = await client.post(path, json={"question": "ruoka-apu",
                                                 "municipality": "\ud800"})
            assert resp.status == 400
            resp = await client.post(path, json={"question": "ruoka-apu Porissa"})
            assert resp.status == 200 and (await resp.json())
    finally:
        runtime.close()


async def test_telegram_takes_text_that_is_not_unicode(aiohttp_client, tmp_path) -> None:
    """Over real HTTP both ways (webhook in, Bot API out), as PTB encodes its requests."""
    from aiohttp.test_utils import TestServer

    from bot.channels.telegram.app import build_application
    from bot.channels.web import create_app
    from bot.runtime import Runtime
    from tests.support.botapi import BotApiStandIn
    from tests.web.support import WEBHOOK_SECRET, free_port, make_settings

    async with BotApiStandIn() as api:
        port = free_port()
        settings_ = replace(make_settings(tmp_path, SMALL_CATALOGUE,
                                          TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET),
                            telegram_token=api.token, telegram_api_base_url=api.base_url,
                            webhook_url=f"http://127.0.0.1:{port}/telegram/webhook")
        runtime = Runtime.open(settings_)
        try:
            app = create_app(runtime, settings_, build_application(runtime, settings_,
                                                                   updater=False))
            await aiohttp_client(TestServer(app, host="127.0.0.1", port=port))
            for text in ("\ud800", "ruoka-apu \udfff Porissa", "/\ud800komento", "/kunta \ud800",
                         "/kieli \udfff", "@hyteopas_test_bot \ud800"):
                calls = await api.exchange(api.message_update(text))
                sent = [c for c in calls if c.method == "sendMessage"]
                assert sent and all(c.ok for c in sent), (text, [c.error for c in calls])
                assert all(status == 200 for _, status in api.deliveries)
            sorry = translator_fi("Sorry, something went wrong. Please try again.")
            assert all(m["text"] != sorry for m in api.sent()), [m["text"] for m in api.sent()]
        finally:
            runtime.close()


def translator_fi(message: str) -> str:
    from bot.i18n import translator

    return translator("fi", "telegram")(message)


# --- the catalogue loader ------------------------------------------------------------------

VALID_SERVICE: dict[str, Any] = {
    "id": "hostile-ruoka", "provider": {"id": "hostile-provider", "name": {"fi": "Yhdistys ry"},
                                        "kind": "association"},
    "name": {"fi": "Ruoka-apu", "sv": "Mathjälp"}, "summary": {"fi": "Ruokakasseja."},
    "keywords": {"fi": ["ruoka-apu"]}, "topics": ["food_aid"], "areas": ["Pori"],
    "languages": ["fi", "sv"], "cost": "free", "online": False,
    "access": {"fi": "Tule paikalle."}, "hours": {"fi": "ti 10-12"},
    "contact": {"phone": "+358 40 000 0000", "url": "https://example.org",
                "address": {"street": "Katu 1", "postal_code": "28100", "city": "Pori"}},
    "updated": "2026-01-01", "audiences": ["adults"],
}
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text(max_size=30) | st.dates() | st.sampled_from(["", "~", "yes", "0x1F", ".nan"]))
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=4),
                    max_leaves=15)


def _write(folder: Path, files: dict[str, str | bytes]) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "services").mkdir(parents=True)
    for name, content in files.items():
        path = folder / "services" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


LINE = re.compile(r"^[^:]+:\d+: ")


def _load(folder: Path) -> Catalogue | CatalogueError:
    """The catalogue, or the CatalogueError; any other exception fails the test."""
    before = sorted((p.relative_to(folder), p.stat().st_size) for p in folder.rglob("*"))
    try:
        result: Catalogue | CatalogueError = load_catalogue(folder)
    except CatalogueError as exc:
        assert exc.problems and all(LINE.match(str(p)) for p in exc.problems), exc.problems
        result = exc
    after = sorted((p.relative_to(folder), p.stat().st_size) for p in folder.rglob("*"))
    assert after == before  # the loader writes nothing
    return result


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FAST
@given(data=DATA)
def test_any_yaml_document_is_a_catalogue_or_a_clear_error(tmp_path, data) -> None:
    _load(_write(tmp_path / "cat", {"x.yaml": _dump(data)}))
    _load(_write(tmp_path / "cat", {"x.yaml": _dump({"services": data})}))
    _load(_write(tmp_path / "cat", {"x.yaml": _dump({"providers": data, "services": [VALID_SERVICE]})}))


@FAST
@given(field=st.sampled_from(sorted(VALID_SERVICE) + ["provider.kind", "contact.address",
                                                       "name.fi", "keywords.fi", "contact.phone"]),
       value=DATA)
def test_a_wrong_type_in_any_field_is_a_clear_error(tmp_path, field, value) -> None:
    service = json.loads(json.dumps(VALID_SERVICE))
    target, _, key = field.rpartition(".")
    holder = service
    for part in filter(None, target.split(".")):
        holder = holder[part]
    holder[key or field] = value
    _load(_write(tmp_path / "cat", {"x.yaml": _dump({"services": [service]})}))


def test_the_valid_service_loads(tmp_path) -> None:
    result = _load(_write(tmp_path / "cat", {"x.yaml": _dump({"services": [VALID_SERVICE]})}))
    assert isinstance(result, Catalogue) and [s.id for s in result.services] == ["hostile-ruoka"]


@FAST
@given(ids=st.lists(st.sampled_from(["a-1", "a-2", "b"]), min_size=2, max_size=6),
       split=st.booleans())
def test_duplicate_ids_are_a_clear_error(tmp_path, ids, split) -> None:
    services = [{**VALID_SERVICE, "id": i, "provider": {**VALID_SERVICE["provider"], "id": f"p-{n}"}}
                for n, i in enumerate(ids)]
    if split:
        files = {f"f{n}.yaml": _dump({"services": [s]}) for n, s in enumerate(services)}
    else:
        files = {"x.yaml": _dump({"services": services})}
    result = _load(_write(tmp_path / "cat", files))
    if len(set(ids)) < len(ids):
        assert isinstance(result, CatalogueError)
        assert any("used twice" in p.message for p in result.problems)
    else:
        assert isinstance(result, Catalogue)


@FAST
@given(key=st.sampled_from(["id", "name", "topics", "services", "fi"]))
def test_duplicate_keys_are_a_clear_error(tmp_path, key) -> None:
    text = _dump({"services": [VALID_SERVICE]})
    if key == "services":
        text += "services: []\n"
    elif key == "fi":
        text = text.replace("  name:\n    fi: Ruoka-apu\n", "  name:\n    fi: Ruoka-apu\n    fi: Toinen\n")
    else:
        text = text.replace("- id: hostile-ruoka\n", f"- id: hostile-ruoka\n  {key}: kaksi\n")
        if key == "id":
            pass
    result = _load(_write(tmp_path / "cat", {"x.yaml": text}))
    assert isinstance(result, CatalogueError)
    assert any("given twice" in p.message for p in result.problems)


@SLOW
@given(depth=st.integers(60, 20_000), kind=st.sampled_from(["[", "{a: ", "- ", "list-block"]),
       where=st.sampled_from(["top", "field"]))
def test_deep_nesting_is_a_clear_error(tmp_path, depth, kind, where) -> None:
    if kind == "[":
        nested = "[" * depth + "]" * depth
    elif kind == "{a: ":
        nested = "{a: " * depth + "1" + "}" * depth
    elif kind == "- ":
        nested = "- " * depth + "x"
    else:
        nested = "\n".join("  " * i + "- " for i in range(min(depth, 2000))) + "x"
    if where == "top":
        text = nested
    else:
        text = _dump({"services": [VALID_SERVICE]}).replace(
            "  topics:\n  - food_aid\n", "  topics: " + (nested if kind != "list-block" else "[x]") + "\n")
    assert isinstance(_load(_write(tmp_path / "cat", {"x.yaml": text})), CatalogueError)


def _laughs(levels: int, fan_out: int, place: str) -> str:
    lines = ["lol0: &l0 [" + ", ".join(["lol"] * fan_out) + "]"]
    for n in range(1, levels):
        lines.append(f"lol{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * fan_out) + "]")
    last = f"*l{levels - 1}"
    if place == "services":
        lines.append(f"services: [{last}]")
    elif place == "keywords":
        lines.append("services:\n  - id: laughs\n    name: {fi: Naurua}\n    summary: {fi: Naurua}\n"
                     f"    provider: {{id: p, name: P, kind: association}}\n    keywords: {{fi: {last}}}")
    else:
        lines.append(f"all: {last}")
    return "\n".join(lines) + "\n"


@FAST
@given(levels=st.integers(3, 30), fan_out=st.integers(2, 12),
       place=st.sampled_from(["services", "keywords", "top"]))
def test_billion_laughs_are_a_clear_error(tmp_path, monkeypatch, levels, fan_out, place) -> None:
    """With the expansion bound lowered (so that each example is quick): whatever the shape,
    expanding aliases past the bound is a clear error, not a hang."""
    from bot.catalogue import yamlsource

    assume(fan_out ** levels > 20_000)
    monkeypatch.setattr(yamlsource, "MAX_NODES", 20_000)
    result = _load(_write(tmp_path / "cat", {"x.yaml": _laughs(levels, fan_out, place)}))
    assert isinstance(result, CatalogueError)
    assert any("too much data" in p.message for p in result.problems), result.problems


def test_a_billion_laughs_in_keywords_at_the_real_bound(tmp_path) -> None:
    result = _load(_write(tmp_path / "cat", {"x.yaml": _laughs(9, 10, "keywords")}))
    assert isinstance(result, CatalogueError)
    assert any("too much data" in p.message for p in result.problems), result.problems


def _tagged(sentinel: Path) -> list[str]:
    """YAML values with tags that, were they constructed, would run code or create ``sentinel``."""
    s = str(sentinel)
    return [
        f'!!python/object/apply:os.system ["touch {s}"]',
        f'!!python/object/apply:builtins.open ["{s}", "w"]',
        f'!!python/object/apply:subprocess.call [["touch", "{s}"]]',
        f'!!python/object/new:subprocess.Popen [["touch", "{s}"]]',
        f'!!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ["{s}"]]',
        f'!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {s}"]',
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/object:pathlib.PosixPath {}",
        f'!!python/object/apply:builtins.exec ["open(\'{s}\', \'w\').close()"]',
        '!!binary "aGVsbG8="', "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!pairs [a: 1]",
        "!custom value", "!!str !!int 1",
    ]


@FAST
@given(choice=st.integers(0, 15), place=st.sampled_from(["top", "field", "key", "list", "provider"]))
def test_yaml_tags_never_run(tmp_path, choice, place) -> None:
    sentinel = tmp_path / "outside" / "created-by-yaml"
    sentinel.parent.mkdir(exist_ok=True)
    tagged = _tagged(sentinel)[choice]
    base = _dump({"services": [VALID_SERVICE]})
    if place == "top":
        text = f"services: {tagged}\n"
    elif place == "field":
        text = base.replace("  cost: free\n", f"  cost: {tagged}\n")
    elif place == "key":
        text = base.replace("  cost: free\n", f"  ? {tagged}\n  : free\n")
    elif place == "list":
        text = base.replace("  topics:\n  - food_aid\n", f"  topics:\n  - food_aid\n  - {tagged}\n")
    else:
        text = base.replace("    kind: association\n", f"    kind: {tagged}\n")
    assert text != base or place == "top"
    result = _load(_write(tmp_path / "cat", {"x.yaml": text}))
    assert isinstance(result, CatalogueError), text
    assert any("not allowed" in p.message or "YAML" in p.message for p in result.problems)
    assert not sentinel.exists() and list(sentinel.parent.iterdir()) == []


def test_a_tag_directive_cannot_smuggle_python_tags(tmp_path) -> None:
    sentinel = tmp_path / "created-by-yaml"
    text = (f"%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\n"
            f'services: !p!os.system ["touch {sentinel}"]\n')
    result = _load(_write(tmp_path / "cat", {"x.yaml": text}))
    assert isinstance(result, CatalogueError) and not sentinel.exists()


@SLOW
@given(data=st.binary(max_size=2000) | st.text(ANY_CHAR, max_size=500).map(
    lambda t: t.encode("utf-8", "surrogatepass")))
def test_bytes_that_are_not_yaml_are_a_clear_error(tmp_path, data) -> None:
    _load(_write(tmp_path / "cat", {"x.yaml": data}))


def test_a_huge_scalar_and_a_huge_file(tmp_path) -> None:
    big = _dump({"services": [{**VALID_SERVICE, "summary": {"fi": "x" * 2_000_000}}]})
    assert isinstance(_load(_write(tmp_path / "cat", {"x.yaml": big})), (Catalogue, CatalogueError))
    huge = "services:\n" + "#" * (21 * 1024 * 1024) + "\n"
    result = _load(_write(tmp_path / "cat", {"x.yaml": huge}))
    assert isinstance(result, CatalogueError)


def test_strings_in_yaml_are_data_not_markup_or_paths(tmp_path) -> None:
    """Catalogue text that looks like a path, a template or markup stays text."""
    service = {**VALID_SERVICE, "name": {"fi": "../../etc/passwd", "sv": "{{7*7}} ${HOME}"},
               "summary": {"fi": "<script>alert(1)</script> & %s %(x)s"}}
    result = _load(_write(tmp_path / "cat", {"x.yaml": _dump({"services": [service]})}))
    assert isinstance(result, Catalogue)
    [loaded] = result.services
    assert loaded.name == service["name"] and loaded.summary == service["summary"]

