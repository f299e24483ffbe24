"""Server under faults (issue 14), measured by hand: answers per second while the SQLite
database is write-locked by another process with writes waiting, and how many slow clients
still hold a connection after 30 s.

    .venv/bin/python -m benchmarks.server_faults

Runs the real aiohttp application (bundled catalogue, fresh SQLite file) on 127.0.0.1 and
prints a Markdown table for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.channels.web import create_app
from bot.channels.web.server import make_runner
from bot.config import load_settings, sqlite_url
from bot.runtime import Runtime

QUESTIONS = ["ruoka-apu Porissa", "mummo on yksinäinen Kokkolassa", "velkaneuvontaa Turussa",
             "min mormor är ensam i Karleby", "sorggrupp i Åbo", "perhekahvila Turku"]
SLOW_CLIENTS = 150
WAIT = 30.0


async def _answers_per_second(http: aiohttp.ClientSession, url: str, seconds: float) -> float:
    done, stop = 0, time.monotonic() + seconds

    async def worker(n: int) -> None:
        nonlocal done
        while time.monotonic() < stop:
            async with http.post(url + "/api/ask",
                                 json={"question": QUESTIONS[(n + done) % len(QUESTIONS)]}) as r:
                await r.read()
                assert r.status == 200, r.status
                done += 1

    start = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(8)))
    return done / (time.monotonic() - start)


async def _until_closed(reader: asyncio.StreamReader) -> bytes:
    try:
        return await reader.read()
    except ConnectionError:
        return b""


async def _slow_clients_left(port: int) -> tuple[int, int]:
    """Open SLOW_CLIENTS connections that send a body one byte a second; how many the server
    still holds after WAIT seconds, and how many it answered 408."""
    conns, closed = [], []
    for _ in range(SLOW_CLIENTS):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{")
        conns.append(writer)
        closed.append(asyncio.create_task(_until_closed(reader)))
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for writer, done in zip(conns, closed):
            if not done.done() and not writer.is_closing():
                writer.write(b" ")
        await asyncio.sleep(1)
    held = sum(not done.done() for done in closed)
    timed_out = sum(done.done() and done.result().startswith(b"HTTP/1.1 408") for done in closed)
    for writer, done in zip(conns, closed):
        writer.close()
        done.cancel()
    return held, timed_out


async def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="hyteopas-faults-"))
    settings = replace(load_settings({}), database_url=sqlite_url(folder / "db.sqlite3"),
                       data_dir=folder, rate_limit_burst=10**6, rate_limit_per_second=10.0**6)
    runtime = Runtime.open(settings)
    runner = make_runner(create_app(runtime, settings), settings)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    url = f"http://127.0.0.1:{port}"
    service = runtime.kb.snapshot.catalogue.services[0].id
    try:
        async with aiohttp.ClientSession() as http:
            free = await _answers_per_second(http, url, 10)
            locker = sqlite3.connect(folder / "db.sqlite3", timeout=0)
            locker.execute("BEGIN IMMEDIATE")
            writes = [asyncio.create_task(http.post(url + "/api/report", json={"service_id": service}))
                      for _ in range(20)]
            await asyncio.sleep(0.5)
            locked = await _answers_per_second(http, url, 8)
            pending = sum(not w.done() for w in writes)
            locker.rollback()
            locker.close()
            statuses = sorted({(await w).status for w in writes})
        held, timed_out = await _slow_clients_left(port)
    finally:
        await runner.cleanup()
        runtime.close()
    print("| measure | value |\n|---|---|")
    print(f"| /api/ask answers per second, database free (8 clients) | {free:.0f} |")
    print(f"| /api/ask answers per second, SQLite write-locked by another process, 20 writes "
          f"waiting | {locked:.0f} ({pending} writes still waiting at the end; then {statuses}) |")
    print(f"| slow-body clients still connected after {WAIT:.0f} s (of {SLOW_CLIENTS}) | {held} "
          f"({timed_out} answered 408) |")


if __name__ == "__main__":
    asyncio.run(main())
