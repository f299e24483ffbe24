"""Replica sync: every few seconds, swap in a catalogue another replica stored; once a day,
the runtime's housekeeping (expired user settings, old update ids)."""

from __future__ import annotations

import asyncio
import logging
import time

from bot.channels.pools import storing
from bot.runtime import Runtime

log = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL = 24 * 3600.0


class ReplicaSync:
    """A background task calling ``runtime.refresh_if_changed()`` in a thread (it reads the
    database). The new catalogue is indexed first and swapped in whole, so no request sees
    a half-loaded one. ``lock`` keeps it from overlapping a reload on this replica."""

    def __init__(self, runtime: Runtime, lock: asyncio.Lock, interval: float):
        self.runtime = runtime
        self.lock = lock
        self.interval = interval
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="replica-sync")

    async def stop(self) -> None:
        """Let a refresh in progress finish, then end the task."""
        self._stop.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        failures = 0
        next_housekeeping = time.monotonic() + HOUSEKEEPING_INTERVAL
        while not self._stop.is_set():
            try:
                await asyncio.wait_for(self._stop.wait(), self.interval)
                return
            except TimeoutError:
                pass
            if time.monotonic() >= next_housekeeping:
                next_housekeeping = time.monotonic() + HOUSEKEEPING_INTERVAL
                try:
                    await storing(self.runtime, self.runtime.housekeeping)
                except Exception as exc:  # noqa: BLE001 (tried again tomorrow)
                    log.warning("housekeeping failed (%s)", type(exc).__name__)
            try:
                async with self.lock:
                    changed = await storing(self.runtime, self.runtime.refresh_if_changed)
            except Exception as exc:  # noqa: BLE001
                # Database away: keep serving from memory, try again.
                failures += 1
                if failures == 1 or failures % 100 == 0:
                    log.warning("replica sync: cannot read the catalogue version (%s)",
                                type(exc).__name__)
                continue
            if failures:
                log.info("replica sync: database reachable again")
                failures = 0
            if changed:
                log.info("replica sync: now serving catalogue %s", self.runtime.kb.version)
