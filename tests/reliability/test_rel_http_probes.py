"""Issue 14's HTTP probes, kept as tests (in-process server on 127.0.0.1): bodies that arrive
in pieces, JSON nested deep, forged proxy headers, framing and cross-site form posts, and
zero-width characters."""

from __future__ import annotations

import asyncio
import json

from bot.channels.web.limits import WebLimits
from bot.matching.language import detect_language
from bot.matching.analysis import default_analyzer
from bot.matching.text import normalise, tokenize
from tests.web.support import make_settings


async def _raw(client, request: bytes, pieces: int = 1, pause: float = 0.05) -> bytes:  # noqa: ANN001
    """Send ``request`` over a plain TCP connection in ``pieces`` writes; the response bytes."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    step = -(-len(request) // pieces)
    for i in range(0, len(request), step):
        writer.write(request[i:i + step])
        await writer.drain()
        await asyncio.sleep(pause)
    data = await asyncio.wait_for(reader.read(65536), 10)
    writer.close()
    return data


def _post(path: str, body: bytes, content_type: str = "application/json") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


async def test_a_body_that_arrives_in_pieces_is_read_whole(client):
    body = json.dumps({"question": "ruoka-apu Turussa " + "ja " * 300}).encode()
    response = await _raw(client, _post("/api/ask", body), pieces=4)
    assert response.startswith(b"HTTP/1.1 200"), response[:200]
    assert b'"results"' in response


async def test_json_nested_thousands_deep_is_a_400(client):
    for path in ("/api/ask", "/api/chat"):
        resp = await client.post(path, data="[" * 5000 + "]" * 5000,
                                 headers={"Content-Type": "application/json"})
        assert resp.status == 400, path
        assert (await resp.json())["error"] == "bad_json"


async def test_api_refuses_text_plain_bodies(client):
    """A cross-site form can post text/plain without a preflight; the API takes JSON only."""
    for path in ("/api/ask", "/api/chat", "/api/report"):
        resp = await client.post(path, data='{"question": "ruoka-apu"}',
                                 headers={"Content-Type": "text/plain"})
        assert resp.status == 415, path
        assert (await resp.json())["error"] == "unsupported_media_type"


async def test_only_the_configured_proxy_hops_are_trusted(make_client, tmp_path):
    settings = make_settings(tmp_path, TRUST_PROXY_HEADERS="1")
    from bot.runtime import Runtime

    runtime = Runtime.open(settings)
    try:
        client = await make_client(runtime, settings,
                                   limits=WebLimits(api_burst=2, api_per_second=0.001))
        # The client forges the first entry; our one proxy appends the address it saw.
        statuses = []
        for n in range(4):
            resp = await client.post("/api/ask", json={"question": "ruoka-apu"},
                                     headers={"X-Forwarded-For": f"10.9.9.{n}, 203.0.113.7"})
            statuses.append(resp.status)
        assert statuses == [200, 200, 429, 429]
        other = await client.post("/api/ask", json={"question": "ruoka-apu"},
                                  headers={"X-Forwarded-For": "203.0.113.8"})
        assert other.status == 200
    finally:
        runtime.close()


async def test_pages_forbid_framing_and_https_gets_hsts(client):
    resp = await client.get("/")
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in resp.headers  # plain HTTP here


def test_zero_width_characters_do_not_change_the_language() -> None:
    an = default_analyzer()
    for text in ("Var finns matutdelning i Åbo?", "mun mummo on yksinäinen kokkolassa"):
        hidden = "\u200b".join(text[:8]) + "\u2060" + text[8:] + "\ufeff"
        plain, marked = normalise(text), normalise(hidden)
        assert marked == plain
        assert detect_language(marked, tokenize(marked), an)[0] == \
            detect_language(plain, tokenize(plain), an)[0]
