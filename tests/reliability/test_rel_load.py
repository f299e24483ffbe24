"""Load: 1 000 webhook updates from 200 users, posted concurrently to a real `python -m bot
serve` whose Telegram replies go to the Bot API stand-in.

Every update gets exactly one reply, in the right chat, none lost, none doubled (Telegram's
retries of already delivered updates included), and each chat's replies come in the order
of its questions. Throughput and latency (post → the stand-in receiving sendMessage) are
written to benchmarks/load-results.md; they are measured, not asserted.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.reliability.support import (
    ADMIN_TOKEN,
    TimedStandIn,
    post_update,
    serve_env,
    settle,
    start_serve,
    until,
)

pytestmark = pytest.mark.slow

USERS = 200
PER_USER = 5
RETRIED = 50
"""Updates posted a second time, as Telegram does when it thinks a delivery was lost."""
IDLE = 5
"""Updates posted one at a time (each after the previous reply) before the burst."""
RESULTS = Path(os.environ.get("HYTEOPAS_LOAD_RESULTS") or
               tempfile.gettempdir() + "/hyteopas-load-results.md")
"""Where the figures go; `HYTEOPAS_LOAD_RESULTS=benchmarks/load-results.md` records them in
the repository (run by hand, as the benchmarks are)."""

FI = ["ruoka-apu Porissa", "mummo on yksinäinen Kokkolassa", "velkaneuvontaa Turussa",
      "vertaistukea omaishoitajalle", "liikuntaneuvonta Hämeenlinna", "nuorten talo Raumalla",
      "en jaksa arkea, kaipaan juttuseuraa", "perhekahvila Turku", "päihteet huolettaa",
      "surua läheisen kuoleman jälkeen"]
SV = ["mathjälp i Björneborg", "min mormor är ensam i Karleby", "skuldrådgivning i Åbo",
      "stöd för närståendevårdare", "motion för äldre i Tavastehus", "sorggrupp i Åbo",
      "familjecafé i Åbo", "jag behöver någon att prata med"]


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = f", load average {os.getloadavg()[0]:.1f} at the start"
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs{memory}, "
            f"Python {platform.python_version()}{load}")


def _write_results(machine: str, numbers: dict[str, Any]) -> None:
    lat = numbers["latencies"]
    q = statistics.quantiles(lat, n=100)
    RESULTS.write_text(f"""\
# Telegram webhook under load

Written by `tests/reliability/test_rel_load.py` (measured, not asserted); recorded here with
`HYTEOPAS_LOAD_RESULTS=benchmarks/load-results.md .venv/bin/python -m pytest tests/reliability/test_rel_load.py`.

