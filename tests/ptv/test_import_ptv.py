"""PTV import on real PTV API v11 JSON: files, a paged stand-in API on 127.0.0.1, bad input."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.catalogue import load_catalogue
from bot.ptv.importer import OUTPUT, import_ptv
from tests.support.ptvapi import PtvStandIn
from tests.test_cli import run

DATA = Path(__file__).resolve().parent.parent / "data" / "ptv"
SERVICES = DATA / "services.json"
ETALUKIO = DATA / "etalukio_service.json"
CHANNEL = DATA / "otava_service_channel.json"
ETALUKIO_ID = "ptv-3668d250-cd80-45c4-abcc-9b2d3a2b3e42"
LIPERI_ID = "ptv-6c00d407-d3fd-4c7e-a373-57be9f3b2cff"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """The bundled table plus a row for basic education, so the Liperi service maps too."""
    bundled = (Path(__file__).resolve().parents[2] / "knowledge" / "ptv-topics.csv").read_text(encoding="utf-8")
    path = tmp_path / "topics.csv"
    path.write_text(bundled + "class,P6.2,employment,children,Perusopetus\n", encoding="utf-8")
    return path


def test_real_ptv_files_become_a_catalogue_that_loads(tmp_path: Path) -> None:
    out = tmp_path / "cat"
    result = import_ptv([str(SERVICES), str(ETALUKIO), str(CHANNEL)], out)
    assert result.ok, result.problems
    cat = load_catalogue(out)
    (s,) = cat.services
    assert s.id == ETALUKIO_ID and s.name == {"fi": "Nettilukio aikuisille"}
    assert s.summary["fi"] == "Aikuislukio verkko-opintoina."
    assert s.access["fi"].startswith("Hae Nettilukioon sähköisellä hakulomakkeella")
    assert s.cost == "free" and [a.key for a in s.areas] == ["country:FI"] and s.languages == ("fi",)
    assert "employment" in s.topics and "verkkolukio" in s.keywords["fi"] and "distansgymnasium" in s.keywords["sv"]
    # from the linked ServiceChannel
    assert s.contact.phone == "+358 447943552" and s.contact.email == "info@otavia.fi"
    assert s.contact.address.street == "Otavantie 2 B" and s.contact.address.postal_code == "50670"
    assert s.hours == {"fi": "ma–pe 8–16", "sv": "mån–fre 8–16"}
    assert s.updated == date(2020, 4, 22)
    assert s.source == "https://www.suomi.fi/palvelut/nettilukio-aikuisille/3668d250-cd80-45c4-abcc-9b2d3a2b3e42"
    assert s.provider.name["fi"] == "Mikkelin kaupungin liikelaitos Otavia" and s.provider.kind == "municipality"
    # basic education has no row in the bundled table: left out and listed
    assert result.skipped_unmapped == 1
    assert any(label.startswith("P6.2 Perusopetus") for label in result.unmapped.classes)


def fixed_services(tmp_path: Path) -> Path:
    """services.json with Tohmajärvi's code corrected: the real file says 123, Tohmajärvi is 848."""
    data = load(SERVICES)
    for s in data.values():
        for m in s["areas"][0]["municipalities"]:
            m["code"] = "848" if m["code"] == "123" else m["code"]
    return write(tmp_path / "services-fixed.json", data)


def test_a_wrong_municipality_code_in_real_data_is_an_error_with_a_hint(tmp_path: Path, table: Path) -> None:
    r = import_ptv([str(SERVICES)], tmp_path / "cat", table=table)
    assert not r.ok and not (tmp_path / "cat" / OUTPUT).exists()
    (problem,) = r.problems
    assert str(problem) == (f"{SERVICES}: service 6c00d407-d3fd-4c7e-a373-57be9f3b2cff (Yksilöllistetty "
                            "oppimäärä): unknown municipality code '123' (named Tohmajärvi; Tohmajärvi is code 848)")


def test_areas_and_table_rows_of_a_municipal_service(tmp_path: Path, table: Path) -> None:
    out = tmp_path / "cat"
    assert import_ptv([str(fixed_services(tmp_path))], out, table=table).ok
    (s,) = load_catalogue(out).services
    assert s.id == LIPERI_ID and {a.name["fi"] for a in s.areas} == {"Liperi", "Tohmajärvi"}
    assert s.audiences == ("children", "families") and s.provider.kind == "municipality"  # P6.2 row + KR1.2


def test_area_and_since_filters(tmp_path: Path, table: Path) -> None:
    files = [str(fixed_services(tmp_path)), str(ETALUKIO), str(CHANNEL)]
    r = import_ptv(files, tmp_path / "a", areas=["426"], table=table)
    assert r.ok and r.services == 1 and r.skipped_area == 1  # Liperi kept, the nationwide one not
    r = import_ptv(files, tmp_path / "b", areas=["Pohjois-Karjala"], table=table)
    assert r.ok and r.services == 1
    r = import_ptv(files, tmp_path / "c", since=date(2020, 1, 1), table=table)
    assert r.ok and [s.id for s in load_catalogue(tmp_path / "c").services] == [ETALUKIO_ID]


def test_withdrawn_and_archived_are_dropped(tmp_path: Path, table: Path) -> None:
    services = load(fixed_services(tmp_path))
    for s in services.values():
        s["publishingStatus"] = "Withdrawn"
    archived = load(ETALUKIO) | {"publishingStatus": "Archived"}
    keep = load(ETALUKIO) | {"id": "11111111-2222-3333-4444-555555555555"}
    files = [write(tmp_path / n, v) for n, v in (("s.json", services), ("a.json", archived), ("k.json", keep))]
    r = import_ptv([str(f) for f in files], tmp_path / "cat", table=table)
    assert r.ok and r.dropped == 2
    assert [s.id for s in load_catalogue(tmp_path / "cat").services] == ["ptv-11111111-2222-3333-4444-555555555555"]


