"""The simulated Telegram world: users, chats, messages, updates, files and polls."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.channels.webchat.errors import bad_request

BOT_ID = 1000
BOT_USER: dict[str, Any] = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "hocbac",
    "username": "hocbac_bot",
}


@dataclass(frozen=True)
class Persona:
    """A person the web page lets you play."""

    user_id: int
    first_name: str
    last_name: str | None = None
    label: str = ""
    hint: str = ""
    start_text: str | None = None


@dataclass
class Chat:
    id: int
    type: str  # "private" or "group"
    title: str | None = None
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_message_id: int = 1
    version: int = 0
    toasts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class StoredFile:
    file_id: str
    data: bytes
    filename: str
    content_type: str


class World:
    def __init__(self) -> None:
        self.bot = dict(BOT_USER)
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.callbacks: dict[str, dict[str, Any]] = {}  # id → {"answered": bool, "answer": …}
        self.polls: dict[str, dict[str, Any]] = {}
        self.updates: list[dict[str, Any]] = []  # not yet confirmed
        self.changed = asyncio.Condition()
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)
        self._pending: set[asyncio.Task[None]] = set()

    # -- people and chats -------------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "vi",
    ) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        self.users[user_id] = user
        self.chats.setdefault(user_id, Chat(user_id, "private", members={user_id}))
        return user

    def add_group(
        self, chat_id: int, title: str, member_ids: list[int], admin_ids: list[int] | None = None
    ) -> Chat:
        chat = Chat(chat_id, "group", title, set(member_ids), set(admin_ids or []))
        self.chats[chat_id] = chat
        return chat

    def chat(self, chat_id: int) -> Chat:
        found = self.chats.get(chat_id)
        if found is None:
            raise bad_request("chat not found")
        return found

    def chat_json(self, chat: Chat) -> dict[str, Any]:
        if chat.type == "private":
            user = self.users.get(chat.id, {})
            data: dict[str, Any] = {
                "id": chat.id,
                "type": "private",
                "first_name": user.get("first_name", ""),
            }
            if user.get("last_name"):
                data["last_name"] = user["last_name"]
            return data
        return {"id": chat.id, "type": chat.type, "title": chat.title or ""}

    # -- messages ---------------------------------------------------------------------------
    def add_message(self, chat: Chat, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        message = {
            "message_id": chat.next_message_id,
            "date": int(time.time()),
            "chat": self.chat_json(chat),
            "from": sender,
            **{k: v for k, v in content.items() if v is not None},
        }
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        self.touch(chat)
        return message

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        found = self.chat(chat_id).messages.get(message_id)
        if found is None:
            raise bad_request("message to edit not found")
        return found

    def touch(self, chat: Chat | None = None) -> None:
        """Record a change and wake whoever waits on the world."""
        if chat is not None:
            chat.version += 1
        task = asyncio.get_running_loop().create_task(self._notify())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    # -- updates ----------------------------------------------------------------------------
    def next_update_id(self) -> int:
        return next(self._update_ids)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> None:  # noqa: ASYNC109
        """Wait until `predicate()` holds, re-checked whenever the world changes."""
        async with asyncio.timeout(timeout):
            async with self.changed:
                await self.changed.wait_for(predicate)
