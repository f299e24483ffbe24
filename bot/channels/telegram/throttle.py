"""Per-chat throttling, so that one user cannot flood the bot."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"
    """Refused, and the first refusal since the chat was last allowed: tell the user once."""
    DROP = "drop"


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class ChatThrottle:
    """A token bucket per chat: ``burst`` updates at once, then ``rate`` a second."""

    def __init__(self, burst: int = 30, rate: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, max_chats: int = 50_000):
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self.max_chats = max_chats
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()

    def check(self, chat_id: int) -> Verdict:
        now = self.clock()
        bucket = self._buckets.pop(chat_id, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        self._buckets[chat_id] = bucket
        if len(self._buckets) > self.max_chats:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return Verdict.ALLOW
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

