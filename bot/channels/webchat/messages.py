"""Text messages, edits, deletions, button answers and chat actions, with Telegram's errors."""

from __future__ import annotations

import time
from typing import Any

from bot.channels.webchat import limits
from bot.channels.webchat.api import Methods, Params, Registry, markup, set_or_drop
from bot.channels.webchat.errors import bad_request
from bot.channels.webchat.markup import format_text

IMPLS = Registry()
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


@IMPLS.add("sendMessage")
async def send_message(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    text, entities = format_text(params["text"], params.get("parse_mode"), params.get("entities"))
    limits.check_text(text)
    keyboard = markup(params)
    return api.world.add_message(
        chat,
        api.world.bot,
        text=text,
        entities=entities or None,
        reply_markup=keyboard,
        reply_to_message=api.reply_to(chat, params),
    )


def _editable(api: Methods, params: Params) -> tuple[Any, dict[str, Any]]:
    if params.get("inline_message_id"):
        raise bad_request("inline messages are not supported by the local server")
    if params.get("message_id") is None:
        raise bad_request("message identifier is not specified")
    chat = api.target(params)
    message = api.world.message(chat.id, int(params["message_id"]))
    if message["from"]["id"] != api.world.bot["id"]:
        raise bad_request("message can't be edited")
    return chat, message


@IMPLS.add("editMessageText")
async def edit_message_text(api: Methods, params: Params) -> Any:
    chat, message = _editable(api, params)
    text, entities = format_text(params["text"], params.get("parse_mode"), params.get("entities"))
    limits.check_text(text)
    keyboard = markup(params)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    if (text, entities or None, keyboard) == (
        message.get("text"),
        message.get("entities"),
        message.get("reply_markup"),
    ):
        raise bad_request(NOT_MODIFIED)
    message.update(text=text, edit_date=max(int(time.time()), message["date"]))
    set_or_drop(message, "entities", entities or None)
    set_or_drop(message, "reply_markup", keyboard)
    api.world.touch(chat)
    return message


@IMPLS.add("editMessageCaption")
async def edit_message_caption(api: Methods, params: Params) -> Any:
    chat, message = _editable(api, params)
    if not any(k in message for k in ("photo", "document")):
        raise bad_request("there is no caption in the message to edit")
    caption = params.get("caption") or ""
    text, entities = format_text(caption, params.get("parse_mode"), params.get("caption_entities"))
    limits.check_caption(text)
    keyboard = markup(params)
    if (text or None, entities or None, keyboard) == (
        message.get("caption"),
        message.get("caption_entities"),
        message.get("reply_markup"),
    ):
        raise bad_request(NOT_MODIFIED)
    message["edit_date"] = max(int(time.time()), message["date"])
    set_or_drop(message, "caption", text or None)
    set_or_drop(message, "caption_entities", entities or None)
    set_or_drop(message, "reply_markup", keyboard)
    api.world.touch(chat)
    return message


@IMPLS.add("editMessageReplyMarkup")
async def edit_message_reply_markup(api: Methods, params: Params) -> Any:
    chat, message = _editable(api, params)
    keyboard = markup(params)
    if keyboard == message.get("reply_markup"):
        raise bad_request(NOT_MODIFIED)
    set_or_drop(message, "reply_markup", keyboard)
    api.world.touch(chat)
    return message


@IMPLS.add("deleteMessage")
async def delete_message(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    if chat.messages.pop(int(params["message_id"]), None) is None:
        raise bad_request("message to delete not found")
    api.world.touch(chat)
    return True


@IMPLS.add("deleteMessages")
async def delete_messages(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    ids = params["message_ids"]
    if not 1 <= len(ids) <= 100:
        raise bad_request("too many messages to delete" if ids else "message_ids is empty")
    for message_id in ids:
        chat.messages.pop(int(message_id), None)  # Telegram skips the ones already gone
    api.world.touch(chat)
    return True


@IMPLS.add("answerCallbackQuery")
async def answer_callback_query(api: Methods, params: Params) -> Any:
    query = api.world.callbacks.get(params["callback_query_id"])
    if query is None or query.answered:
        raise bad_request(QUERY_TOO_OLD)
    limits.check_alert(params.get("text"))
    query.answered = True
    query.text = params.get("text")
    query.show_alert = bool(params.get("show_alert"))
    query.url = params.get("url")
    chat = api.world.chats.get(query.chat_id)
    if chat is not None:
        api.world.touch(chat)
        if query.text:  # the web page shows it to the presser as a toast, or an alert
            toast = {"text": query.text, "alert": query.show_alert, "user_id": query.user_id}
            chat.toasts.append({**toast, "version": chat.version})
            del chat.toasts[:-20]  # the page only needs the latest few
    return True


@IMPLS.add("sendChatAction")
async def send_chat_action(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    limits.check_chat_action(params["action"])
    chat.action = params["action"]
    api.world.touch(chat)
    return True
