"""How fast hocbac takes an update from the inbox to its answer, against a bare aiogram echo bot.

Both run in this process against the same local Bot API server, so the ratio is what matters:
these machines are shared and absolute times drift. Run: `.venv/bin/python -m bench.updates`.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message, Update
from pydantic import SecretStr

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.clock import SystemClock
from bot.delivery import inbox
from bot.settings import Settings
from db import migrate
from tests.factories import member, unit

USERS = 50
ROUNDS = 10  # messages per user
TOKEN = "123456:BENCH"


async def measure(
    server: BotApiServer, handle: Callable[[dict[str, Any]], Awaitable[None]], text: str
) -> list[float]:
    """Send every user's messages in turn; return each update's handling time in ms."""
    timings = []
    for _ in range(ROUNDS):
        for user_id in range(2000, 2000 + USERS):
            update = await server.user_sends_text(user_id, text)
            started = time.perf_counter()
            await handle(update)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


async def echo_baseline(server: BotApiServer) -> list[float]:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.base_url)))
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    async def handle(raw: dict[str, Any]) -> None:
        await dp.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))

    try:
        return await measure(server, handle, "menu")
    finally:
        await bot.session.close()


async def hocbac(server: BotApiServer, folder: Path) -> list[float]:
    url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    await migrate.upgrade_async(url)
    settings = Settings(
        _env_file=None,
        bot_token=SecretStr(TOKEN),
        telegram_api_base=server.base_url,
        database_url=url,
        flood_limit_per_minute=10_000,
    )
    app = App(settings, SystemClock())
    await app.open_bot()
    async with app.sessionmaker() as session:
        cell = await unit(session, app.clock, "Chi bộ đo tốc độ")
        for user_id in range(2000, 2000 + USERS):
            await member(session, app.clock, cell, f"Đảng Viên {user_id}", user_id=user_id)

    async def handle(raw: dict[str, Any]) -> None:
        # The whole path of a production update: store in the inbox, claim, dispatch, finish.
        async with app.sessionmaker() as session:
            await inbox.store(session, app.clock, app.channel, raw)
        await app.worker.run_once()

    try:
        return await measure(server, handle, "menu")
    finally:
        await app.stop()


def report(name: str, timings: list[float]) -> float:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(
        f"{name:<28} n={len(ordered):>5}  p50={p50:7.2f} ms  p99={p99:7.2f} ms  "
        f"throughput={1000 / statistics.mean(ordered):7.1f}/s"
    )
    return p50


async def main() -> None:
    server = BotApiServer()
    await server.start()
    for user_id in range(2000, 2000 + USERS):
        server.add_user(user_id, "Bench", str(user_id))
    try:
        with tempfile.TemporaryDirectory() as folder:
            base = report("aiogram echo (baseline)", await echo_baseline(server))
            ours = report("hocbac menu via the inbox", await hocbac(server, Path(folder)))
        print(f"hocbac / baseline p50: {ours / base:.1f}x")
    finally:
        await server.stop()


if __name__ == "__main__":
    asyncio.run(main())
