"""Per-chat token buckets, with a clock the test moves."""

from __future__ import annotations

from bot.channels.telegram.throttle import ChatThrottle, Verdict


def test_burst_then_rate_and_one_warning() -> None:
    now = [0.0]
    throttle = ChatThrottle(burst=3, rate=0.5, clock=lambda: now[0])
    assert [throttle.check(1) for _ in range(5)] == [
        Verdict.ALLOW, Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN, Verdict.DROP]
    assert throttle.check(2) is Verdict.ALLOW
    now[0] += 2.0
    assert throttle.check(1) is Verdict.ALLOW
    assert throttle.check(1) is Verdict.WARN


def test_memory_is_bounded() -> None:
    throttle = ChatThrottle(max_chats=100)
    for chat in range(1000):
        throttle.check(chat)
    assert len(throttle._buckets) == 100
