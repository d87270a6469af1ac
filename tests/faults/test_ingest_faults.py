"""The ingest never dies on one update and never acknowledges one it has not stored."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram import Ingest
from bot.channels.webchat import BotApiServer
from bot.supervisor import Health
from db.models import InboxUpdate
from tests.e2e.conftest import TOKEN
from tests.fakes.clock import FakeClock
from tests.faults.conftest import until

HOOK = "/tg/hook"


@pytest.fixture
def health(clock: FakeClock) -> Health:
    return Health(clock, recovery=3600)


@pytest.fixture
def ingest(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, health: Health
) -> Ingest:
    return Ingest(sessionmaker, clock, "telegram", lambda: None, health)


@pytest.fixture
async def hook(ingest: Ingest) -> AsyncIterator[str]:
    runner = web.AppRunner(ingest.webhook_app(HOOK, None))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


class InboxAway:
    """The database refuses every write to the inbox (a fault both SQLite and PostgreSQL can
    play without a proxy): the table is renamed away, then back."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def __aenter__(self) -> None:
        await self.session.execute(text("ALTER TABLE inbox RENAME TO inbox_away"))
        await self.session.commit()

    async def __aexit__(self, *_exc: object) -> None:
        await self.session.execute(text("ALTER TABLE inbox_away RENAME TO inbox"))
        await self.session.commit()


async def stored(session: AsyncSession) -> list[dict[str, Any]]:
    session.expire_all()
    # Nothing handles these rows here, so each still holds its payload.
    payloads = [row.payload for row in await session.scalars(select(InboxUpdate))]
    return [payload for payload in payloads if payload is not None]


def update(update_id: object) -> dict[str, Any]:
    chat = {"id": 900, "type": "private"}
    return {"update_id": update_id, "message": {"message_id": 1, "date": 0, "chat": chat}}


@pytest.mark.parametrize(
    "update_id",
    [2**70, -1, "12", True, 1.5, None],
    ids=["2**70", "-1", "str", "bool", "float", "none"],
)
async def test_an_absurd_update_id_gets_400_not_500(
    hook: str, session: AsyncSession, update_id: object
) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(hook + HOOK, json=update(update_id)) as response:
            assert response.status == 400
        async with http.post(hook + HOOK, json=[update(7)]) as response:
            assert response.status == 400
        async with http.post(hook + HOOK, json=update(7)) as response:
            assert response.status == 200
    assert [u["update_id"] for u in await stored(session)] == [7]


async def test_a_webhook_update_the_database_cannot_take_gets_503_then_is_stored_once(
    hook: str, session: AsyncSession, health: Health
) -> None:
    async with aiohttp.ClientSession() as http:
        async with InboxAway(session):
            for _ in range(3):  # Telegram sends it again after each 5xx
                async with http.post(hook + HOOK, json=update(8)) as response:
                    assert response.status == 503
            async with http.get(hook + "/healthz") as response:
                assert response.status == 200  # still within its recovery time
                assert (await response.json())["troubled"]["webhook"]["failures"] == 3
        for _ in range(2):
            async with http.post(hook + HOOK, json=update(8)) as response:
                assert response.status == 200
    assert [u["update_id"] for u in await stored(session)] == [8]
    assert health.report()["troubled"] == {}


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    made = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.base_url)))
    yield made
    await made.session.close()


async def test_polling_stores_an_update_aiogram_cannot_read_and_goes_on(
    server: BotApiServer, bot: Bot, ingest: Ingest, session: AsyncSession
) -> None:
    poison = server.delivery.enqueue(
        {"message": {"message_id": 1, "date": "yesterday", "chat": {"id": 900}}}
    )
    after = await server.user_sends_text(900, "/start")
    polling = asyncio.create_task(ingest.poll(bot, poll_seconds=1))
    try:
        await server.wait_for(lambda: not server.world.updates and server.delivery.polling > 0)
    finally:
        polling.cancel()
    assert await stored(session) == [poison, after]  # as Telegram sent them


async def test_polling_keeps_an_update_it_could_not_store_until_it_is_stored(
    server: BotApiServer, bot: Bot, ingest: Ingest, session: AsyncSession, health: Health
) -> None:
    polling = asyncio.create_task(ingest.poll(bot, poll_seconds=1))
    try:
        async with InboxAway(session):
            sent = await server.user_sends_text(900, "/start")
            await until(lambda: "polling" in health.report()["troubled"])
            calls = len(server.calls_to("getUpdates"))
            await until(lambda: health.report()["troubled"]["polling"]["failures"] >= 5)
            # Retried without asking Telegram for more, so the update is not acknowledged.
            assert len(server.calls_to("getUpdates")) == calls
            assert server.world.updates == [sent]
        await server.wait_for(lambda: not server.world.updates and server.delivery.polling > 0)
    finally:
        polling.cancel()
    assert await stored(session) == [sent]
    assert health.report()["troubled"] == {}
