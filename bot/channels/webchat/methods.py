"""The Bot API methods the bot uses, with Telegram's semantics and errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.webchat import limits
from bot.channels.webchat.errors import BLOCKED, bad_request
from bot.channels.webchat.markup import format_text
from bot.channels.webchat.spec import Upload
from bot.channels.webchat.world import BOT_ID, Chat, StoredFile, World

Params = dict[str, Any]
Impl = Callable[["Methods", Params], Awaitable[Any]]
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_IMPLS: dict[str, Impl] = {}


def implements(name: str) -> Callable[[Impl], Impl]:
    def register(impl: Impl) -> Impl:
        _IMPLS[name.lower()] = impl
        return impl

    return register


class Methods:
    def __init__(self, world: World, blocked: set[int]) -> None:
        self.world = world
        self.blocked = blocked
        self.commands: dict[str, Any] = {}
        self.webhook: dict[str, Any] = {}

    def find(self, name: str) -> Impl | None:
        return _IMPLS.get(name.lower())

    def target(self, params: Params) -> Chat:
        chat_id = params.get("chat_id")
        if isinstance(chat_id, str) and not chat_id.lstrip("-").isdigit():
            raise bad_request("chat not found")
        chat = self.world.chat(int(chat_id)) if chat_id is not None else None
        if chat is None:
            raise bad_request("chat not found")
        if chat.type == "private" and chat.id in self.blocked:
            raise BLOCKED
        return chat

    def store_file(self, value: Any, kind: str) -> StoredFile:
        if isinstance(value, Upload):
            stored = StoredFile(
                self.world.new_id(f"{kind}-"), value.data, value.filename, value.content_type
            )
            self.world.files[stored.file_id] = stored
            return stored
        known = self.world.files.get(str(value))
        if known is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return known


def _markup(params: Params) -> dict[str, Any] | None:
    markup = params.get("reply_markup")
    limits.check_markup(markup)
    return markup if markup and markup.get("inline_keyboard") is not None else None


@implements("getMe")
async def get_me(api: Methods, params: Params) -> Any:
    return {
        **api.world.bot,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


@implements("sendMessage")
async def send_message(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    limits.check_text(params["text"])
    text, entities = format_text(params["text"], params.get("parse_mode"), params.get("entities"))
    limits.check_text(text)
    return api.world.add_message(
        chat, api.world.bot, text=text, entities=entities or None, reply_markup=_markup(params)
    )


@implements("editMessageText")
async def edit_message_text(api: Methods, params: Params) -> Any:
    if params.get("inline_message_id"):
        raise bad_request("inline messages are not supported by the local server")
    chat = api.target(params)
    message = api.world.message(chat.id, int(params.get("message_id") or 0))
    limits.check_text(params["text"])
    text, entities = format_text(params["text"], params.get("parse_mode"), params.get("entities"))
    markup = _markup(params)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    if (text, entities or None, markup) == (
        message.get("text"),
        message.get("entities"),
        message.get("reply_markup"),
    ):
        raise bad_request(NOT_MODIFIED)
    message.update(text=text, edit_date=message["date"] + 1)
    _set_or_drop(message, "entities", entities or None)
    _set_or_drop(message, "reply_markup", markup)
    api.world.touch(chat)
    return message


@implements("editMessageReplyMarkup")
async def edit_message_reply_markup(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    message = api.world.message(chat.id, int(params.get("message_id") or 0))
    markup = _markup(params)
    if markup == message.get("reply_markup"):
        raise bad_request(NOT_MODIFIED)
    _set_or_drop(message, "reply_markup", markup)
    api.world.touch(chat)
    return message


@implements("deleteMessage")
async def delete_message(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    if chat.messages.pop(int(params["message_id"]), None) is None:
        raise bad_request("message to delete not found")
    api.world.touch(chat)
    return True


@implements("answerCallbackQuery")
async def answer_callback_query(api: Methods, params: Params) -> Any:
    query = api.world.callbacks.get(params["callback_query_id"])
    if query is None or query["answered"]:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    limits.check_alert(params.get("text"))
    query.update(answered=True, text=params.get("text"), show_alert=params.get("show_alert"))
    chat = api.world.chats.get(query["chat_id"])
    if chat is not None and params.get("text"):
        chat.toasts.append({"text": params["text"], "alert": bool(params.get("show_alert"))})
        api.world.touch(chat)
    return True


async def _send_file(api: Methods, params: Params, kind: str) -> Any:
    chat = api.target(params)
    caption = params.get("caption")
    limits.check_caption(caption)
    stored = api.store_file(params[kind], kind)
    text, entities = (
        format_text(caption, params.get("parse_mode"), None) if caption else (None, [])
    )
    size = len(stored.data)
    if kind == "photo":
        content: Any = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_id,
                "width": 800,
                "height": 600,
                "file_size": size,
            }
        ]
    else:
        content = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_id,
            "file_name": stored.filename,
            "mime_type": stored.content_type,
            "file_size": size,
        }
    return api.world.add_message(
        chat,
        api.world.bot,
        caption=text,
        caption_entities=entities or None,
        reply_markup=_markup(params),
        **{kind: content},
    )


@implements("sendPhoto")
async def send_photo(api: Methods, params: Params) -> Any:
    return await _send_file(api, params, "photo")


@implements("sendDocument")
async def send_document(api: Methods, params: Params) -> Any:
    return await _send_file(api, params, "document")


@implements("getFile")
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


@implements("sendPoll")
async def send_poll(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    options = params["options"]
    limits.check_poll(params["question"], options)
    poll_id = api.world.new_id("poll-")
    correct = params.get("correct_option_ids") or (
        [params["correct_option_id"]] if "correct_option_id" in params else None
    )
    poll: dict[str, Any] = {
        "id": poll_id,
        "question": params["question"],
        "options": [
            {
                "persistent_id": f"{poll_id}-{n}",
                "voter_count": 0,
                "text": o["text"] if isinstance(o, dict) else str(o),
            }
            for n, o in enumerate(options)
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": params.get("is_anonymous", True),
        "type": params.get("type", "regular"),
        "allows_multiple_answers": bool(params.get("allows_multiple_answers")),
        "allows_revoting": bool(params.get("allows_revoting")),
        "members_only": bool(params.get("members_only")),
    }
    if correct is not None:
        poll["correct_option_id"] = int(correct[0])
    if params.get("open_period"):
        poll["open_period"] = params["open_period"]
    message = api.world.add_message(chat, api.world.bot, poll=poll, reply_markup=_markup(params))
    api.world.polls[poll_id] = {"chat_id": chat.id, "message_id": message["message_id"]}
    return message


@implements("stopPoll")
async def stop_poll(api: Methods, params: Params) -> Any:
    chat = api.target(params)
    message = api.world.message(chat.id, int(params["message_id"]))
    poll = message.get("poll")
    if poll is None:
        raise bad_request("message with poll to stop not found")
    if poll["is_closed"]:
        raise bad_request("poll has already been closed")
    poll["is_closed"] = True
    api.world.touch(chat)
    return poll


@implements("sendChatAction")
async def send_chat_action(api: Methods, params: Params) -> Any:
    api.target(params)
    return True


@implements("setMyCommands")
async def set_my_commands(api: Methods, params: Params) -> Any:
    api.commands[params.get("language_code", "")] = params["commands"]
    return True


@implements("getMyCommands")
async def get_my_commands(api: Methods, params: Params) -> Any:
    return api.commands.get(params.get("language_code", ""), [])


@implements("deleteMyCommands")
async def delete_my_commands(api: Methods, params: Params) -> Any:
    api.commands.pop(params.get("language_code", ""), None)
    return True


@implements("setChatMenuButton")
async def set_chat_menu_button(api: Methods, params: Params) -> Any:
    return True


@implements("getChat")
async def get_chat(api: Methods, params: Params) -> Any:
    chat = api.world.chat(int(params["chat_id"]))
    return {
        **api.world.chat_json(chat),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


@implements("getChatMember")
async def get_chat_member(api: Methods, params: Params) -> Any:
    chat = api.world.chat(int(params["chat_id"]))
    user_id = int(params["user_id"])
    user = api.world.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    return _member(chat, user)


@implements("getChatAdministrators")
async def get_chat_administrators(api: Methods, params: Params) -> Any:
    chat = api.world.chat(int(params["chat_id"]))
    return [
        _member(chat, api.world.users[uid])
        for uid in sorted(chat.admins)
        if uid in api.world.users
    ]


@implements("leaveChat")
async def leave_chat(api: Methods, params: Params) -> Any:
    chat = api.world.chat(int(params["chat_id"]))
    chat.members.discard(BOT_ID)
    return True


def _member(chat: Chat, user: dict[str, Any]) -> dict[str, Any]:
    if user["id"] in chat.admins:
        return {
            "status": "administrator",
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
            "can_manage_chat": True,
            "can_delete_messages": True,
            "can_manage_video_chats": True,
            "can_restrict_members": True,
            "can_promote_members": False,
            "can_change_info": True,
            "can_invite_users": True,
            "can_post_stories": False,
            "can_edit_stories": False,
            "can_delete_stories": False,
        }
    if user["id"] in chat.members:
        return {"status": "member", "user": user}
    return {"status": "left", "user": user}


def _set_or_drop(message: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        message.pop(key, None)
    else:
        message[key] = value
