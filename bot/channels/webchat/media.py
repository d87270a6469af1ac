"""Photos, documents, files and polls, shaped as the Bot API returns them."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.channels.webchat import limits
from bot.channels.webchat.api import Methods, Params, Registry, markup
from bot.channels.webchat.errors import bad_request
from bot.channels.webchat.markup import format_text
from bot.channels.webchat.state import PollRecord, StoredFile

IMPLS = Registry()


def photo_sizes(stored: StoredFile) -> list[dict[str, Any]]:
    # One size only: the server does not resize, and aiogram only needs the list to be there.
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_id,
            "width": 800,
            "height": 600,
            "file_size": len(stored.data),
        }
    ]


def document(stored: StoredFile) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_id,
        "file_name": stored.filename,
        "mime_type": stored.content_type,
        "file_size": len(stored.data),
    }


async def _send_file(api: Methods, params: Params, kind: str) -> Any:
    chat = api.target(params)
    stored = api.store_file(params[kind], kind)
    caption, entities = format_text(
        params.get("caption") or "", params.get("parse_mode"), params.get("caption_entities")
    )
    limits.check_caption(caption)
    content = photo_sizes(stored) if kind == "photo" else document(stored)
    return api.world.add_message(
        chat,
        api.world.bot,
        caption=caption or None,
        caption_entities=entities or None,
        reply_markup=markup(params),
        reply_to_message=api.reply_to(chat, params),
        **{kind: content},
    )


@IMPLS.add("sendPhoto")
async def send_photo(api: Methods, params: Params) -> Any:
    return await _send_file(api, params, "photo")


@IMPLS.add("sendDocument")
async def send_document(api: Methods, params: Params) -> Any:
    return await _send_file(api, params, "document")


@IMPLS.add("getFile")
async def get_file(api: Methods, params: Params) -> Any:
    stored = api.world.files.get(params["file_id"])
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_id,
        "file_size": len(stored.data),
        "file_path": f"files/{stored.file_id}",
    }


@IMPLS.add("sendPoll")
async def send_poll(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    correct = limits.check_poll(params, int(time.time()))
    poll_id = api.world.new_id("poll-")
    poll: dict[str, Any] = {
        "id": poll_id,
        "question": params["question"],
        "options": [
            {"persistent_id": f"{poll_id}-{n}", "text": option["text"], "voter_count": 0}
            for n, option in enumerate(params["options"])
        ],
        "total_voter_count": 0,
        "is_closed": bool(params.get("is_closed")),
        "is_anonymous": params.get("is_anonymous", True),
        "type": params.get("type", "regular"),
        "allows_multiple_answers": bool(params.get("allows_multiple_answers")),
        "allows_revoting": params.get("allows_revoting", params.get("type") != "quiz"),
        "members_only": bool(params.get("members_only")),
    }
    if correct:
        poll["correct_option_ids"] = correct
        poll["correct_option_id"] = correct[0]  # the older field, still read by many bots
    for key in ("explanation", "open_period", "close_date"):
        if params.get(key):
            poll[key] = params[key]
    message = api.world.add_message(
        chat,
        api.world.bot,
        poll=poll,
        reply_markup=markup(params),
        reply_to_message=api.reply_to(chat, params),
    )
    record = PollRecord(chat.id, message["message_id"])
    api.world.polls[poll_id] = record
    seconds = _seconds_open(params, message["date"])
    if seconds is not None:
        loop = asyncio.get_running_loop()
        record.closer = loop.call_later(seconds, close_poll, api, poll_id)
    return message


def _seconds_open(params: Params, sent_at: int) -> float | None:
    if params.get("open_period"):
        return float(params["open_period"])
    if params.get("close_date"):
        return max(0.0, float(params["close_date"] - sent_at))
    return None


def close_poll(api: Methods, poll_id: str) -> dict[str, Any] | None:
    """Close a poll and tell the bot, as Telegram does when a poll stops; None if already shut."""
    record = api.world.polls[poll_id]
    if record.closer is not None:
        record.closer.cancel()
        record.closer = None
    chat = api.world.chats.get(record.chat_id)
    message = chat.messages.get(record.message_id) if chat else None
    if chat is None or message is None or message["poll"]["is_closed"]:
        return None
    poll: dict[str, Any] = message["poll"]
    poll["is_closed"] = True
    api.world.touch(chat)
    api.enqueue({"poll": poll})
    return poll


@IMPLS.add("stopPoll")
async def stop_poll(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    message = api.world.message(
        chat.id, int(params["message_id"]), missing="message with poll to stop not found"
    )
    poll = message.get("poll")
    if poll is None:
        raise bad_request("message with poll to stop not found")
    if poll["is_closed"]:
        raise bad_request("poll has already been closed")
    keyboard = markup(params)
    if keyboard is not None:
        message["reply_markup"] = keyboard
    return close_poll(api, poll["id"])
