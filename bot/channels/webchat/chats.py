"""The bot itself, its commands and menu button, and what it may learn about chats and members."""

from __future__ import annotations

import json
from typing import Any

from bot.channels.webchat.api import Methods, Params, Registry
from bot.channels.webchat.errors import bad_request
from bot.channels.webchat.state import BOT_ID, Chat

IMPLS = Registry()
ADMIN_RIGHTS = {
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


@IMPLS.add("getMe")
async def get_me(api: Methods, params: Params) -> Any:
    # The local server hands every group message to the bot, so it reports privacy mode off.
    return {
        **api.world.bot,
        "can_join_groups": True,
        "can_read_all_group_messages": True,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _commands_key(params: Params) -> str:
    # Telegram keeps one list per (scope, language); the key only has to tell them apart.
    scope = params.get("scope") or {"type": "default"}
    return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)


@IMPLS.add("setMyCommands")
async def set_my_commands(api: Methods, params: Params) -> Any:
    commands = params["commands"]
    if len(commands) > 100:
        raise bad_request("too many commands")
    for command in commands:
        name = str(command["command"])
        if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command["description"])) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    api.commands[_commands_key(params)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


@IMPLS.add("getMyCommands")
async def get_my_commands(api: Methods, params: Params) -> Any:
    return api.commands.get(_commands_key(params), [])


@IMPLS.add("deleteMyCommands")
async def delete_my_commands(api: Methods, params: Params) -> Any:
    api.commands.pop(_commands_key(params), None)
    return True


@IMPLS.add("setChatMenuButton")
async def set_chat_menu_button(api: Methods, params: Params) -> Any:
    chat_id = params.get("chat_id")
    if chat_id is not None:
        api.known_chat(params)
    api.menu_buttons[chat_id] = params.get("menu_button") or {"type": "default"}
    return True


@IMPLS.add("getChatMenuButton")
async def get_chat_menu_button(api: Methods, params: Params) -> Any:
    found = api.menu_buttons.get(params.get("chat_id")) or api.menu_buttons.get(None)
    return found or {"type": "commands"}


@IMPLS.add("getChat")
async def get_chat(api: Methods, params: Params) -> Any:
    chat = api.known_chat(params)
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


@IMPLS.add("getChatMember")
async def get_chat_member(api: Methods, params: Params) -> Any:
    chat = api.known_chat(params)
    user_id = int(params["user_id"])
    if user_id == BOT_ID:
        status = "left" if chat.bot_left else "member"
        return {"status": status, "user": api.world.bot}
    user = api.world.users.get(user_id)
    if user is None:
        raise bad_request("PARTICIPANT_ID_INVALID")
    return _member(chat, user)


@IMPLS.add("getChatAdministrators")
async def get_chat_administrators(api: Methods, params: Params) -> Any:
    chat = api.known_chat(params)
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    users = api.world.users
    return [_member(chat, users[uid]) for uid in sorted(chat.admins) if uid in users]


@IMPLS.add("getChatMemberCount")
async def get_chat_member_count(api: Methods, params: Params) -> Any:
    chat = api.known_chat(params)
    return len(chat.members) + (0 if chat.bot_left or chat.type == "private" else 1)


@IMPLS.add("leaveChat")
async def leave_chat(api: Methods, params: Params) -> Any:
    chat = api.known_chat(params)
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    chat.bot_left = True
    api.world.touch(chat)
    return True


def _member(chat: Chat, user: dict[str, Any]) -> dict[str, Any]:
    if user["id"] in chat.admins:
        return {"status": "administrator", "user": user, **ADMIN_RIGHTS}
    if user["id"] in chat.members:
        return {"status": "member", "user": user}
    return {"status": "left", "user": user}
