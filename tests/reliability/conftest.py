"""Fixtures of the reliability tests: the in-process web app of tests/web (a runtime over a
copy of the bundled catalogue, and a client of its aiohttp app)."""

from tests.web.conftest import catalogue_copy, client, make_client, runtime, settings  # noqa: F401
