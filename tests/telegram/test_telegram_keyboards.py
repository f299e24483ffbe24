"""Button data: versioned, within 64 bytes, decodable without any server-side state."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.keyboards import (
    MAX_DATA_BYTES,
    MORE_SLOTS,
    Action,
    ButtonData,
    ServiceTokens,
    more_argument,
    parse_more,
    service_token,
)


def test_round_trip_and_versions() -> None:
    data = ButtonData(Action.DETAILS, "sv", service_token("sat-hva-omaishoidon-tuki"))
    assert ButtonData.decode(data.encode()) == data
    assert data.encode().startswith("v1:d:sv:")
    for stale in ("v0:d:sv:x", "v2:d:sv:x", "v1:zz:sv:x", "v1:d:en:x", "v1:d:sv", "", None, 5):
        assert ButtonData.decode(stale) is None


@given(st.lists(st.from_regex(r"[a-z0-9-]{1,200}", fullmatch=True), max_size=20),
       st.integers(0, 99))
def test_more_options_fit_in_64_bytes(ids: list[str], offset: int) -> None:
    services = [type("S", (), {"id": i})() for i in ids]
    data = ButtonData(Action.MORE, "fi", more_argument(offset, services)).encode()
    assert len(data.encode()) <= MAX_DATA_BYTES
    decoded = ButtonData.decode(data)
    assert decoded is not None
    parsed = parse_more(decoded.argument)
    if ids:
        assert parsed == (offset, [service_token(i) for i in ids[:MORE_SLOTS]])


def test_tokens_follow_the_catalogue(bundled_catalogue) -> None:
    tokens = ServiceTokens()
    service = bundled_catalogue.services[0]
    assert tokens.find(bundled_catalogue, service_token(service.id)) == service
    reloaded = dataclasses.replace(bundled_catalogue, services=bundled_catalogue.services[1:],
                                   version="other")
    assert tokens.find(reloaded, service_token(service.id)) is None
    assert len({service_token(s.id) for s in bundled_catalogue.services}) == len(
        bundled_catalogue.services)
