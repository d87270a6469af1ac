"""The sender's channel: stored parameters posted as JSON, Telegram's answers read as outcomes."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.channels.sending import HttpChannel, outcome_of
from bot.channels.webchat import BotApiServer
from bot.delivery.attachments import CannotMake, Made, attach
from bot.delivery.sender import Outcome, Result

TOKEN = "123456:SECRET-token"
USER = 101


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    fake = BotApiServer()
    await fake.start("127.0.0.1", 0)
    fake.add_user(USER, "An", "Nguyễn Văn")
    yield fake
    await fake.stop()


@pytest.fixture
async def channel(server: BotApiServer) -> AsyncIterator[HttpChannel]:
    made = HttpChannel(TOKEN, server.base_url, timeout=0.5)
    yield made
    await made.close()


def _text(text: str = "<b>Bài 1</b> — Di chúc") -> dict[str, object]:
    return {
        "chat_id": USER,
        "text": text,
        "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": [[{"text": "Đã đọc", "callback_data": "r:1"}]]},
    }


async def test_a_message_arrives_with_its_html_and_keyboard(
    server: BotApiServer, channel: HttpChannel
) -> None:
    outcome = await channel.send("sendMessage", _text())

    assert outcome == Outcome(Result.SENT)
    [message] = server.messages(USER)
    assert message["text"] == "Bài 1 — Di chúc"
    assert message["entities"][0]["type"] == "bold"
    assert message["reply_markup"]["inline_keyboard"][0][0]["text"] == "Đã đọc"


async def test_telegram_refusals_map_to_outcomes(
    server: BotApiServer, channel: HttpChannel
) -> None:
    server.faults.fail("sendMessage", "429", retry_after=7)
    limited = await channel.send("sendMessage", _text())
    server.faults.fail("sendMessage", "500")
    transient = await channel.send("sendMessage", _text())
    server.block_bot(USER)
    blocked = await channel.send("sendMessage", _text())
    server.unblock_bot(USER)
    refused = await channel.send("sendMessage", {"chat_id": USER, "text": ""})
    unknown_chat = await channel.send("sendMessage", {"chat_id": 999, "text": "Chào"})

    assert (limited.result, limited.retry_after) == (Result.RATE_LIMITED, 7.0)
    assert transient.result is Result.TRANSIENT
    assert blocked.result is Result.BLOCKED
    assert refused.result is Result.FAILED and "empty" in (refused.error or "")
    assert unknown_chat.result is Result.FAILED and "chat not found" in (unknown_chat.error or "")
    assert server.messages(USER) == []


async def test_a_timeout_is_unknown_and_the_token_never_shows(
    server: BotApiServer, channel: HttpChannel
) -> None:
    server.faults.fail("sendMessage", "slow", delay=2.0)

    outcome = await channel.send("sendMessage", _text())

    assert outcome.result is Result.UNKNOWN
    assert TOKEN not in (outcome.error or "")


async def test_a_refused_connection_is_transient_it_never_arrived() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once closed: nobody listens there
    channel = HttpChannel(TOKEN, f"http://127.0.0.1:{port}", timeout=0.5)
    try:
        outcome = await channel.send("sendMessage", _text())
    finally:
        await channel.close()

    assert outcome.result is Result.TRANSIENT
    assert TOKEN not in (outcome.error or "")


async def test_a_malformed_method_or_payload_fails_without_a_request(
    server: BotApiServer, channel: HttpChannel
) -> None:
    bad_method = await channel.send("../getMe", {})
    bad_payload = await channel.send("sendMessage", {"chat_id": USER, "text": {1, 2}})

    assert bad_method.result is Result.FAILED
    assert bad_payload.result is Result.FAILED
    assert server.calls == []


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (502, b"<html>Bad Gateway</html>", Result.TRANSIENT),
        (200, b'{"ok": tr', Result.UNKNOWN),  # cut short after Telegram took it
        (404, b"Not Found", Result.FAILED),
        (400, b'{"ok": false, "error_code": 400, "description": "Bad Request"}', Result.FAILED),
        (429, b'{"ok": false, "error_code": 429, "parameters": {}}', Result.RATE_LIMITED),
    ],
)
def test_odd_answers_have_a_safe_reading(status: int, body: bytes, expected: Result) -> None:
    outcome = outcome_of(status, body)

    assert outcome.result is expected
    if expected is Result.RATE_LIMITED:
        assert outcome.retry_after == 1.0


async def test_a_named_file_is_made_at_send_time_and_posted_as_multipart(
    server: BotApiServer,
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    asked: list[dict[str, Any]] = []

    async def chart(arguments: dict[str, Any]) -> Made:
        asked.append(arguments)
        if arguments["unit_id"] != 7:
            raise CannotMake("no such cell")
        return Made("bieu-do.png", png, "image/png")

    channel = HttpChannel(TOKEN, server.base_url, makers={"chart": chart})
    row = {"chat_id": USER, "caption": "📈 Chi bộ 1", **attach("photo", "chart", unit_id=7)}
    try:
        sent = await channel.send("sendPhoto", row)
        gone = await channel.send("sendPhoto", {**row, **attach("photo", "chart", unit_id=8)})
        unknown = await channel.send("sendPhoto", {**row, **attach("photo", "map", unit_id=7)})
    finally:
        await channel.close()

    assert sent.result is Result.SENT
    assert (gone.result, unknown.result) == (Result.FAILED, Result.FAILED)
    assert asked == [{"unit_id": 7}, {"unit_id": 8}]
    [message] = server.messages(USER)
    assert message["caption"] == "📈 Chi bộ 1" and message["photo"]
