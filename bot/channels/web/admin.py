"""The admin API behind ``Authorization: Bearer $ADMIN_TOKEN``: reload, status, reports, coverage.

The routes exist only when ADMIN_TOKEN has at least :data:`MIN_TOKEN_LENGTH` characters.
Tokens are compared in constant time; wrong tokens are rate limited per client.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels.pools import storing
from bot.channels.web.archive import ArchiveError, catalogue_root, extract_archive, remove_tree
from bot.channels.web.httputil import (
    same_secret,
    BodyError,
    client_key,
    json_error,
    json_response,
    read_body,
    too_large,
)
from bot.catalogue.coverage import FORMATS, coverage, municipalities_in, render
from bot.channels.web.limits import RateLimiter, WebLimits
from bot.i18n import normalise_language
from bot.runtime import ReloadResult, Runtime
from bot.storage.repositories import SMALLEST_COUNT

log = logging.getLogger(__name__)

MIN_TOKEN_LENGTH = 24
NOT_STORED = "the catalogue could not be stored; the previous one is still in use"
CHUNK = 64 * 1024


def admin_enabled(token: str | None) -> bool:
    """Whether ``token`` is long enough to guard the admin routes."""
    return bool(token) and len(token) >= MIN_TOKEN_LENGTH


class Admin:
    """Handlers of /admin/*; ``lock`` serialises catalogue swaps with the replica sync."""

    def __init__(self, runtime: Runtime, token: str, limits: WebLimits, lock: asyncio.Lock,
                 telegram_status: Callable[[], dict[str, Any]]):
        self.runtime = runtime
        self.token = token
        self.limits = limits
        self.lock = lock
        self.telegram_status = telegram_status
        self.failures = RateLimiter(limits.auth_failures_burst, limits.auth_failures_per_second)

    def _refusal(self, request: web.Request) -> web.Response | None:
        """None when the request carries the admin token; else the 401 (or 429) to send."""
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and same_secret(given.strip(), self.token):
            return None
        key = client_key(request)
        if not self.failures.allow(key):
            return json_error(429, "rate_limited", "too many failed attempts; try again later",
                              retry_after=self.failures.retry_after(key))
        response = json_error(401, "unauthorized", "a valid admin token is needed")
        response.headers["WWW-Authenticate"] = 'Bearer realm="hyteopas-admin"'
        return response

    async def _save_upload(self, request: web.Request, target: Path) -> int:
        """Stream the uploaded archive (raw body or the first file of a form) to ``target``."""
        limit = self.limits.upload_body
        if request.content_length is not None and request.content_length > limit + CHUNK:
            raise too_large(limit)
        size = 0
        with target.open("wb") as out:
            if request.content_type == "multipart/form-data":
                reader = await request.multipart()
                async for part in reader:
                    if getattr(part, "filename", None):
                        while chunk := await part.read_chunk(CHUNK):
                            size += len(chunk)
                            if size > limit:
                                raise too_large(limit)
                            out.write(chunk)
                        break
                else:
                    raise ArchiveError(["the form has no file"])
            else:
                async for chunk in request.content.iter_chunked(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise too_large(limit)
                    out.write(chunk)
        return size

    async def _upload_folder(self, request: web.Request, work: Path) -> Path | None:
        """The unpacked catalogue folder of the upload, or None to use the knowledge folder."""
        if request.content_type == "application/json":
            await read_body(request, self.limits.api_body)
            return None
        try:
            size = await self._save_upload(request, work / "upload")
        except (ValueError, AssertionError, aiohttp.ClientPayloadError):
            raise ArchiveError(["the upload could not be read"]) from None
        if size == 0:
            return None
        unpacked = work / "catalogue"
        unpacked.mkdir()
        await asyncio.get_running_loop().run_in_executor(
            None, extract_archive, work / "upload", unpacked, self.limits)
        return catalogue_root(unpacked)

    async def reload(self, request: web.Request) -> web.Response:
        """Reload from the knowledge folder (empty or JSON body) or from an uploaded archive."""
        if refusal := self._refusal(request):
            return refusal
        loop = asyncio.get_running_loop()
        work = Path(tempfile.mkdtemp(prefix="hyteopas-upload-"))
        try:
            folder = await self._upload_folder(request, work)
            async with self.lock:
                result: ReloadResult = await storing(self.runtime, self.runtime.reload, folder)
        except ArchiveError as exc:
            return json_response({"ok": False, "version": self.runtime.kb.version,
                                  "errors": exc.problems}, status=422)
        except BodyError:
            raise
        except Exception as exc:  # noqa: BLE001
            # E.g. the database went away; the old catalogue stays.
            log.warning("reload failed: %s", type(exc).__name__)
            return json_response({"ok": False, "version": self.runtime.kb.version,
                                  "errors": [NOT_STORED]}, status=503)
        finally:
            await loop.run_in_executor(None, remove_tree, work)
        if result.ok:
            log.info("catalogue %s loaded: %d services", result.version, result.services)
        else:
            log.info("catalogue rejected with %d errors", len(result.errors))
        return json_response(result.as_json(), status=200 if result.ok else 422)

    async def status(self, request: web.Request) -> web.Response:
        """Catalogue version, counts per topic and area, last reload, uptime."""
        if refusal := self._refusal(request):
            return refusal
        catalogue = self.runtime.kb.snapshot.catalogue
        topics = Counter(t for s in catalogue.services for t in s.topics)
        areas = Counter(a.key for s in catalogue.services for a in s.areas)
        try:
            state = await storing(self.runtime, self.runtime.catalogues.state)
            database: dict[str, Any] = {
                "ok": True, "version": state.version if state else None,
                "loaded_at": state.loaded_at.isoformat() if state else None}
        except Exception as exc:  # noqa: BLE001
            log.warning("status: database unreachable (%s)", type(exc).__name__)
            database = {"ok": False}
        last = self.runtime.last_reload
        return json_response({
            "version": catalogue.version,
            "services": len(catalogue.services),
            "providers": len(catalogue.providers),
            "counts": {"topics": dict(sorted(topics.items())), "areas": dict(sorted(areas.items()))},
            "last_reload": last.as_json() if last else None,
            "uptime_seconds": round(time.monotonic() - self.runtime.started, 1),
            "database": database,
            "telegram": self.telegram_status(),
        })

    async def reports(self, request: web.Request) -> web.Response:
        """The 'outdated information' reports."""
        if refusal := self._refusal(request):
            return refusal
        try:
            rows = await storing(self.runtime, self.runtime.reports.all)
        except Exception as exc:  # noqa: BLE001
            log.warning("reports: database unreachable (%s)", type(exc).__name__)
            return json_error(503, "unavailable", "the database is not reachable")
        return json_response({"reports": rows})

    async def statistics(self, request: web.Request) -> web.Response:
        """Anonymous usage counts (``?since=YYYY-MM-DD``); no count under 5 is shown for a
        municipality and day (they are summed into "other")."""
        if refusal := self._refusal(request):
            return refusal
        since = None
        if "since" in request.query:
            try:
                since = date.fromisoformat(request.query["since"])
            except ValueError:
                return json_error(400, "bad_date", "since must be a date, YYYY-MM-DD")
        try:
            rows = await storing(self.runtime, self.runtime.stats.summary, since)
        except Exception as exc:  # noqa: BLE001
            log.warning("statistics: database unreachable (%s)", type(exc).__name__)
            return json_error(503, "unavailable", "the database is not reachable")
        return json_response({"enabled": self.runtime.settings.store_statistics,
                              "smallest_count": SMALLEST_COUNT, "counts": rows})

    async def coverage(self, request: web.Request) -> web.Response:
        """The coverage report of the catalogue in use (``?format=json|csv|md&region=&lang=``)."""
        if refusal := self._refusal(request):
            return refusal
        fmt = request.query.get("format", "json")
        lang = normalise_language(request.query.get("lang")) or "fi"
        if fmt not in FORMATS:
            return json_error(400, "bad_format", f"format must be one of {', '.join(FORMATS)}")
        catalogue = self.runtime.kb.snapshot.catalogue
        places = self.runtime.kb.snapshot.matcher.places
        municipalities = municipalities_in(places, catalogue, request.query.get("region"))
        if municipalities is None:
            return json_error(400, "unknown_region", "region must be a region or a wellbeing services county")
        report = coverage(catalogue, places, municipalities)
        if fmt == "json":
            return json_response(report)
        return web.Response(text=render(report, fmt, lang), charset="utf-8",
                            content_type="text/csv" if fmt == "csv" else "text/markdown")

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/admin/coverage", self.coverage)
        app.router.add_post("/admin/reload", self.reload)
        app.router.add_get("/admin/status", self.status)
        app.router.add_get("/admin/reports", self.reports)
        app.router.add_get("/admin/statistics", self.statistics)


def add_disabled_routes(app: web.Application) -> None:
    """Without a strong ADMIN_TOKEN every /admin path is 404."""

    async def disabled(_request: web.Request) -> web.Response:
        return json_error(404, "admin_disabled",
                          f"the admin API is off: ADMIN_TOKEN is unset or shorter than "
                          f"{MIN_TOKEN_LENGTH} characters")

    app.router.add_route("*", "/admin/{tail:.*}", disabled)
