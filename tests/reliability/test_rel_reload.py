"""Reload under load: a 10 000-service catalogue uploaded to POST /admin/reload of a real
`python -m bot serve` while questions stream to /api/ask.

No question fails or gets an empty answer; every answer comes wholly from the old or wholly
from the new catalogue (never from a half-loaded one), questions asked after the reload
returned get the new one, and a broken catalogue uploaded mid-stream is refused (422) while
the catalogue in use keeps answering.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from benchmarks.synthetic import write_catalogue
from tests.reliability.support import (
    SMALL_CATALOGUE,
    SMALL_IDS,
    UNLIMITED,
    ask,
    serve_env,
    start_serve,
    until,
)
from tests.web.support import admin, zip_folder

pytestmark = pytest.mark.slow

SERVICES = 10_000
ASKERS = 2
QUESTIONS = ["velkaneuvonta", "ruoka-apu Porissa", "mathjälp i Björneborg",
             "liikuntaneuvonta", "yksinäinen ja kaipaan ystävää", "sorggrupp",
             "kriisikeskus", "talousneuvonta ja velat"]
"""Questions that both the small catalogue and the synthetic one answer with referrals."""


@dataclass
class Asked:
    question: str
    sent: float
    received: float
    status: int
    body: dict[str, Any]

    @property
    def ids(self) -> set[str]:
        return {r["id"] for r in self.body.get("results", [])}


def _service_ids(folder: Path) -> set[str]:
    """The service ids of a synthetic catalogue (providers come first in each file)."""
    ids: set[str] = set()
    for path in (folder / "services").glob("*.yaml"):
        services = path.read_text(encoding="utf-8").split("\nservices:\n", 1)[1]
        ids |= set(re.findall(r"^  - id: (\S+)$", services, re.MULTILINE))
    return ids


def _broken(big: Path, tmp_path: Path) -> bytes:
    """A large catalogue (one 2 000-service file of the new one) with one error at the end."""
    folder = tmp_path / "broken"
    (folder / "services").mkdir(parents=True)
    first = min((big / "services").glob("*.yaml"))
    (folder / "services" / first.name).write_text(
        first.read_text(encoding="utf-8")
        + "  - id: broken-at-the-end\n    provider: nobody-knows-this-one\n"
          "    name: {fi: Rikki}\n    summary: {fi: Rikki}\n    topics: [no_such_topic]\n",
        encoding="utf-8")
    return zip_folder(folder)


async def test_reloading_ten_thousand_services_while_questions_stream(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(SMALL_CATALOGUE, knowledge)
    big = write_catalogue(tmp_path / "big", SERVICES)
    new_ids = _service_ids(big)
    assert len(new_ids) == SERVICES and not new_ids & SMALL_IDS
    upload, broken = zip_folder(big), _broken(big, tmp_path)

    server = await start_serve(serve_env(tmp_path, knowledge=knowledge, **UNLIMITED))
    asked: list[Asked] = []
    stop = asyncio.Event()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600)) as http:
            async def asker(n: int) -> None:
                i = n
                while not stop.is_set():
                    question = QUESTIONS[i % len(QUESTIONS)]
                    i += 1
                    sent = time.monotonic()
                    status, body = await ask(http, server.url, question)
                    asked.append(Asked(question, sent, time.monotonic(), status, body))
                    await asyncio.sleep(0.1)

            async def answered(n: int) -> bool:
                return len(asked) >= n

            askers = [asyncio.create_task(asker(n)) for n in range(ASKERS)]
            try:
                await until(lambda: answered(20), "answers from the old catalogue")
                async with http.get(server.url + "/admin/status", headers=admin()) as r:
                    old_version = (await r.json())["version"]

                reload_start = time.monotonic()
                async with http.post(server.url + "/admin/reload", data=upload,
                                     headers=admin()) as r:
                    result = await r.json()
                    assert r.status == 200, result
                reload_done = time.monotonic()
                assert result["ok"] and result["services"] == SERVICES
                new_version = result["version"]
                assert new_version != old_version

                after = len(asked)
                await until(lambda: answered(after + 20), "answers from the new catalogue")
                broken_start = time.monotonic()
                async with http.post(server.url + "/admin/reload", data=broken,
                                     headers=admin()) as r:
                    refused = await r.json()
                    assert r.status == 422, refused
                broken_done = time.monotonic()
                after = len(asked)
                await until(lambda: answered(after + 20), "answers after the refusal")
            finally:
                stop.set()
                await asyncio.gather(*askers)

            assert refused["ok"] is False and refused["version"] == new_version
            assert any("no_such_topic" in e for e in refused["errors"])
            async with http.get(server.url + "/admin/status", headers=admin()) as r:
                status = await r.json()
            assert status["version"] == new_version and status["services"] == SERVICES
            assert status["last_reload"]["ok"] is False
            async with http.get(server.url + "/readyz") as r:
                ready = await r.json()
            assert r.status == 200 and ready["services"] == SERVICES
    except BaseException:
        print(server.output[-5000:])
        raise
    finally:
        code = server.stop()
    assert code == 0, server.output[-5000:]

    failed = [(a.question, a.status, a.body) for a in asked if a.status != 200
              or not a.body.get("text", "").strip() or not a.ids]
    assert not failed, failed[:5]
    mixed = [(a.question, a.ids) for a in asked if not (a.ids <= SMALL_IDS or a.ids <= new_ids)]
    assert not mixed, mixed[:5]
    before = [a for a in asked if a.received < reload_start]
    assert before and all(a.ids <= SMALL_IDS for a in before)
    later = [a for a in asked if a.sent > reload_done]
    assert later and all(a.ids <= new_ids for a in later)
    during = [a for a in asked if reload_start < a.sent and a.received < reload_done]
    assert during, "no question was answered while the catalogue was reloading"
    print(f"\n{len(asked)} answers; {len(during)} during the {reload_done - reload_start:.1f} s "
          f"reload; the broken upload was refused in {broken_done - broken_start:.1f} s")
