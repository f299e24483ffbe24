"""GET /s/<service-id>: a referral card a professional can share, print or copy as text."""

from __future__ import annotations

import re
from typing import Any

from bot.runtime import Runtime
from tests.web.support import make_settings


async def test_the_card_page_holds_what_a_referral_needs(client: Any) -> None:
    resp = await client.get("/s/test-ruoka-apu?lang=fi")
    page = await resp.text()
    assert resp.status == 200 and resp.content_type == "text/html"
    assert "<h1>Ruoka-apu</h1>" in page and "Testin seurakunta" in page
    assert "Ruokakasseja tiistaisin." in page
    assert "Hinta: maksuton" in page
    assert "https://example.org/ruoka" in page and "1.10.2026" in page  # source, day checked
    assert "Palvelukortti" in page and "format=text" in page
    assert resp.headers["X-Frame-Options"] == "DENY"


async def test_swedish_and_plain_text(client: Any) -> None:
    resp = await client.get("/s/test-ruoka-apu?lang=sv")
    page = await resp.text()
    assert '<html lang="sv">' in page and "<h1>Mathjälp</h1>" in page and "Tjänstekort" in page
    resp = await client.get("/s/test-ruoka-apu?lang=sv&format=text")
    text = await resp.text()
    assert resp.content_type == "text/plain" and text.startswith("Mathjälp\n")
    assert "<" not in text and "Testets församling" in text


async def test_an_unknown_service_is_a_404_page(client: Any) -> None:
    resp = await client.get("/s/no-such-service")
    assert resp.status == 404 and "no longer in the catalogue" not in await resp.text()
    assert "Tätä palvelua ei enää ole luettelossa." in await resp.text()
    resp = await client.get("/s/no-such-service?lang=sv")
    assert "Den här tjänsten finns inte längre i katalogen." in await resp.text()


async def test_catalogue_text_is_shown_as_text(make_client: Any, tmp_path: Any,
                                               xss_catalogue: Any) -> None:
    settings = make_settings(tmp_path, xss_catalogue)
    runtime = Runtime.open(settings)
    try:
        client = await make_client(runtime, settings)
        for lang in ("fi", "sv"):
            page = await (await client.get(f"/s/xss-ruoka?lang={lang}")).text()
            tags = set(re.findall(r"<([a-zA-Z!][a-zA-Z0-9]*)", page))
            assert tags <= {"!doctype", "html", "head", "meta", "title", "link", "body", "main",
                            "article", "p", "h1", "a", "b"}, tags
            assert '<a href="javascript' not in page
            assert "&lt;script&gt;" in page or "&lt;img" in page
    finally:
        runtime.close()
