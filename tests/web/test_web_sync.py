"""Replica sync in-process: two apps over one database; a reload on one reaches the other."""

from __future__ import annotations

import asyncio

from bot.runtime import Runtime
from tests.web.support import add_service, admin, zip_folder


async def _wait_for(predicate, what: str, timeout: float = 30.0) -> None:
    """Poll ``predicate`` (async) until it holds; fail with ``what`` after ``timeout``."""
    try:
        async with asyncio.timeout(timeout):
            while not await predicate():
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def test_a_reload_on_one_replica_reaches_the_other(make_client, settings, catalogue_copy):
    a_runtime = Runtime.open(settings)
    b_runtime = Runtime.open(settings)
    a = await make_client(a_runtime, settings, sync_interval=0.1)
    b = await make_client(b_runtime, settings, sync_interval=0.1)
    old = b_runtime.kb.version
    add_service(catalogue_copy)
    resp = await a.post("/admin/reload", data=zip_folder(catalogue_copy), headers=admin())
    new = (await resp.json())["version"]
    assert resp.status == 200 and new != old

    async def b_serves_new() -> bool:
        status = await (await b.get("/admin/status", headers=admin())).json()
        return status["version"] == new

    await _wait_for(b_serves_new, "replica B to pick up the new catalogue")
    body = await (await b.post("/api/ask", json={"question": "kuoro"})).json()
    assert [r["id"] for r in body["results"]] == ["test-uusi-palvelu"]
    assert b_runtime.last_reload is None  # B did not reload: it picked the catalogue up
    a_runtime.close()
    b_runtime.close()
