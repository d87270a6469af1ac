"""The webhook: the fake Telegram posts updates with the secret header; forgeries get 401."""

from __future__ import annotations

import socket
from datetime import timedelta

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from db.models import InboxUpdate
from tests import factories
from tests.conftest import Cast
from tests.e2e.conftest import WAIT, StartBot
from tests.e2e.test_joining_over_http import wait_text
from tests.fakes.clock import FakeClock

SECRET = "s3cret-for-tests_0123456789abcdefghijk"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_updates_arrive_by_webhook_and_forgeries_are_refused(
    server: BotApiServer,
    bot_process: StartBot,
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg/hook"
    created = await factories.invite(session, clock, cast.chi_bo_1, ttl=timedelta(days=36500))
    process = await bot_process(WEBHOOK_URL=url, WEBHOOK_SECRET=SECRET, WEBHOOK_PORT=str(port))
    await server.wait_for(lambda: bool(server.calls_to("setWebhook")), timeout=WAIT)
    assert server.calls_to("setWebhook")[-1].params["secret_token"] == SECRET

    await server.user_sends_text(900, f"/start {created.code}")
    await wait_text(server, 900, "Bước 1/3")

    forged = {
        "update_id": 999_999,
        "message": {
            "message_id": 1,
            "date": 0,
            "text": "/start",
            "chat": {"id": 900, "type": "private"},
        },
    }
    async with aiohttp.ClientSession() as http:
        for header in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with http.post(url, json=forged, headers=header) as response:
                assert response.status == 401
        async with http.post(
            url, data=b"not json", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        ) as response:
            assert response.status == 400
    assert (
        await session.scalar(
            select(func.count()).select_from(InboxUpdate).where(InboxUpdate.update_id == 999_999)
        )
        == 0
    )
    assert SECRET not in process.log()
