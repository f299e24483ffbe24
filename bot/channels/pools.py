"""Where channels run blocking work: answers in the runtime's answer pool, database calls in
its storage pool, so that a slow or locked database never holds up an answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from bot.runtime import Runtime

T = TypeVar("T")


async def answering(runtime: Runtime, call: Callable[..., T], *args: object) -> T:
    """``call(*args)`` in the answer pool."""
    return await asyncio.get_running_loop().run_in_executor(runtime.answer_pool, call, *args)


async def storing(runtime: Runtime, call: Callable[..., T], *args: object) -> T:
    """``call(*args)`` (a database call) in the storage pool."""
    return await asyncio.get_running_loop().run_in_executor(runtime.storage_pool, call, *args)
