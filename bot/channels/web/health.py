"""GET /healthz (the process answers) and GET /readyz (database reachable, catalogue loaded)."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.channels.pools import storing
from bot.channels.web.httputil import json_response
from bot.runtime import Runtime

log = logging.getLogger(__name__)

DB_TIMEOUT = 5.0


def add_routes(app: web.Application, runtime: Runtime) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        return json_response({"ok": True})

    async def readyz(_request: web.Request) -> web.Response:
        services = len(runtime.kb.snapshot.catalogue.services)
        try:
            await asyncio.wait_for(storing(runtime, runtime.catalogues.version), DB_TIMEOUT)
        except Exception as exc:  # noqa: BLE001
            # Any failure means "not ready"; the reason names no secret.
            log.warning("readiness: database unreachable (%s)", type(exc).__name__)
            return json_response({"ready": False, "reason": "database unreachable"}, status=503)
        if services == 0:
            return json_response({"ready": False, "reason": "no catalogue loaded"}, status=503)
        return json_response({"ready": True, "version": runtime.kb.version, "services": services})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
