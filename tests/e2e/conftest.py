"""The bot as its own process, polling the fake Bot API server over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Protocol

import pytest

from bot.channels.webchat import BotApiServer
from tests.e2e.botprocess import BotProcess

TOKEN = "424242:E2E-token"
# Seconds to wait for the bot process. It answers in milliseconds once up, but starting one
# (importing aiogram, checking the content) takes seconds and far longer on a loaded CI
# machine running two test workers; this is only the bound of a wait, never a sleep.
WAIT = 60.0


class StartBot(Protocol):
    def __call__(self, command: str = "run", **extra_env: str) -> Awaitable[BotProcess]: ...


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    fake = BotApiServer()
    await fake.start("127.0.0.1", 0)
    fake.add_user(101, "Thư", "Trần Thị")
    fake.add_user(900, "Em", "Hoàng Văn")
    yield fake
    await fake.stop()


@pytest.fixture
async def bot_process(
    server: BotApiServer, database_url: str, redis_url: str | None, tmp_path: Path
) -> AsyncIterator[StartBot]:
    """Start (and restart) the bot; each call starts a new process on the same database."""
    env = {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": server.base_url,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url or "",
        "WEBHOOK_URL": "",
        "LOG_LEVEL": "INFO",
    }
    started: list[BotProcess] = []

    async def start(command: str = "run", **extra: str) -> BotProcess:
        log = tmp_path / ("bot.log" if command == "run" else f"{command}-{len(started)}.log")
        process = BotProcess({**env, **extra}, log, command)
        await process.start()
        started.append(process)
        return process

    yield start
    for process in started:
        await process.stop()
