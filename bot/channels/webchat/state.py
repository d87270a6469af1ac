"""The simulated Telegram world: the bot, users, chats, messages, updates, files and polls."""

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
    type: str  # "private", "group" or "supergroup"
    title: str | None = None
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_message_id: int = 1
    version: int = 0  # the world's version at this chat's last change; the page polls on it
    toasts: list[dict[str, Any]] = field(default_factory=list)
    bot_left: bool = False
    migrated_to: int | None = None  # a group upgraded to this supergroup: sends are refused
    action: str | None = None  # the last sendChatAction until the bot's next message


@dataclass
class StoredFile:
    file_id: str
    data: bytes
    filename: str
    content_type: str


@dataclass
class CallbackQuery:
    """A button press waiting for answerCallbackQuery, and the answer once given."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None


@dataclass
class PollRecord:
    chat_id: int
    message_id: int
    votes: dict[int, list[int]] = field(default_factory=dict)  # user id → chosen options
    closer: asyncio.TimerHandle | None = None


class World:
    def __init__(self) -> None:
        self.bot = dict(BOT_USER)
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.polls: dict[str, PollRecord] = {}
        self.updates: list[dict[str, Any]] = []  # not yet confirmed by the bot
        self.version = 0
        self.closed = False
        # Replaced on every change: whoever waits holds the old one, which is then set. This
        # wakes every waiter without a task per change, and works before the loop runs.
        self._changed = asyncio.Event()
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)

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
        self,
        chat_id: int,
        title: str,
        member_ids: list[int],
        admin_ids: list[int] | None = None,
    ) -> Chat:
        if chat_id >= 0:
            raise ValueError("group chat ids are negative on Telegram")
        admins = set(admin_ids or [])
        chat = Chat(chat_id, "group", title, set(member_ids) | admins, admins)
        self.chats[chat_id] = chat
        self.touch()
        return chat

    def upgrade_group(self, chat_id: int, supergroup_id: int) -> Chat:
        """Upgrade a group to a supergroup with a new id, as Telegram does (to -100…)."""
        old = self.chat(chat_id)
        new = Chat(supergroup_id, "supergroup", old.title, set(old.members), set(old.admins))
        old.migrated_to = supergroup_id
        self.chats[supergroup_id] = new
        self.touch()
        return new

    def chat(self, chat_id: int) -> Chat:
        found = self.chats.get(chat_id)
        if found is None:
            raise bad_request("chat not found")
        return found

    def user(self, user_id: int) -> dict[str, Any]:
        found = self.users.get(user_id)
        if found is None:
            raise ValueError(f"unknown user {user_id}; add_user() first")
        return found

    def chat_json(self, chat: Chat) -> dict[str, Any]:
        if chat.type == "private":
            user = self.users.get(chat.id, {})
            data: dict[str, Any] = {
                "id": chat.id,
                "type": "private",
                "first_name": user.get("first_name", ""),
            }
            for key in ("last_name", "username"):
                if user.get(key):
                    data[key] = user[key]
            return data
        return {"id": chat.id, "type": chat.type, "title": chat.title or ""}

    # -- messages ---------------------------------------------------------------------------
    def add_message(self, chat: Chat, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        """Store a message; ids grow per chat, as in Telegram's private chats and groups."""
        message = {
            "message_id": chat.next_message_id,
            "date": int(time.time()),
            "chat": self.chat_json(chat),
            "from": sender,
            **{k: v for k, v in content.items() if v is not None},
        }
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        if sender.get("is_bot"):
            chat.action = None  # Telegram clears "typing…" when the message arrives
        self.touch(chat)
        return message

    def message(
        self, chat_id: int, message_id: int, missing: str = "message to edit not found"
    ) -> dict[str, Any]:
        found = self.chat(chat_id).messages.get(message_id)
        if found is None:
            raise bad_request(missing)
        return found

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def next_update_id(self) -> int:
        return next(self._update_ids)

    # -- change notification ----------------------------------------------------------------
    def touch(self, chat: Chat | None = None) -> None:
        """Record a change and wake whoever waits on the world."""
        self.version += 1
        if chat is not None:
            chat.version = self.version
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> None:  # noqa: ASYNC109
        """Wait until `predicate()` holds, re-checked whenever the world changes."""
        async with asyncio.timeout(timeout):
            while not predicate() and not self.closed:
                await self._changed.wait()

    def close(self) -> None:
        """Release every waiter (long polls end at once) and stop the poll timers."""
        self.closed = True
        self.touch()
        for record in self.polls.values():
            if record.closer is not None:
                record.closer.cancel()
