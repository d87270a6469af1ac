"""What simulated people do: write, press buttons, send files, vote; and what they see."""

from __future__ import annotations

from typing import Any

from bot.channels.webchat.faults import Faults
from bot.channels.webchat.updates import Delivery
from bot.channels.webchat.world import Chat, StoredFile, World


class People:
    world: World
    delivery: Delivery
    faults: Faults

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "vi",
    ) -> dict[str, Any]:
        return self.world.add_user(user_id, first_name, last_name, username, language_code)

    def add_group(
        self, chat_id: int, title: str, member_ids: list[int], admin_ids: list[int] | None = None
    ) -> Chat:
        return self.world.add_group(chat_id, title, member_ids, admin_ids)

    def block_bot(self, user_id: int) -> None:
        self.faults.block_bot(user_id)

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        chat = self.world.chats.get(chat_id)
        return list(chat.messages.values()) if chat else []

    def last_message(self, chat_id: int) -> dict[str, Any] | None:
        found = self.messages(chat_id)
        return found[-1] if found else None

    async def user_sends_text(
        self, user_id: int, text: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        entities = None
        if text.startswith("/"):
            command = text.split()[0]
            entities = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._user_message(user_id, chat_id, text=text, entities=entities)

    async def user_sends_photo(
        self,
        user_id: int,
        data: bytes,
        filename: str = "photo.jpg",
        *,
        chat_id: int | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        stored = self._store(data, filename, "image/jpeg")
        photo = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_id,
                "width": 800,
                "height": 600,
                "file_size": len(data),
            }
        ]
        return self._user_message(user_id, chat_id, photo=photo, caption=caption)

    async def user_sends_document(
        self,
        user_id: int,
        data: bytes,
        filename: str,
        *,
        chat_id: int | None = None,
        caption: str | None = None,
        content_type: str = "application/octet-stream",
    ) -> dict[str, Any]:
        stored = self._store(data, filename, content_type)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_id,
            "file_name": filename,
            "mime_type": content_type,
            "file_size": len(data),
        }
        return self._user_message(user_id, chat_id, document=document, caption=caption)

    async def user_sends_sticker(
        self, user_id: int, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "sticker-1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._user_message(user_id, chat_id, sticker=sticker)

    async def user_presses(
        self, user_id: int, chat_id: int, message_id: int, callback_data: str
    ) -> dict[str, Any]:
        """Press a button that the message really has."""
        message = self.world.message(chat_id, message_id)
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if not any(b.get("callback_data") == callback_data for row in rows for b in row):
            raise ValueError(f"message {message_id} has no button with data {callback_data!r}")
        return await self.user_sends_callback_raw(user_id, chat_id, message_id, callback_data)

    async def user_sends_callback_raw(
        self, user_id: int, chat_id: int, message_id: int, callback_data: str
    ) -> dict[str, Any]:
        """Send any callback data, as a forged or stale client would."""
        message = self.world.message(chat_id, message_id)
        query_id = self.world.new_id("cb-")
        self.world.callbacks[query_id] = {"answered": False, "chat_id": chat_id}
        return self._enqueue(
            callback_query={
                "id": query_id,
                "from": self._user(user_id),
                "message": dict(message),
                "chat_instance": str(chat_id),
                "data": callback_data,
            }
        )

    async def user_answers_poll(
        self, user_id: int, poll_id: str, option_ids: list[int]
    ) -> dict[str, Any]:
        where = self.world.polls[poll_id]
        message = self.world.message(where["chat_id"], where["message_id"])
        poll = message["poll"]
        if poll["is_closed"]:
            raise ValueError("the poll is closed")
        for index in option_ids:
            poll["options"][index]["voter_count"] += 1
        poll["total_voter_count"] += 1
        self.world.touch(self.world.chat(where["chat_id"]))
        if poll["is_anonymous"]:
            return self._enqueue(poll=dict(poll))
        return self._enqueue(
            poll_answer={
                "poll_id": poll_id,
                "user": self._user(user_id),
                "option_ids": option_ids,
                "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in option_ids],
            }
        )

    def _user(self, user_id: int) -> dict[str, Any]:
        user = self.world.users.get(user_id)
        if user is None:
            raise ValueError(f"unknown user {user_id}; add_user() first")
        return user

    def _store(self, data: bytes, filename: str, content_type: str) -> StoredFile:
        stored = StoredFile(self.world.new_id("upload-"), data, filename, content_type)
        self.world.files[stored.file_id] = stored
        return stored

    def _user_message(self, user_id: int, chat_id: int | None, **content: Any) -> dict[str, Any]:
        chat = self.world.chat(chat_id if chat_id is not None else user_id)
        if chat.type != "private" and user_id not in chat.members:
            raise ValueError(f"user {user_id} is not in chat {chat.id}")
        message = self.world.add_message(chat, self._user(user_id), **content)
        return self._enqueue(message=message)

    def _enqueue(self, **body: Any) -> dict[str, Any]:
        update = {"update_id": self.world.next_update_id(), **body}
        self.delivery.enqueue(update)
        return update
