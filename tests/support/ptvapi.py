"""A local stand-in of the PTV API v11 on 127.0.0.1, serving saved PTV JSON with paging.

``/api/v11/Service?page=N[&date=]`` answers ``{pageNumber, pageSize, pageCount, itemList}`` of
bare ``{id, name}`` entries, as the real API does; ``/api/v11/Service/list?guids=`` and
``/api/v11/ServiceChannel/list?guids=`` the full objects; ``/api/v11/Service/list/area/
Municipality/code/{code}?page=N`` full services of that municipality, paged.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class PtvStandIn:
    def __init__(self, services: list[dict[str, Any]], channels: list[dict[str, Any]], page_size: int = 1):
        self.services = services
        self.channels = {c["id"]: c for c in channels}
        self.page_size = page_size
        self.requests: list[str] = []
        self.fail_with: int | None = None
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                stand_in.requests.append(self.path)
                status, body = stand_in.answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "PtvStandIn":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _page(self, items: list[Any], query: dict[str, list[str]], stubs: bool) -> dict[str, Any]:
        page = int(query.get("page", ["1"])[0])
        count = max(1, -(-len(items) // self.page_size))
        chunk = items[(page - 1) * self.page_size: page * self.page_size]
        if stubs:
            chunk = [{"id": s["id"], "name": s["serviceNames"][0]["value"]} for s in chunk]
        return {"pageNumber": page, "pageSize": self.page_size, "pageCount": count, "itemList": chunk}

    def answer(self, path: str) -> tuple[int, Any]:
        if self.fail_with:
            return self.fail_with, {"error": "stand-in failure"}
        parts = urlsplit(path)
        q = parse_qs(parts.query)
        since = q.get("date", [""])[0][:10]
        services = [s for s in self.services if not since or s["modified"][:10] >= since]
        p = parts.path
        if p == "/api/v11/Service":
            return 200, self._page(services, q, stubs=True)
        if p == "/api/v11/Service/list":
            wanted = set(q.get("guids", [""])[0].split(","))
            return 200, [s for s in self.services if s["id"] in wanted]
        if p == "/api/v11/ServiceChannel/list":
            wanted = q.get("guids", [""])[0].split(",")
            return 200, [self.channels[c] for c in wanted if c in self.channels]
        prefix = "/api/v11/Service/list/area/Municipality/code/"
        if p.startswith(prefix):
            code = p.removeprefix(prefix)
            inside = [s for s in services if any(m.get("code") == code for a in s.get("areas") or []
                                                 for m in a.get("municipalities") or [])]
            return 200, self._page(inside, q, stubs=False)
        return 404, {"error": "not found"}
