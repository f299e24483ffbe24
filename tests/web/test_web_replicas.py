"""Two `python -m bot serve` processes on one PostgreSQL: a reload on one reaches the other,
and the other keeps answering from a whole catalogue meanwhile."""

from __future__ import annotations

import asyncio
import shutil

import aiohttp
import pytest

from tests.web.support import (
    ADMIN_TOKEN,
    SMALL_CATALOGUE,
    ServeProcess,
    add_service,
    admin,
    zip_folder,
)

pytestmark = pytest.mark.postgres


async def _ask(http: aiohttp.ClientSession, url: str, question: str) -> tuple[int, list[str]]:
    async with http.post(f"{url}/api/ask", json={"question": question}) as r:
        if r.status != 200:
            return r.status, []
        return 200, [x["id"] for x in (await r.json())["results"]]


async def test_a_reload_reaches_the_other_replica(pg_url, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(SMALL_CATALOGUE, knowledge)
    env = {"DATABASE_URL": pg_url, "ADMIN_TOKEN": ADMIN_TOKEN, "KNOWLEDGE_DIR": str(knowledge),
           "HYTEOPAS_DATA_DIR": str(tmp_path / "data")}
    first = await ServeProcess(env).start()  # creates the schema and loads the catalogue
    second = None
    try:
        second = await ServeProcess(env).start()
        async with aiohttp.ClientSession() as http:
            assert await _ask(http, second.url, "kuoro") == (200, [])
            stop = asyncio.Event()
            seen: list[tuple[int, list[str]]] = []

            async def keep_asking() -> None:  # questions to B while A reloads
                while not stop.is_set():
                    seen.append(await _ask(http, second.url, "velkaneuvonta"))
                    await asyncio.sleep(0.3)

            asker = asyncio.create_task(keep_asking())
            updated = tmp_path / "updated"
            shutil.copytree(knowledge, updated)
            add_service(updated)
            async with http.post(f"{first.url}/admin/reload", data=zip_folder(updated),
                                 headers=admin()) as r:
                body = await r.json()
                assert r.status == 200 and body["services"] == 7
            try:
                async with asyncio.timeout(60):
                    while (await _ask(http, second.url, "kuoro"))[1] != ["test-uusi-palvelu"]:
                        await asyncio.sleep(0.2)
            finally:
                stop.set()
                await asker
            async with http.get(f"{second.url}/admin/status", headers=admin()) as r:
                status = await r.json()
            assert status["version"] == body["version"] and status["services"] == 7
            answered = [ids for code, ids in seen if code == 200]
            assert answered and all(ids == ["test-velkaneuvonta"] for ids in answered)
            assert {code for code, _ in seen} <= {200, 429}
    finally:
        codes = [first.stop(), second.stop() if second else 0]
    assert codes == [0, 0], first.output + (second.output if second else "")
