"""The local Bot API server answers aiogram as Telegram does, and injects the faults asked for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import web

from bot.channels.webchat import BotApiServer

TOKEN = "123456:TEST-token"


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    fake = BotApiServer()
    await fake.start()
    fake.add_user(102, "An", "Nguyễn Văn")
    fake.add_user(103, "Bình", "Lê Thị")
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    made = Bot(TOKEN, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    yield made
    await made.session.close()


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=f"Nút {d}", callback_data=d)] for d in data]
    )


async def raw_call(
    server: BotApiServer, method: str, token: str = TOKEN, **params: Any
) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{server.base_url}/bot{token}/{method}", json=params) as response,
    ):
        return response.status, await response.json()


async def test_messages_keyboards_and_edits_work_like_telegram(
    server: BotApiServer, bot: Bot
) -> None:
    sent = await bot.send_message(102, "Chào <b>đồng chí</b> 🙏", reply_markup=keyboard("a"))
    assert sent.text == "Chào đồng chí 🙏"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    edited = await bot.edit_message_text(
        "Đã sửa", chat_id=102, message_id=sent.message_id, reply_markup=keyboard("b")
    )
    assert not isinstance(edited, bool) and edited.text == "Đã sửa"
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Đã sửa", chat_id=102, message_id=sent.message_id, reply_markup=keyboard("b")
        )
    assert await bot.delete_message(102, sent.message_id)
    assert server.messages(102) == []


async def test_files_and_polls_are_kept_and_served(server: BotApiServer, bot: Bot) -> None:
    photo = await bot.send_photo(
        102, BufferedInputFile(b"\x89PNG-bytes", "chart.png"), caption="Biểu đồ"
    )
    document = await bot.send_document(102, BufferedInputFile(b"a;b\n1;2\n", "bao-cao.csv"))
    assert photo.photo is not None and document.document is not None
    file = await bot.get_file(document.document.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"a;b\n1;2\n"
    poll = await bot.send_poll(
        102, "Bác viết Di chúc năm nào?", options=["1965", "1945"], is_anonymous=False
    )
    assert poll.poll is not None
    await server.user_answers_poll(103, poll.poll.id, [0])
    (answer,) = [u.poll_answer for u in await bot.get_updates(timeout=0) if u.poll_answer]
    assert (answer.user and answer.user.id, answer.option_ids) == (103, [0])
    stopped = await bot.stop_poll(102, poll.message_id)
    assert stopped.is_closed


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"chat_id": 102}, "Bad Request: message text is empty"),
        ({"chat_id": 102, "text": "x" * 4097}, "Bad Request: message is too long"),
        ({"chat_id": 555, "text": "a"}, "Bad Request: chat not found"),
        (
            {
                "chat_id": 102,
                "text": "a",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "quá dài", "callback_data": "x" * 65}]]
                },
            },
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        (
            {"chat_id": 102, "text": "<blink>a</blink>", "parse_mode": "HTML"},
            "Bad Request: can't parse entities",
        ),
        ({"chat_id": "abc", "text": "a"}, "Bad Request: chat not found"),
        ({"chat_id": [1], "text": "a"}, 'Bad Request: field "chat_id"'),
    ],
)
async def test_bad_calls_get_telegrams_400(
    server: BotApiServer, params: dict[str, Any], description: str
) -> None:
    status, body = await raw_call(server, "sendMessage", **params)
    assert (status, body["ok"]) == (400, False)
    assert str(body["description"]).startswith(description)


async def test_unknown_methods_and_tokens_are_refused(server: BotApiServer) -> None:
    assert (await raw_call(server, "sendTelepathy", chat_id=1))[0] == 404
    assert (await raw_call(server, "getMe", token="not-a-token"))[0] == 401
    status, body = await raw_call(server, "SENDMESSAGE", chat_id=102, text="a")
    assert status == 200 and body["ok"] is True  # method names are case-insensitive


async def test_get_updates_confirms_by_offset_and_wakes_a_long_poll(
    server: BotApiServer, bot: Bot
) -> None:
    first = await server.user_sends_text(102, "một")
    await server.user_sends_text(102, "hai")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first["update_id"], first["update_id"] + 1]
    assert len(await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)) == 0

    import asyncio

    waiting = asyncio.ensure_future(bot.get_updates(offset=updates[-1].update_id + 1, timeout=20))
    await asyncio.sleep(0)
    await server.user_sends_text(103, "ba")
    woke = await asyncio.wait_for(waiting, timeout=5)
    assert [u.message.text for u in woke if u.message] == ["ba"]


async def test_injected_faults_reach_aiogram_as_telegram_errors(
    server: BotApiServer, bot: Bot
) -> None:
    server.faults.fail("sendMessage", "429", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(102, "a")
    assert caught.value.retry_after == 7
    server.faults.fail("sendMessage", "500")
    with pytest.raises(TelegramServerError):
        await bot.send_message(102, "a")
    server.block_bot(103)
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(103, "a")
    assert (await bot.send_message(102, "đã hết lỗi")).text == "đã hết lỗi"


async def test_duplicated_and_reordered_updates(server: BotApiServer, bot: Bot) -> None:
    server.faults.duplicate_next_updates(1)
    await server.user_sends_text(102, "lặp")
    server.faults.reorder_next_updates(2)
    await server.user_sends_text(102, "trước")
    await server.user_sends_text(102, "sau")
    texts = [u.message.text for u in await bot.get_updates(timeout=0) if u.message]
    assert texts == ["lặp", "lặp", "sau", "trước"]


async def test_callback_answers_are_checked(server: BotApiServer, bot: Bot) -> None:
    sent = await bot.send_message(102, "Chọn", reply_markup=keyboard("ok"))
    update = await server.user_presses(102, 102, sent.message_id, "ok")
    query_id = update["callback_query"]["id"]
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(query_id, text="x" * 201)
    assert await bot.answer_callback_query(query_id, text="Đã ghi nhận")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(ValueError, match="no button"):
        await server.user_presses(102, 102, sent.message_id, "forged")


async def test_webhook_delivery_sends_the_secret(server: BotApiServer, bot: Bot) -> None:
    received: list[tuple[str | None, int]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (
                request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                (await request.json())["update_id"],
            )
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="bi-mat")
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        update = await server.user_sends_text(102, "qua webhook")
        await server.wait_for(lambda: bool(received) and not server.world.updates, timeout=5)
        assert received == [("bi-mat", update["update_id"])]
    finally:
        await bot.delete_webhook()
        await runner.cleanup()
