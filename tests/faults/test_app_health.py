"""The running app: a failed task is restarted and logged; one that cannot recover makes
`/healthz` answer 503 and the process exit non-zero; an unreachable database stops the start."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.cli import app as cli
from bot.settings import Settings
from tests.e2e.conftest import TOKEN, WAIT, StartBot
from tests.fakes.clock import FakeClock
from tests.faults.conftest import until


@pytest.fixture
def settings(database_url: str, redis_url: str | None, server: BotApiServer) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=SecretStr(TOKEN),
        telegram_api_base=server.base_url,
        database_url=database_url,
        redis_url=redis_url,
        health_port=0,
        task_recovery_seconds=60,
    )


@pytest.fixture
async def running(settings: Settings, clock: FakeClock) -> AsyncIterator[App]:
    made = App(settings, clock)
    await made.start()
    yield made
    await made.stop()


async def healthz(app: App) -> tuple[int, dict[str, object]]:
    url = f"http://127.0.0.1:{app.health_port}/healthz"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.json()


async def test_polling_that_cannot_reach_telegram_makes_healthz_fail(
    server: BotApiServer, settings: Settings, clock: FakeClock
) -> None:
    server.faults.fail("getUpdates", "500", times=10**6)
    app = App(settings, clock)
    await app.start()
    try:
        await asyncio.wait_for(app.health.gave_up.wait(), timeout=WAIT)
        status, report = await healthz(app)
    finally:
        await app.stop()
    assert status == 503
    assert report["unhealthy"] == "polling"
    assert "TelegramServerError" in str(report["troubled"])


async def test_a_sender_killed_by_an_error_is_restarted_and_the_restart_is_logged(
    running: App, session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        await session.execute(text("ALTER TABLE outbox RENAME TO outbox_away"))
        await session.commit()
        running._outbox_due.set()  # the sender looks at the outbox now, not in 5 s
        await until(lambda: any(r.getMessage() == "task restarted" for r in caplog.records))
        await session.execute(text("ALTER TABLE outbox_away RENAME TO outbox"))
        await session.commit()
        await until(lambda: "sender" not in running.health.report()["troubled"])
    failed = next(r for r in caplog.records if r.getMessage() == "task failed; restarting")
    assert failed.__dict__["task"] == "sender"
    assert failed.__dict__["error"].startswith("sqlalchemy.exc.")
    assert await healthz(running) == (200, {"ok": True, "unhealthy": None, "troubled": {}})
    assert "sender" in running.supervisor.names


async def test_the_process_exits_non_zero_when_a_task_does_not_recover(
    server: BotApiServer, bot_process: StartBot
) -> None:
    server.faults.fail("getUpdates", "500", times=10**6)
    process = await bot_process(TASK_RECOVERY_SECONDS="1")
    assert process.proc is not None
    assert await asyncio.wait_for(process.proc.wait(), timeout=WAIT) == 1
    log = process.log()
    assert "task has not recovered" in log
    assert '"task": "polling"' in log


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("driver", ["postgresql+asyncpg", "sqlite+aiosqlite"])
def test_run_says_plainly_when_the_database_is_unreachable_at_start_up(
    driver: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = (
        f"{driver}://hocbac:pa55word@127.0.0.1:{closed_port()}/hocbac"
        if driver.startswith("postgresql")
        else f"{driver}:///{tmp_path}/no/such/folder/hocbac.db"
    )
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output
    assert "pa55word" not in result.output
    assert "Traceback" not in result.output
