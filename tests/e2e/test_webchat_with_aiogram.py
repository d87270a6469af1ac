"""aiogram talks to the local Bot API server as to Telegram: real objects, real exceptions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.channels.webchat import BotApiServer

TOKEN = "123456:TEST-token"
CHI_THU, AN, BINH = 101, 102, 103
CHI_BO_1 = -1001


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    fake = BotApiServer()
    await fake.start()
    fake.add_user(CHI_THU, "Thư", "Trần Thị")
    fake.add_user(AN, "An", "Nguyễn Văn")
    fake.add_user(BINH, "Bình", "Lê Thị")
    fake.add_group(CHI_BO_1, "Chi bộ 1", member_ids=[AN, BINH], admin_ids=[CHI_THU])
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


async def test_messages_keyboards_and_edits(server: BotApiServer, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.username, me.is_bot) == ("hocbac_bot", True)
    sent = await bot.send_message(AN, "Chào <b>đồng chí</b> 🙏", reply_markup=keyboard("a"))
    assert sent.text == "Chào đồng chí 🙏"
    assert sent.entities is not None and (sent.entities[0].type, sent.entities[0].length) == (
        "bold",
        8,
    )
    edited = await bot.edit_message_text(
        "Đã <i>sửa</i>", chat_id=AN, message_id=sent.message_id, reply_markup=keyboard("b")
    )
    assert isinstance(edited, Message) and edited.text == "Đã sửa"
    assert edited.edit_date is not None
    marked = await bot.edit_message_reply_markup(
        chat_id=AN, message_id=sent.message_id, reply_markup=keyboard("c")
    )
    assert isinstance(marked, Message) and marked.reply_markup is not None
    assert marked.reply_markup.inline_keyboard[0][0].callback_data == "c"
    reply = await bot.send_message(AN, "Trả lời", reply_to_message_id=sent.message_id)
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == sent.message_id
    assert await bot.delete_message(AN, sent.message_id)
    assert [m["text"] for m in server.messages(AN)] == ["Trả lời"]
    assert await bot.send_chat_action(AN, "typing")
    assert await bot.set_my_commands([BotCommand(command="start", description="Bắt đầu")])
    assert [c.command for c in await bot.get_my_commands()] == ["start"]


async def test_photos_documents_and_downloads(server: BotApiServer, bot: Bot) -> None:
    photo = await bot.send_photo(
        AN, BufferedInputFile(b"\x89PNG-bytes", "chart.png"), caption="<b>Biểu đồ</b> tháng"
    )
    assert photo.photo is not None and photo.caption == "Biểu đồ tháng"
    document = await bot.send_document(CHI_BO_1, BufferedInputFile(b"a;b\n1;2\n", "bao-cao.csv"))
    assert document.document is not None and document.document.file_name == "bao-cao.csv"
    file = await bot.get_file(document.document.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"a;b\n1;2\n"
    update = await server.user_sends_document(BINH, b"%PDF", "ke-hoach.pdf", chat_id=CHI_BO_1)
    sent_by_binh = update["message"]["document"]["file_id"]
    downloaded = await bot.download(sent_by_binh)
    assert downloaded is not None and downloaded.read() == b"%PDF"


async def test_polls_in_a_group(server: BotApiServer, bot: Bot) -> None:
    quiz = await bot.send_poll(
        CHI_BO_1,
        "Bác viết Di chúc năm nào?",
        options=["1965", "1945", "1969"],
        type="quiz",
        correct_option_id=0,
        is_anonymous=False,
    )
    assert quiz.poll is not None and quiz.poll.correct_option_ids == [0]
    await server.user_answers_poll(AN, quiz.poll.id, [0])
    await server.user_answers_poll(BINH, quiz.poll.id, [2])
    updates = await bot.get_updates(timeout=0, allowed_updates=["poll_answer", "poll"])
    answers = [u.poll_answer for u in updates if u.poll_answer]
    assert [(a.user and a.user.id, a.option_ids) for a in answers] == [(AN, [0]), (BINH, [2])]
    stopped = await bot.stop_poll(CHI_BO_1, quiz.message_id)
    assert stopped.is_closed and [o.voter_count for o in stopped.options] == [1, 0, 1]
    with pytest.raises(TelegramBadRequest, match="poll has already been closed"):
        await bot.stop_poll(CHI_BO_1, quiz.message_id)


async def test_telegrams_refusals_reach_aiogram_as_its_exceptions(
    server: BotApiServer, bot: Bot
) -> None:
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(AN, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(AN, "a", reply_markup=keyboard("v1:" + "đ" * 31))
    sent = await bot.send_message(AN, "Một")
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Một", chat_id=AN, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(999, "a")
    server.accepted_tokens = {TOKEN}
    with pytest.raises(TelegramUnauthorizedError):
        await Bot("999:wrong", session=bot.session).get_me()


async def test_injected_faults_reach_aiogram_as_telegram_errors(
    server: BotApiServer, bot: Bot
) -> None:
    server.faults.fail("sendMessage", "429", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(AN, "a")
    assert caught.value.retry_after == 7
    server.faults.fail("sendMessage", "500")
    with pytest.raises(TelegramServerError):
        await bot.send_message(AN, "a")
    server.faults.fail("sendMessage", "403")
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(AN, "a")
    server.block_bot(BINH)
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(BINH, "a")
    assert (await bot.send_message(AN, "đã hết lỗi")).text == "đã hết lỗi"


async def test_a_slow_answer_times_out_in_aiogram_yet_the_message_is_sent(
    server: BotApiServer, bot: Bot
) -> None:
    server.faults.fail("sendMessage", "timeout", delay=0.3)
    impatient = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url), timeout=0.05)
    try:
        with pytest.raises(TelegramNetworkError):
            await Bot(TOKEN, session=impatient).send_message(AN, "đến muộn")
    finally:
        await impatient.close()
    # Like Telegram, the server still sends it: the sender cannot know, so must not resend.
    await server.wait_for(lambda: bool(server.messages(AN)), timeout=2)
    assert [m["text"] for m in server.messages(AN)] == ["đến muộn"]


async def test_a_webhook_blocks_get_updates(server: BotApiServer, bot: Bot) -> None:
    assert await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="bi-mat")
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()
    info = await bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:9/hook"
    assert await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == []


async def test_a_dispatcher_polls_answers_and_edits(server: BotApiServer, bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def on_start(message: Message) -> None:
        await message.answer("Chào <b>An</b>", reply_markup=keyboard("v1:hoc"))

    @dp.callback_query(F.data == "v1:hoc")
    async def on_learn(query: CallbackQuery) -> None:
        await query.answer("Bắt đầu học")
        assert isinstance(query.message, Message)
        await query.message.edit_text("📖 Bài 1")

    polling = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    try:
        await server.user_sends_text(AN, "/start")
        await server.wait_for(lambda: len(server.messages(AN)) == 2)
        greeting = server.messages(AN)[1]
        assert greeting["text"] == "Chào An"
        await server.user_presses(AN, AN, greeting["message_id"], "v1:hoc")
        await server.wait_for(lambda: server.messages(AN)[1]["text"] == "📖 Bài 1")
        await server.wait_for(lambda: bool(server.callback_answers(AN)))
        assert [a.text for a in server.callback_answers(AN)] == ["Bắt đầu học"]
    finally:
        await dp.stop_polling()
        await polling
