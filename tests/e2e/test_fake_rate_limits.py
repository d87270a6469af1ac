"""The fake Bot API server refuses sends over Telegram's limits with its 429, as Telegram does."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter

from bot.channels.webchat import BotApiServer
from bot.channels.webchat.ratelimits import sends_a_message
from bot.delivery.ratelimit import Limits, MemoryLimiter

TOKEN = "123456:TEST-token"
USERS = range(102, 122)
GROUP = -100


class FakeTime:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now

    def move(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    fake = BotApiServer()
    await fake.start()
    for user_id in USERS:
        fake.add_user(user_id, f"Người {user_id}")
    fake.add_group(GROUP, "Chi bộ 1", list(USERS))
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    made = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.base_url)))
    yield made
    await made.session.close()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


async def send(server: BotApiServer, chat_id: int, text: str = "Nhắc lịch") -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{server.base_url}/bot{TOKEN}/sendMessage", json={"chat_id": chat_id, "text": text}
        ) as response,
    ):
        return response.status, await response.json()


async def test_a_burst_over_the_overall_rate_gets_telegrams_429_and_is_not_sent(
    server: BotApiServer, fake_time: FakeTime
) -> None:
    server.faults.enforce_limits(10, None, None, now=fake_time)
    answers = [await send(server, chat) for chat in USERS[:6]]
    assert [status for status, _ in answers] == [200, 200, 429, 429, 429, 429]
    assert answers[2][1] == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert [len(server.messages(chat)) for chat in USERS[:6]] == [1, 1, 0, 0, 0, 0]
    assert server.faults.rate_limited == 4
    fake_time.move(0.1)
    assert (await send(server, USERS[2]))[0] == 200


async def test_aiogram_sees_retry_after(
    bot: Bot, server: BotApiServer, fake_time: FakeTime
) -> None:
    server.faults.enforce_limits(now=fake_time)
    await bot.send_message(102, "Bài học hôm nay")
    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(102, "Bài học hôm nay")
    assert refused.value.retry_after == 1
    assert server.calls_to("sendMessage")[-1].status == 429


async def test_one_private_chat_gets_one_message_a_second_give_or_take_jitter(
    server: BotApiServer, fake_time: FakeTime
) -> None:
    server.faults.enforce_limits(now=fake_time)
    assert (await send(server, 102))[0] == 200
    fake_time.move(0.5)
    assert (await send(server, 102))[0] == 429
    assert (await send(server, 103))[0] == 200
    fake_time.move(0.4)  # 0.9 s after the first: inside the 0.1 s tolerance
    assert (await send(server, 102))[0] == 200
    assert (await send(server, 102))[0] == 429


async def test_a_group_gets_twenty_messages_a_minute(
    server: BotApiServer, fake_time: FakeTime
) -> None:
    server.faults.enforce_limits(now=fake_time)
    for _ in range(20):
        assert (await send(server, GROUP))[0] == 200
        fake_time.move(1)
    status, body = await send(server, GROUP)
    assert (status, body["parameters"]) == (429, {"retry_after": 40})  # 60 - 0.1 - 20 s
    fake_time.move(39.9)
    assert (await send(server, GROUP))[0] == 200
    assert (await send(server, GROUP))[0] == 429  # the next slot is the second message's
    assert len(server.messages(GROUP)) == 21


async def test_only_calls_that_post_messages_are_limited(
    bot: Bot, server: BotApiServer, fake_time: FakeTime
) -> None:
    server.faults.enforce_limits(per_second=1, now=fake_time)
    sent = await bot.send_message(102, "Bài học hôm nay")
    await bot.edit_message_text("Bài học hôm nay (sửa)", chat_id=102, message_id=sent.message_id)
    await bot.send_chat_action(102, "typing")
    await bot.get_me()
    assert server.faults.rate_limited == 0
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(103, "Bài học hôm nay")


def test_the_spec_decides_which_methods_send() -> None:
    sending = ["sendMessage", "sendPhoto", "sendDocument", "sendPoll", "sendMediaGroup"]
    sending += ["copyMessage", "forwardMessage", "forwardMessages", "sendDice", "sendSticker"]
    other = ["sendChatAction", "sendMessageDraft", "editMessageText", "getMe", "answerPoll"]
    assert [m for m in sending if not sends_a_message(m)] == []
    assert [m for m in other if sends_a_message(m)] == []


async def test_limits_are_off_until_asked_and_after_stopping(
    server: BotApiServer, fake_time: FakeTime
) -> None:
    assert [(await send(server, 102))[0] for _ in range(3)] == [200, 200, 200]
    server.faults.enforce_limits(now=fake_time)
    assert [(await send(server, 102))[0] for _ in range(2)] == [200, 429]
    server.faults.stop_enforcing()
    assert (await send(server, 102))[0] == 200
    assert server.faults.rate_limited == 1


async def test_a_sender_paced_by_the_rate_limiter_is_never_refused(
    bot: Bot, server: BotApiServer
) -> None:
    # Real time on both sides: 8 chats x 5 messages at 50/s and 10/s per chat take ~0.8 s.
    limits = Limits(per_second=50, per_chat_interval=0.1)
    limiter = MemoryLimiter(limits)
    chats = [chat for _ in range(5) for chat in USERS[:8]]

    async def paced(chat: int) -> None:
        await asyncio.sleep(await limiter.reserve(chat))
        await bot.send_message(chat, "Nhắc lịch")

    # One event loop serves both sides here; on a busy CI machine it can stall for longer
    # than the default 0.1 s and bunch sends that were paced right.
    server.faults.enforce_limits(limits.per_second, limits.per_chat_interval, None, tolerance=0.25)
    await asyncio.gather(*(paced(chat) for chat in chats))
    assert server.faults.rate_limited == 0
    assert len(server.calls_to("sendMessage")) == 40

    async def unpaced(chat: int) -> None:  # the same load with no limiter is refused
        with contextlib.suppress(TelegramRetryAfter):
            await bot.send_message(chat, "Nhắc lịch")

    await asyncio.gather(*(unpaced(chat) for chat in chats))
    assert server.faults.rate_limited > 0
