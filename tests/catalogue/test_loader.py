"""Catalogue loading per the contract: every error at once, as file:line: id: problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue import CatalogueError, load_catalogue


def write(folder: Path, name: str, text: str) -> None:
    (folder / "services").mkdir(parents=True, exist_ok=True)
    (folder / "services" / name).write_text(text, encoding="utf-8")


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(folder)
    return [str(p) for p in exc.value.problems]


def test_small_catalogue_loads(small_catalogue_dir: Path) -> None:
    cat = load_catalogue(small_catalogue_dir)
    ids = [s.id for s in cat.services]
    assert ids == sorted(ids) and len(ids) == 6
    sorg = next(s for s in cat.services if s.id == "test-sorggrupp")
    assert sorg.provider.kind == "parish" and sorg.areas[0].code == "272"
    food = next(s for s in cat.services if s.id == "test-ruoka-apu")
    assert food.areas[0].name["sv"] == "Åbo"
    velka = next(s for s in cat.services if s.id == "test-velkaneuvonta")
    assert velka.nationwide and velka.areas[0].kind == "country"


def test_same_folder_same_version(small_catalogue_dir: Path) -> None:
    assert load_catalogue(small_catalogue_dir).version == load_catalogue(small_catalogue_dir).version


def test_every_error_reported_with_line_and_suggestion(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", """\
providers:
  - id: p1
    name: {fi: "Yhdistys"}
    kind: asociation
services:
  - id: s1
    provider: p2
    name: {fi: "Palvelu"}
    topics: [lonelines]
    audiences: [elderly, old]
    areas: [Porri]
    cost: gratis
  - id: s1
    provider: p1
    name: {fi: "Toinen"}
    topics: [grief]
  - id: "Bad Id"
    provider: {name: "X", kind: parish}
    name: {}
    topics: []
""")
    errs = errors_of(tmp_path)
    text = "\n".join(errs)
    assert "services/a.yaml:4: p1: unknown provider kind 'asociation' (did you mean: association" in text
    assert "services/a.yaml:7: s1: unknown provider 'p2'" in text
    assert "services/a.yaml:9: s1: unknown topic 'lonelines' (did you mean: loneliness" in text
    assert "services/a.yaml:10: s1: unknown audience 'old'" in text
    assert "services/a.yaml:11: s1: unknown area 'Porri' (did you mean: Pori" in text
    assert "services/a.yaml:12: s1: cost: 'gratis' is not one of free, fee, varies" in text
    assert "services/a.yaml:13: s1: service id used twice (also at services/a.yaml:6)" in text
    assert any(e.startswith("services/a.yaml:17: Bad Id: id:") for e in errs)
    assert any("name: the service needs a name" in e for e in errs)
    assert any("topics: give at least one topic code" in e for e in errs)


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    svc = "services:\n  - id: same\n    provider: {name: X, kind: other}\n    name: {fi: A}\n    topics: [grief]\n"
    write(tmp_path, "a.yaml", svc)
    write(tmp_path, "b.yaml", svc)
    assert errors_of(tmp_path) == ["services/b.yaml:2: same: service id used twice (also at services/a.yaml:2)"]


@pytest.mark.parametrize("text, message", [
    ("services: [\n", "not valid YAML"),
    ("!!python/object/apply:os.system ['touch /tmp/hyteopas-pwned']\n", "is not allowed"),
    ("a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
     "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n", "too much data"),
    ("[" * 3000, "nested too deeply"),
    ("services: 5\n", "services"),
    ("services:\n  - id: a\n    id: b\n", "given twice"),
])
def test_bad_files_rejected_clearly(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "bad.yaml", text)
    errs = errors_of(tmp_path)
    assert errs and errs[0].startswith("services/bad.yaml:") and message in "\n".join(errs)
    assert not Path("/tmp/hyteopas-pwned").exists()


def test_not_utf8_and_no_services(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "x.yaml").write_bytes(b"name: \xff\xfe")
    assert errors_of(tmp_path) == ["services/x.yaml:1: -: not UTF-8 text"]
    assert "no services/ folder" in errors_of(tmp_path / "nowhere")[0]


def test_unknown_field_is_a_warning(small_catalogue_dir: Path) -> None:
    p = small_catalogue_dir / "services" / "municipal.yaml"
    p.write_text(p.read_text().replace("    cost: free\n", "    cost: free\n    keywrods: {fi: [x]}\n", 1))
    warnings: list = []
    load_catalogue(small_catalogue_dir, warnings)
    assert any("unknown field 'keywrods' ignored (did you mean: keywords" in str(w) for w in warnings)


def test_optional_topics_and_synonyms_files(small_catalogue_dir: Path) -> None:
    (small_catalogue_dir / "topics.yaml").write_text(
        "topics:\n  - code: gardening\n    name: {fi: puutarhanhoito, sv: trädgårdsskötsel}\n"
        "    keywords: {fi: [kasvimaa], sv: [köksträdgård]}\n"
        "  - code: loneliness\n    keywords: {fi: [erakko]}\n")
    (small_catalogue_dir / "synonyms.yaml").write_text(
        "- [kasvimaa, palstaviljely]\n- {fi: [mökki], sv: [stuga], topics: [hobbies]}\n")
    p = small_catalogue_dir / "services" / "municipal.yaml"
    p.write_text(p.read_text().replace("topics: [exercise, health_advice]", "topics: [exercise, gardening]"))
    cat = load_catalogue(small_catalogue_dir)
    garden = cat.topic("gardening")
    assert garden and garden.label["sv"] == "trädgårdsskötsel"
    assert "erakko" in cat.topic("loneliness").words["fi"]
    assert any(g.topics == ("hobbies",) for g in cat.synonyms if g.id.startswith("catalogue:"))
