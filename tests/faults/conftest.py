"""Fault fixtures: the fake Telegram and the bot process of tests/e2e, and TCP proxies."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable

import pytest

from tests import databases
from tests.e2e.conftest import bot_process, server
from tests.faults.proxy import TcpProxy

__all__ = ["bot_process", "server"]


@pytest.fixture
async def pg_proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    """A proxy in front of the test's PostgreSQL database (the PostgreSQL + Redis pass only)."""
    if databases.PG_URL is None:
        pytest.skip("HOCBAC_TEST_DATABASE_URL is not set")
    proxy = TcpProxy.to_url(database_url)
    await proxy.start()
    yield proxy
    await proxy.stop()


@pytest.fixture
async def redis_proxy(redis_url: str | None) -> AsyncIterator[TcpProxy]:
    if redis_url is None:
        pytest.skip("HOCBAC_TEST_REDIS_URL is not set")
    proxy = TcpProxy.to_url(redis_url)
    await proxy.start()
    yield proxy
    await proxy.stop()


async def until(holds: Callable[[], bool], timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait until `holds()` for something another task or process does; it has no event to
    wait on (a log record, a health report), so it is looked at every 10 ms."""
    async with asyncio.timeout(timeout):
        for _ in itertools.count():
            if holds():
                return
            await asyncio.sleep(0.01)
