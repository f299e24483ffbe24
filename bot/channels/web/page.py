"""GET /: the web chat page (a template filled from the UI strings), its files and its strings."""

from __future__ import annotations

import html
import json
import re
from functools import cache, lru_cache
from pathlib import Path

from aiohttp import web

from bot.catalogue.places import builtin_places
from bot.channels.web.httputil import json_error, json_response
from bot.channels.web.strings import ui_strings
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {"chat.js": "application/javascript", "chat.css": "text/css"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_COLLATION = str.maketrans({"å": "{", "ä": "|", "ö": "}", "Å": "{", "Ä": "|", "Ö": "}"})


@cache
def municipalities(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every municipality, sorted as a Finnish or Swedish reader expects."""
    names = [(m.code, m.name.get(language) or m.name["fi"])
             for m in builtin_places().municipalities.values()]
    return tuple(sorted(names, key=lambda cn: cn[1].casefold().translate(_COLLATION)))


def page_language(request: web.Request) -> str:
    """?lang=, else the first Finnish or Swedish entry of Accept-Language, else Finnish."""
    chosen = normalise_language(request.query.get("lang"))
    if chosen:
        return chosen
    for part in request.headers.get("Accept-Language", "").split(","):
        found = normalise_language(part.split(";")[0])
        if found:
            return found
    return DEFAULT_LANGUAGE


def _options(language: str, selected: str | None, any_label: str) -> str:
    rows = [f'<option value="">{html.escape(any_label)}</option>']
    for code, name in municipalities(language):
        mark = " selected" if code == selected else ""
        rows.append(f'<option value="{code}"{mark}>{html.escape(name)}</option>')
    return "\n".join(rows)


def _script_json(data: object) -> str:
    """JSON safe inside a <script type="application/json"> element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


@lru_cache(maxsize=1)
def _template() -> str:
    return (STATIC / "index.html").read_text(encoding="utf-8")


def render_page(language: str, municipality: str | None, question_chars: int) -> str:
    """The chat page in ``language``; ``municipality`` (a code) is preselected."""
    strings = ui_strings(language)
    raw = {
        "lang": language,
        "places_options": _options(language, municipality, strings["municipality_any"]),
        "strings_json": _script_json({"language": language, "strings": strings}),
        "question_chars": str(question_chars),
        "pressed_fi": "true" if language == "fi" else "false",
        "pressed_sv": "true" if language == "sv" else "false",
    }
    values = {**{k: html.escape(v) for k, v in strings.items()}, **raw}
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), _template())


def add_routes(app: web.Application, question_chars: int) -> None:
    """GET /, /static/chat.{js,css} and GET /api/i18n/{lang}."""

    async def index(request: web.Request) -> web.Response:
        language = page_language(request)
        area = builtin_places().resolve(request.query.get("municipality", "")) \
            if request.query.get("municipality") else None
        code = area.code if area is not None and area.kind == "municipality" else None
        return web.Response(text=render_page(language, code, question_chars),
                            content_type="text/html", charset="utf-8",
                            headers={"Cache-Control": "no-cache"})

    async def asset(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        return web.Response(body=(STATIC / name).read_bytes(), content_type=ASSETS[name],
                            charset="utf-8", headers={"Cache-Control": "no-cache"})

    async def strings(request: web.Request) -> web.Response:
        language = request.match_info["lang"]
        if language not in LANGUAGES:
            return json_error(404, "unknown_language", "language must be fi or sv")
        return json_response({
            "language": language,
            "strings": ui_strings(language),
            "municipalities": [{"code": c, "name": n} for c, n in municipalities(language)],
        })

    app.router.add_get("/", index)
    app.router.add_get(r"/static/{name:chat\.(?:js|css)}", asset)
    app.router.add_get("/api/i18n/{lang}", strings)
