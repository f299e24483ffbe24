"""GET /s/{service_id}: one referral card a professional can share as a link, print, or copy
as plain text (``?format=text``): who provides it, how to get in, cost, contact, hours, area,
and the day its source was last checked. ``?lang=fi|sv`` as on the chat page."""

from __future__ import annotations

import html

from aiohttp import web

from bot.catalogue.model import Service, ServiceTable, pick
from bot.channels.web.page import page_language
from bot.channels.web.strings import ui_strings
from bot.core.render import render_card
from bot.runtime import Runtime

SHARE_PATH = "/s/{service_id}"


def share_path(service_id: str) -> str:
    """The path of a service's card page."""
    return SHARE_PATH.format(service_id=service_id)


def _page(language: str, title: str, body: str) -> str:
    s = ui_strings(language)
    return f"""<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{html.escape(title)} – {html.escape(s["app_name"])}</title>
<link rel="stylesheet" href="/static/chat.css">
</head>
<body class="share">
<main>
{body}
<p class="noprint"><a href="/?lang={language}">{html.escape(s["share_back"])}</a></p>
</main>
</body>
</html>
"""


def render_share(service: Service, language: str) -> str:
    """The card page of ``service`` in ``language`` (all text escaped)."""
    s = ui_strings(language)
    name, _ = pick(service.name, language)
    lines = render_card(service, language, professional=True, html=True).split("\n")
    paragraphs = "\n".join(f"<p>{line}</p>" for line in lines[1:])  # the name is the heading
    text_link = f"{share_path(service.id)}?lang={language}&amp;format=text"
    body = f"""<article class="card shared">
<p class="kicker">{html.escape(s["share_title"])}</p>
<h1>{html.escape(name)}</h1>
{paragraphs}
</article>
<p class="noprint"><a href="{text_link}">{html.escape(s["share_as_text"])}</a> ·
{html.escape(s["share_print_hint"])}</p>"""
    return _page(language, name, body)


def add_routes(app: web.Application, runtime: Runtime) -> None:
    services = ServiceTable()

    async def shared(request: web.Request) -> web.Response:
        language = page_language(request)
        service = services.find(runtime.kb.snapshot.catalogue, request.match_info["service_id"])
        if service is None:
            s = ui_strings(language)
            body = f"<h1>{html.escape(s['share_not_found'])}</h1>"
            return web.Response(status=404, text=_page(language, s["share_not_found"], body),
                                content_type="text/html", charset="utf-8")
        if request.query.get("format") == "text":
            return web.Response(text=render_card(service, language, professional=True) + "\n",
                                content_type="text/plain", charset="utf-8")
        return web.Response(text=render_share(service, language), content_type="text/html",
                            charset="utf-8", headers={"Cache-Control": "no-cache"})

    app.router.add_get(SHARE_PATH, shared)
