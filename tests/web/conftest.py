"""Fixtures of the web server tests: runtimes over small catalogues and app clients."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from tests.web.support import (
    ADMIN_TOKEN,
    SMALL_CATALOGUE,
    WEBHOOK_SECRET,
    XSS_SERVICES,
    make_settings,
)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Keep each phase's report on the test item (the browser fixture screenshots failures)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    """A copy of tests/data/small-catalogue that a test may change."""
    dst = tmp_path / "catalogue"
    shutil.copytree(SMALL_CATALOGUE, dst)
    return dst


@pytest.fixture
def xss_catalogue(tmp_path: Path) -> Path:
    """A catalogue whose texts are full of markup (they must show as text)."""
    folder = tmp_path / "xss-catalogue"
    (folder / "services").mkdir(parents=True)
    (folder / "services" / "xss.yaml").write_text(XSS_SERVICES, encoding="utf-8")
    return folder


@pytest.fixture
def settings(tmp_path: Path, catalogue_copy: Path) -> Settings:
    return make_settings(tmp_path, catalogue_copy, ADMIN_TOKEN=ADMIN_TOKEN,
                         TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET)


@pytest.fixture
def runtime(settings: Settings):
    from bot.runtime import Runtime

    rt = Runtime.open(settings)
    yield rt
    rt.close()


ClientMaker = Callable[..., Awaitable[Any]]


@pytest.fixture
def make_client(aiohttp_client: Any) -> ClientMaker:
    """``await make_client(runtime, settings, telegram_app=None, **create_app_options)``:
    the app served by aiohttp's test server on 127.0.0.1, with a client for it."""
    from bot.channels.web import create_app

    async def make(runtime: Any, settings: Settings, telegram_app: Any = None, **kw: Any) -> Any:
        return await aiohttp_client(create_app(runtime, settings, telegram_app, **kw))

    return make


@pytest.fixture
async def client(make_client: ClientMaker, runtime: Any, settings: Settings) -> Any:
    return await make_client(runtime, settings)
