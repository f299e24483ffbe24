"""GET /healthz and GET /readyz."""

from __future__ import annotations

from dataclasses import replace

from bot.storage import Database


async def test_healthz_and_readyz(client, runtime):
    resp = await client.get("/healthz")
    assert resp.status == 200 and (await resp.json())["ok"] is True
    resp = await client.get("/readyz")
    body = await resp.json()
    assert resp.status == 200
    assert body == {"ready": True, "version": runtime.kb.version, "services": 6}


async def test_readyz_is_503_when_the_database_is_unreachable(make_client, runtime, settings):
    unreachable = "postgresql+psycopg://nobody:secret-password@127.0.0.1:1/none"
    runtime.db.dispose()
    runtime.db = Database(unreachable)
    runtime.catalogues.db = runtime.db
    client = await make_client(runtime, replace(settings, database_url=unreachable))
    resp = await client.get("/readyz")
    body = await resp.json()
    assert resp.status == 503
    assert body == {"ready": False, "reason": "database unreachable"}
    assert (await client.get("/healthz")).status == 200
    # answers still come from memory
    resp = await client.post("/api/ask", json={"question": "ruoka-apu"})
    assert resp.status == 200 and (await resp.json())["results"]