def test_hand_curated_entry_with_the_same_id_wins(tmp_path: Path) -> None:
    out = tmp_path / "cat"
    (out / "services").mkdir(parents=True)
    (out / "services" / "own.yaml").write_text(f"""
services:
  - id: {ETALUKIO_ID}
    provider: {{name: {{fi: "Otavia"}}, kind: municipality}}
    name: {{fi: "Nettilukio (tarkistettu)", sv: "Nätgymnasiet"}}
    topics: [employment]
""", encoding="utf-8")
    for _ in range(2):  # importing again over the first import is fine too
        assert import_ptv([str(ETALUKIO), str(CHANNEL)], out).ok
    (s,) = load_catalogue(out).services
    assert s.name == {"fi": "Nettilukio (tarkistettu)", "sv": "Nätgymnasiet"}


@pytest.mark.parametrize("case", ["not-ptv", "truncated", "municipality", "charge", "status"])
def test_bad_input_names_file_and_item_and_writes_nothing(tmp_path: Path, table: Path, case: str) -> None:
    out = tmp_path / "cat"
    assert import_ptv([str(ETALUKIO), str(CHANNEL)], out).ok
    before = (out / OUTPUT).read_bytes()
    bad = copy.deepcopy(load(fixed_services(tmp_path)))
    item = next(iter(bad.values()))
    if case == "not-ptv":
        bad, expected = {"kunnat": [1, 2, 3]}, "not PTV JSON"
    elif case == "truncated":
        bad, expected = None, "truncated"
    elif case == "municipality":
        item["areas"][0]["municipalities"][0]["code"] = "999"
        expected = "unknown municipality code '999'"
    elif case == "charge":
        item["serviceChargeType"] = "Maybe"
        expected = "unknown serviceChargeType 'Maybe'"
    else:
        item["publishingStatus"] = "Published-ish"
        expected = "unknown publishingStatus"
    path = tmp_path / "bad.json"
    if bad is None:
        path.write_text(SERVICES.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    else:
        write(path, bad)
    r = import_ptv([str(path), str(ETALUKIO)], out, table=table)
    assert not r.ok
    text = "\n".join(str(p) for p in r.problems)
    assert str(path) in text and expected in text
    if case in ("municipality", "charge", "status"):
        assert "6c00d407-d3fd-4c7e-a373-57be9f3b2cff" in text  # the item
    assert (out / OUTPUT).read_bytes() == before


def test_paged_api_with_channels_dates_and_areas(tmp_path: Path, table: Path) -> None:
    services = [*load(fixed_services(tmp_path)).values(), load(ETALUKIO)]
    with PtvStandIn(services, [load(CHANNEL)], page_size=1) as api:
        r = import_ptv([f"{api.url}/api/v11"], tmp_path / "all", table=table)
        assert r.ok, r.problems
        cat = load_catalogue(tmp_path / "all")
        assert {s.id for s in cat.services} == {ETALUKIO_ID, LIPERI_ID}
        assert next(s for s in cat.services if s.id == ETALUKIO_ID).contact.phone == "+358 447943552"
        assert {"/api/v11/Service?page=1", "/api/v11/Service?page=2"} <= set(api.requests)
        assert any(p.startswith("/api/v11/ServiceChannel/list?guids=") and "961f1a02" in p for p in api.requests)

        api.requests.clear()
        r = import_ptv([f"{api.url}/api/v11"], tmp_path / "since", since=date(2020, 1, 1), table=table)
        assert r.ok and [s.id for s in load_catalogue(tmp_path / "since").services] == [ETALUKIO_ID]
        assert all("date=2020-01-01T00" in p for p in api.requests if p.startswith("/api/v11/Service?"))

        api.requests.clear()
        r = import_ptv([api.url], tmp_path / "area", areas=["426"], table=table)
        assert r.ok and [s.id for s in load_catalogue(tmp_path / "area").services] == [LIPERI_ID]
        assert api.requests[0].startswith("/api/v11/Service/list/area/Municipality/code/426?page=1")

        api.fail_with = 503
        r = import_ptv([f"{api.url}/api/v11"], tmp_path / "all", table=table)
        assert not r.ok and "HTTP 503" in str(r.problems[0]) and api.url in str(r.problems[0])
        assert {s.id for s in load_catalogue(tmp_path / "all").services} == {ETALUKIO_ID, LIPERI_ID}


def test_command_line(tmp_path: Path) -> None:
    out = tmp_path / "cat"
    p = run(["import-ptv", str(SERVICES), str(ETALUKIO), str(CHANNEL), "--out", str(out)], tmp_path)
    assert p.returncode == 0, p.stderr
    assert "P6.2 Perusopetus: 1" in p.stderr and "ptv.yaml" in p.stdout
    assert run(["check", str(out)], tmp_path).returncode == 0
    broken = write(tmp_path / "broken.json", {"hello": "world"})
    p = run(["import-ptv", str(broken), "--out", str(out)], tmp_path)
    assert p.returncode == 1 and "broken.json" in p.stderr and "Traceback" not in p.stderr
    p = run(["import-ptv", str(ETALUKIO), "--out", str(out), "--since", "eilen"], tmp_path)
    assert p.returncode == 2 and "YYYY-MM-DD" in p.stderr
