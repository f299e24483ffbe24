"""Read services from the PTV API v11 over HTTP: paged lists (``page``, ``pageCount``),
changes since a date (``date``), full objects by id (``/Service/list?guids=``) and the
linked service channels (``/ServiceChannel/list?guids=``)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit, urlunsplit

import httpx

from bot.ptv.reader import PtvData, PtvProblem, parse_json

API_PREFIX = "/api/v11"
GUIDS_PER_REQUEST = 100
MAX_PAGES = 10_000


def api_base(url: str) -> str:
    """``https://host/api/v11`` for any URL on that API (or a bare host)."""
    parts = urlsplit(url)
    path = parts.path
    base = path[: path.index(API_PREFIX)] if API_PREFIX in path else path.rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, base + API_PREFIX, "", ""))


def endpoints(url: str, areas: list[str]) -> list[str]:
    """What to page through: the URL as given, or for a bare API address all services (or
    those of each ``--area`` municipality code)."""
    parts = urlsplit(url)
    if parts.path.rstrip("/").endswith(API_PREFIX) or parts.path.rstrip("/") == "":
        base = api_base(url)
        if areas:
            return [f"{base}/Service/list/area/Municipality/code/{code}" for code in areas]
        return [f"{base}/Service"]
    return [url]


class PtvClient:
    """A small synchronous client; every failure becomes a :class:`PtvProblem` naming the URL."""

    def __init__(self, data: PtvData, timeout: float = 60.0, client: httpx.Client | None = None):
        self.data = data
        self.http = client or httpx.Client(timeout=timeout, follow_redirects=True,
                                           headers={"Accept": "application/json"})

    def _get(self, url: str, params: dict[str, str]) -> object | None:
        try:
            r = self.http.get(url, params=params)
        except httpx.HTTPError as exc:
            self.data.problems.append(PtvProblem(url, "-", f"cannot reach the PTV API: {exc}"))
            return None
        shown = str(r.url)
        if r.status_code != 200:
            self.data.problems.append(PtvProblem(shown, "-", f"HTTP {r.status_code}"))
            return None
        payload, problem = parse_json(r.content, shown)
        if problem:
            self.data.problems.append(problem)
        return payload

    def read(self, url: str, areas: list[str], since: date | None) -> None:
        """Add every service reachable from ``url`` and the channels they link to."""
        base = api_base(url)
        stubs: list[str] = []
        for endpoint in endpoints(url, areas):
            stubs += self._pages(endpoint, since)
        self._by_ids(f"{base}/Service/list", stubs)
        self._by_ids(f"{base}/ServiceChannel/list", sorted(self.data.linked_channel_ids()))

    def _pages(self, url: str, since: date | None) -> list[str]:
        stubs: list[str] = []
        page, count = 1, 1
        while page <= min(count, MAX_PAGES):
            params = {"page": str(page)}
            if since:
                params["date"] = f"{since.isoformat()}T00:00:00"
            payload = self._get(url, params)
            if payload is None:
                break
            stubs += self.data.add(payload, f"{url}?page={page}")
            if not isinstance(payload, dict) or "pageCount" not in payload:
                break
            count = int(payload.get("pageCount") or 0)
            page += 1
        return stubs

    def _by_ids(self, url: str, ids: list[str]) -> None:
        for i in range(0, len(ids), GUIDS_PER_REQUEST):
            chunk = ids[i:i + GUIDS_PER_REQUEST]
            payload = self._get(url, {"guids": ",".join(chunk)})
            if payload is not None:
                self.data.add(payload, url)
