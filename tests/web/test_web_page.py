"""GET /: the chat page in Finnish and Swedish, its files, GET /api/i18n/{lang}."""

from __future__ import annotations

import json
import re

from bot.channels.web.strings import UI


def _strings(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="ui-strings">(.*?)</script>', page, re.DOTALL)
    return json.loads(block.group(1))


async def test_page_in_finnish_by_default(client):
    resp = await client.get("/")
    page = await resp.text()
    assert resp.status == 200 and resp.content_type == "text/html"
    assert '<html lang="fi">' in page
    assert "{{" not in page
    assert 'aria-pressed="true">Suomeksi' in page
    assert '<option value="609">Pori</option>' in page
    assert _strings(page)["language"] == "fi"
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_page_language_from_query_or_browser(client):
    page = await (await client.get("/?lang=sv")).text()
    assert '<html lang="sv">' in page and '<option value="609">Björneborg</option>' in page
    page = await (await client.get("/", headers={"Accept-Language": "en-GB,sv-FI;q=0.8"})).text()
    assert '<html lang="sv">' in page
    page = await (await client.get("/?lang=xx", headers={"Accept-Language": "de"})).text()
    assert '<html lang="fi">' in page


async def test_page_preselects_a_municipality(client):
    page = await (await client.get("/?municipality=Kokkola")).text()
    assert '<option value="272" selected>Kokkola</option>' in page
    page = await (await client.get('/?municipality="><script>')).text()
    assert " selected>" not in page and '"><script>' not in page


async def test_strings_are_complete_and_translated(client):
    fi = await (await client.get("/api/i18n/fi")).json()
    sv = await (await client.get("/api/i18n/sv")).json()
    assert set(fi["strings"]) == set(sv["strings"]) == set(UI)
    assert fi["strings"]["send"] != sv["strings"]["send"]
    assert fi["strings"]["question_label"] != UI["question_label"]  # not the English msgid
    assert {"code": "272", "name": "Karleby"} in sv["municipalities"]
    names = [m["name"] for m in sv["municipalities"]]
    assert names.index("Vörå") < names.index("Åbo") < names.index("Äänekoski")  # z, å, ä, ö
    assert (await client.get("/api/i18n/en")).status == 404


async def test_page_files(client):
    js = await client.get("/static/chat.js")
    css = await client.get("/static/chat.css")
    assert js.status == 200 and js.content_type == "application/javascript"
    assert css.status == 200 and css.content_type == "text/css"
    for path in ("/static/index.html", "/static/../app.py", "/static/%2e%2e/app.py"):
        assert (await client.get(path)).status == 404


async def test_no_user_facing_literals_only_in_javascript(client):
    js = await (await client.get("/static/chat.js")).text()
    literals = set(re.findall(r'"([^"\\]*)"', js)) | set(re.findall(r"'([^'\\]*)'", js))
    assert literals.isdisjoint(UI.values())
    words = {w for lit in literals for w in re.findall(r"[A-Za-zÅÄÖåäö]{4,}", lit)}
    assert words.isdisjoint({"Lähetä", "Skicka", "Haetaan", "Söker", "Kiitos", "Tack"})
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js
