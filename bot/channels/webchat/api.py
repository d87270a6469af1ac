"""What the Bot API method implementations share: the world, lookups with Telegram's errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.webchat import limits
from bot.channels.webchat.errors import BLOCKED, NOT_MEMBER, bad_request, upgraded
from bot.channels.webchat.spec import Upload
from bot.channels.webchat.state import Chat, StoredFile, World

Params = dict[str, Any]
Impl = Callable[["Methods", Params], Awaitable[Any]]


class Registry(dict[str, Impl]):
    """Method implementations by lower-case name."""

    def add(self, name: str) -> Callable[[Impl], Impl]:
        def register(impl: Impl) -> Impl:
            self[name.lower()] = impl
            return impl

        return register


class Methods:
    def __init__(
        self,
        world: World,
        blocked: set[int],
        enqueue: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> None:
        self.world = world
        self.blocked = blocked
        self.enqueue = enqueue  # hands an update body to the delivery, which numbers it
        self.commands: dict[str, Any] = {}
        self.menu_buttons: dict[int | None, Any] = {}

    def known_chat(self, params: Params) -> Chat:
        """The chat a call names; usernames and unknown ids are "chat not found"."""
        chat_id = params.get("chat_id")
        if isinstance(chat_id, str):
            chat_id = int(chat_id) if chat_id.removeprefix("-").isdigit() else None
        if chat_id is None:
            raise bad_request("chat not found")
        return self.world.chat(chat_id)

    def target(self, params: Params) -> Chat:
        """The chat a call writes to; refused as Telegram refuses a blocked or left chat."""
        chat = self.known_chat(params)
        if chat.type == "private" and chat.id in self.blocked:
            raise BLOCKED
        if chat.type != "private" and chat.bot_left:
            raise NOT_MEMBER
        if chat.migrated_to is not None:
            raise upgraded(chat.migrated_to)
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

    def reply_to(self, chat: Chat, params: Params) -> dict[str, Any] | None:
        """The message a send replies to, as Telegram embeds it (without its own reply)."""
        reply = params.get("reply_parameters")
        if not reply:
            return None
        found = chat.messages.get(int(reply["message_id"]))
        if found is None:
            if reply.get("allow_sending_without_reply") in (True, "true"):
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in found.items() if k != "reply_to_message"}


def markup(params: Params) -> dict[str, Any] | None:
    """The inline keyboard of a call, checked; other keyboards have no place in the web chat."""
    found = params.get("reply_markup")
    limits.check_markup(found)
    return found if found and found.get("inline_keyboard") is not None else None


def set_or_drop(message: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        message.pop(key, None)
    else:
        message[key] = value
