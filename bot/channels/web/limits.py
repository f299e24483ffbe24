"""Size and rate limits of the web server, and a per-client token-bucket rate limiter."""

from __future__ import annotations

import time
from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class WebLimits:
    """Bounds on what a client may send. The defaults suit a public deployment."""

    api_body: int = 64 * KIB
    """Largest body of POST /api/*: room for a question of ``question_chars`` characters
    even when every one is JSON-escaped (up to 12 bytes each)."""
    question_chars: int = 4000
    webhook_body: int = 1 * MIB
    upload_body: int = 32 * MIB
    """Largest uploaded catalogue archive (compressed)."""
    unpacked_bytes: int = 128 * MIB
    """Largest total size of the files in an uploaded archive."""
    unpacked_files: int = 20_000
    max_ratio: int = 200
    """Largest compression ratio of one archive member over 1 MiB (zip bombs)."""
    api_burst: int = 30
    """Requests a client may make at once to /api/*..."""
    api_per_second: float = 1.0
    """...and the rate at which that allowance refills."""
    auth_failures_burst: int = 60
    """Wrong admin tokens a client may send before it gets 429 for a while (the tokens are
    too long to guess; this only slows down a noisy client)."""
    auth_failures_per_second: float = 0.5


class RateLimiter:
    """Token buckets keyed by client: ``allow(key)`` spends one token if there is one."""

    def __init__(self, burst: int, per_second: float, max_clients: int = 50_000):
        self.burst = burst
        self.per_second = per_second
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.per_second)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > self.max_clients:
            self._forget_full(now)
        return allowed

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` has a token again."""
        tokens, _ = self._buckets.get(key, (float(self.burst), 0.0))
        return max(1, int((1.0 - tokens) / self.per_second + 0.999)) if self.per_second else 60

    def _forget_full(self, now: float) -> None:
        """Drop clients whose bucket has refilled: they are as good as new."""
        full = [k for k, (tokens, last) in self._buckets.items()
                if tokens + (now - last) * self.per_second >= self.burst]
        for k in full:
            del self._buckets[k]