- **Date**: {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
- **Machine**: {machine}
- **Command**: `.venv/bin/python -m pytest tests/reliability/test_rel_load.py`
- **Set-up**: one `python -m bot serve` process (SQLite, bundled catalogue, {numbers["services"]}
  services) whose Telegram replies go to the Bot API stand-in (tests/support/botapi.py) on
  127.0.0.1; the test process posts {numbers["updates"]} updates from {USERS} users
  ({PER_USER} each; each user's posts in sequence, all users concurrently) to
  `POST /telegram/webhook`, then posts {RETRIED} of them again (Telegram's retries).

| measure | value |
|---|---|
| updates posted (+ retried) | {numbers["updates"]} (+ {RETRIED}) |
| replies received | {numbers["replies"]} (exactly one per update, none to a retry) |
| time to post all updates (each answered 200 at once) | {numbers["post_seconds"]:.2f} s |
| webhook POST round trip: median / p95 / max | {numbers["post_median"] * 1000:.1f} / {numbers["post_p95"] * 1000:.1f} / {numbers["post_max"] * 1000:.1f} ms |
| first post → last reply | {numbers["total_seconds"]:.1f} s |
| throughput | {numbers["throughput"]:.1f} replies/s |
| latency post → sendMessage: median | {statistics.median(lat):.2f} s |
| latency p90 / p99 / max | {q[89]:.2f} / {q[98]:.2f} / {max(lat):.2f} s |
| latency min | {min(lat):.3f} s |
| latency of a lone update on an idle server (median of {IDLE}) | {statistics.median(numbers["idle"]) * 1000:.0f} ms |

The throughput is bounded on purpose: the bot sends through PTB's `AIORateLimiter`, which
keeps within Telegram's limit of about 30 messages a second for a bot, and it handles
updates one at a time, in order (which is what keeps each chat's replies in order). The
latency is therefore mostly queueing: an update posted in a burst of {numbers["updates"]} waits for
the replies before it; a lone update on an idle server is answered in the time in the last
row.
""", encoding="utf-8")


async def test_a_thousand_updates_from_two_hundred_users(tmp_path: Path) -> None:
    machine = _machine()
    rng = random.Random(1000)
    async with TimedStandIn() as api:
        server = await start_serve(serve_env(tmp_path, api=api))
        try:
            connector = aiohttp.TCPConnector(limit=0)
            async with aiohttp.ClientSession(connector=connector,
                                             timeout=aiohttp.ClientTimeout(total=120)) as http:
                async def telegram_running() -> bool:
                    async with http.get(server.url + "/admin/status",
                                        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as r:
                        return r.status == 200 and (await r.json())["telegram"]["running"]

                await until(telegram_running, "Telegram processing to start")
                async with http.get(server.url + "/readyz") as r:
                    services = (await r.json())["services"]

                idle = []  # one update at a time first: the latency of an idle server
                lone = api.user(599_999, first_name="Lone")
                for n in range(IDLE):
                    since = api.mark()
                    t0 = time.monotonic()
                    assert await post_update(http, server.url,
                                             api.message_update(FI[n], user=lone)) == 200
                    [reply] = await api.wait_for("sendMessage", 1, since=since)
                    idle.append(api.arrived[reply.seq] - t0)
                mark = api.mark()

                users = [api.user(600_000 + i, first_name=f"U{i}",
                                  language_code="sv" if i % 3 == 0 else "fi") for i in range(USERS)]
                plans: dict[int, list[dict[str, Any]]] = {u["id"]: [] for u in users}
                for n in range(PER_USER):  # update ids grow as Telegram numbers them
                    for u in users:
                        question = rng.choice(SV if u["language_code"] == "sv" else FI)
                        plans[u["id"]].append(api.message_update(f"{question} ({n + 1})", user=u))
                posted_at: dict[int, float] = {}
                round_trips: list[float] = []
                statuses: list[int] = []

                async def one_user(updates: list[dict[str, Any]]) -> None:
                    for update in updates:  # one chat's updates in order, as Telegram sends
                        t0 = time.monotonic()
                        posted_at.setdefault(update["message"]["message_id"], t0)
                        statuses.append(await post_update(http, server.url, update))
                        round_trips.append(time.monotonic() - t0)

                start = time.monotonic()
                await asyncio.gather(*(one_user(plans[u["id"]]) for u in users))
                post_seconds = time.monotonic() - start
                everything = [u for plan in plans.values() for u in plan]
                retried = rng.sample(everything, RETRIED)
                statuses += await asyncio.gather(*(post_update(http, server.url, u)
                                                   for u in retried))
                await api.wait_for("sendMessage", len(everything), since=mark, timeout=300)
                await settle(http, server.url, api, timeout=120)
        except BaseException:
            print(server.output[-5000:])
            raise
        finally:
            code = server.stop()

    assert code == 0, server.output[-5000:]
    assert set(statuses) == {200} and len(statuses) == len(everything) + RETRIED
    calls = api.calls_to("sendMessage", since=mark)
    assert all(c.ok for c in calls), [c.error for c in calls if not c.ok][:5]
    to_users = [c for c in calls if c.result["chat"]["id"] in plans]
    assert len(to_users) == len(calls) == USERS * PER_USER  # none lost, none doubled
    for user_id, updates in plans.items():
        asked = [u["message"]["message_id"] for u in updates]
        answered = [c.result["reply_to_message"]["message_id"] for c in to_users
                    if c.result["chat"]["id"] == user_id]
        assert answered == asked, user_id  # the right chat, each once, in the order asked
    for c in to_users:
        assert c.result["text"].strip()

    latencies = [api.arrived[c.seq] - posted_at[c.result["reply_to_message"]["message_id"]]
                 for c in to_users]
    last = max(api.arrived[c.seq] for c in to_users)
    round_trips.sort()
    _write_results(machine, {
        "services": services, "updates": len(everything), "replies": len(to_users),
        "post_seconds": post_seconds, "total_seconds": last - start,
        "throughput": len(to_users) / (last - start), "latencies": latencies,
        "post_median": statistics.median(round_trips),
        "idle": idle, "post_p95": round_trips[int(len(round_trips) * 0.95)], "post_max": round_trips[-1],
    })
    print(RESULTS.read_text(encoding="utf-8"), file=sys.stderr)
