"""POST /api/ask, /api/chat and /api/report over real HTTP on 127.0.0.1 (in-process server)."""

from __future__ import annotations

import json
from dataclasses import replace

from bot.channels.web.limits import WebLimits
from bot.core.context import Context
from tests.web.support import admin, make_settings


async def test_ask_returns_the_same_object_as_the_core(client, runtime):
    resp = await client.post("/api/ask", json={"question": "ruoka-apu", "municipality": "853"})
    assert resp.status == 200
    body = await resp.json()
    expected = runtime.answer("ruoka-apu", Context(municipality="853")).as_json()
    assert body == json.loads(json.dumps(expected))
    assert body["results"][0]["id"] == "test-ruoka-apu"
    assert set(body) == {"question", "language", "crisis", "municipality", "results", "text"}


async def test_ask_in_swedish_with_a_municipality_name(client):
    resp = await client.post("/api/ask", json={"question": "mathjälp", "language": "sv",
                                               "municipality": "Åbo"})
    body = await resp.json()
    assert resp.status == 200
    assert body["language"] == "sv"
    assert body["municipality"]["code"] == "853"
    assert body["results"][0]["name"] == "Mathjälp"


async def test_language_forces_the_reply_language(client):
    body = await (await client.post("/api/ask", json={"question": "ruoka-apu Turussa",
                                                      "language": "sv"})).json()
    assert body["language"] == "sv"


async def test_bad_input_is_a_400_with_a_json_error(client):
    cases = [
        (b"{not json", "bad_json"),
        (b"\xff\xfe", "bad_json"),
        (b"[1, 2]", "bad_json"),
        (b"", "bad_json"),
        (b"{}", "missing_question"),
        (b'{"question": "   "}', "missing_question"),
        (b'{"question": 42}', "missing_question"),
        (b'{"question": "apua", "language": "en"}', "bad_language"),
        (b'{"question": "apua", "municipality": 5}', "bad_municipality"),
        (b'{"question": "apua", "municipality": "Atlantis"}', "unknown_municipality"),
    ]
    for body, error in cases:
        resp = await client.post("/api/ask", data=body, headers={"Content-Type": "application/json"})
        assert resp.status == 400, body
        assert resp.content_type == "application/json"
        assert (await resp.json())["error"] == error, body


async def test_unknown_municipality_suggests_names(client):
    body = await (await client.post("/api/ask", json={"question": "apua",
                                                      "municipality": "Kokola"})).json()
    assert "Kokkola" in body["suggestions"]


async def test_oversized_bodies_are_413(client):
    big = json.dumps({"question": "a" * 70_000}).encode()
    resp = await client.post("/api/ask", data=big, headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert (await resp.json())["error"] == "too_large"

    async def chunks():  # no Content-Length: the limit holds while reading
        for _ in range(80):
            yield b" " * 1024

    resp = await client.post("/api/ask", data=chunks(), headers={"Content-Type": "application/json"})
    assert resp.status == 413


async def test_a_question_over_the_length_limit_is_413(client):
    resp = await client.post("/api/ask", json={"question": "apua " * 1000})
    assert resp.status == 413
    assert (await resp.json())["error"] == "question_too_long"


async def test_per_client_rate_limit_is_429(make_client, runtime, settings):
    client = await make_client(runtime, settings, limits=WebLimits(api_burst=3, api_per_second=0.001))
    statuses = [(await client.post("/api/ask", json={"question": "ruoka-apu"})).status
                for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    resp = await client.post("/api/ask", json={"question": "ruoka-apu"})
    body = await resp.json()
    assert body["error"] == "rate_limited" and body["retry_after"] >= 1
    assert (await client.get("/healthz")).status == 200  # health checks are not limited


async def test_chat_gives_cards_as_text(client):
    resp = await client.post("/api/chat", json={"question": "ruoka-apu", "municipality": "853",
                                                "language": "fi"})
    body = await resp.json()
    assert resp.status == 200
    card = body["cards"][0]
    assert card["id"] == "test-ruoka-apu" and card["name"] == "Ruoka-apu"
    assert "Ruokakasseja tiistaisin." in card["details"]
    assert not card["details"].startswith("Ruoka-apu\n")
    assert body["crisis_text"] is None
    assert body["reply"]["results"][0]["id"] == "test-ruoka-apu"


async def test_chat_pages_through_more_options(make_client, tmp_path, catalogue_copy):
    from bot.runtime import Runtime

    settings = replace(make_settings(tmp_path, catalogue_copy), results_per_reply=1)
    runtime = Runtime.open(settings)
    client = await make_client(runtime, settings)
    first = await (await client.post("/api/chat", json={"question": "apua velkoihin ja ruokaan"})).json()
    assert first["more_available"] and first["next_offset"] == 1
    second = await (await client.post("/api/chat", json={
        "question": "apua velkoihin ja ruokaan", "offset": first["next_offset"]})).json()
    assert {c["id"] for c in first["cards"]}.isdisjoint({c["id"] for c in second["cards"]})
    resp = await client.post("/api/chat", json={"question": "apua", "offset": -1})
    assert resp.status == 400
    runtime.close()


async def test_chat_shows_crisis_information(client):
    body = await (await client.post("/api/chat", json={"question": "en halua enää elää"})).json()
    assert body["reply"]["crisis"] is True
    assert "112" in body["crisis_text"]


async def test_report_outdated_information(client):
    resp = await client.post("/api/report", json={"service_id": "test-ruoka-apu", "language": "sv"})
    assert resp.status == 201
    resp = await client.post("/api/report", json={"service_id": "no-such-service"})
    assert resp.status == 400
    resp = await client.post("/api/report", data=b"nope")
    assert resp.status == 400
    reports = (await (await client.get("/admin/reports", headers=admin())).json())["reports"]
    assert [(r["service_id"], r["language"]) for r in reports] == [("test-ruoka-apu", "sv")]


async def test_wrong_method_and_unknown_path_are_json_errors(client):
    resp = await client.get("/api/ask")
    assert resp.status == 405 and "POST" in resp.headers["Allow"]
    assert (await resp.json())["error"] == "method_not_allowed"
    resp = await client.get("/no/such/page")
    assert resp.status == 404 and (await resp.json())["error"] == "not_found"
