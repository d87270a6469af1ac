"""What simulated people do: write, press buttons, send files, vote; and what they see."""

from __future__ import annotations

from typing import Any

from bot.channels.webchat.faults import Faults
from bot.channels.webchat.media import document, photo_sizes
from bot.channels.webchat.state import CallbackQuery, Chat, StoredFile, World
from bot.channels.webchat.updates import Delivery


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

    def upgrade_group(self, chat_id: int, supergroup_id: int) -> Chat:
        """The group becomes a supergroup with a new id; sends to the old id are refused."""
        return self.world.upgrade_group(chat_id, supergroup_id)

    def block_bot(self, user_id: int) -> None:
        """Make `user_id` block the bot: every send to their private chat gets a 403."""
        self.faults.block_bot(user_id)

    def unblock_bot(self, user_id: int) -> None:
        self.faults.unblock_bot(user_id)

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The chat as it looks now: edits applied, deleted messages gone."""
        chat = self.world.chats.get(chat_id)
        return list(chat.messages.values()) if chat else []

    def last_message(self, chat_id: int) -> dict[str, Any] | None:
        found = self.messages(chat_id)
        return found[-1] if found else None

    def callback_answers(self, chat_id: int | None = None) -> list[CallbackQuery]:
        """Button presses the bot has answered, oldest first, in `chat_id` if given."""
        return [
            q for q in self.world.callbacks.values() if q.answered and chat_id in (None, q.chat_id)
        ]

    async def user_sends_text(
        self, user_id: int, text: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        entities = None
        if text.startswith("/"):
            command = text.split()[0]
            entities = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._user_message(user_id, chat_id, text=text, entities=entities)

    async def user_edits_text(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        """Edit a message the user sent; the bot gets an edited_message update."""
        chat = self.world.chat(chat_id if chat_id is not None else user_id)
        message = self.world.message(chat.id, message_id)
        if message["from"]["id"] != user_id:
            raise ValueError(f"message {message_id} was not sent by user {user_id}")
        message.update(text=text, edit_date=message["date"] + 1)
        self.world.touch(chat)
        return self.delivery.enqueue({"edited_message": message})

    async def user_sends_photo(
        self,
        user_id: int,
        data: bytes,
        filename: str = "photo.jpg",
        *,
        chat_id: int | None = None,
        caption: str | None = None,
        content_type: str = "image/jpeg",
    ) -> dict[str, Any]:
        stored = self._store(data, filename, content_type)
        return self._user_message(user_id, chat_id, photo=photo_sizes(stored), caption=caption)

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
        return self._user_message(user_id, chat_id, document=document(stored), caption=caption)

    async def user_sends_sticker(
        self, user_id: int, *, chat_id: int | None = None, emoji: str = "👍"
    ) -> dict[str, Any]:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "sticker-1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(user_id, chat_id, sticker=sticker)

    async def user_presses(
        self, user_id: int, chat_id: int, message_id: int, callback_data: str
    ) -> dict[str, Any]:
        """Press a button that the message really has; raise ValueError if it has none such."""
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
        query = CallbackQuery(
            self.world.new_id("cb-"), user_id, chat_id, message_id, callback_data
        )
        self.world.callbacks[query.id] = query
        return self.delivery.enqueue(
            {
                "callback_query": {
                    "id": query.id,
                    "from": self.world.user(user_id),
                    "message": message,
                    "chat_instance": str(chat_id),
                    "data": callback_data,
                }
            }
        )

    async def user_answers_poll(
        self, user_id: int, poll_id: str, option_ids: list[int]
    ) -> dict[str, Any]:
        """Vote (an empty list takes the vote back); return the poll_answer, or the poll update
        of an anonymous poll, which is all Telegram tells the bot then."""
        # Anyone may vote, members or not: a forwarded poll takes votes wherever it is seen.
        voter = self.world.user(user_id)
        record = self.world.polls[poll_id]
        chat = self.world.chat(record.chat_id)
        poll = self.world.message(chat.id, record.message_id)["poll"]
        self._check_vote(poll, record.votes.get(user_id), option_ids)
        if option_ids:
            record.votes[user_id] = list(option_ids)
        else:
            record.votes.pop(user_id, None)
        for n, option in enumerate(poll["options"]):
            option["voter_count"] = sum(n in chosen for chosen in record.votes.values())
        poll["total_voter_count"] = len(record.votes)
        self.world.touch(chat)
        answer = None
        if not poll["is_anonymous"]:
            answer = self.delivery.enqueue(
                {
                    "poll_answer": {
                        "poll_id": poll_id,
                        "user": voter,
                        "option_ids": list(option_ids),
                        "option_persistent_ids": [
                            poll["options"][i]["persistent_id"] for i in option_ids
                        ],
                    }
                }
            )
        # Telegram also sends the new state of every poll the bot sent.
        state = self.delivery.enqueue({"poll": poll})
        return answer or state

    @staticmethod
    def _check_vote(poll: dict[str, Any], before: list[int] | None, chosen: list[int]) -> None:
        if poll["is_closed"]:
            raise ValueError("the poll is closed")
        known = range(len(poll["options"]))
        if any(i not in known for i in chosen) or len(set(chosen)) != len(chosen):
            raise ValueError(f"no such options: {chosen}")
        if len(chosen) > 1 and not poll["allows_multiple_answers"]:
            raise ValueError("this poll takes one answer")
        if before is not None and not poll["allows_revoting"]:
            raise ValueError("a vote in this poll cannot be changed")
        if before is None and not chosen:
            raise ValueError("there is no vote to take back")

    def _store(self, data: bytes, filename: str, content_type: str) -> StoredFile:
        stored = StoredFile(self.world.new_id("upload-"), data, filename, content_type)
        self.world.files[stored.file_id] = stored
        return stored

    def _user_message(self, user_id: int, chat_id: int | None, **content: Any) -> dict[str, Any]:
        chat = self.world.chat(chat_id if chat_id is not None else user_id)
        if user_id not in chat.members:
            raise ValueError(f"user {user_id} is not in chat {chat.id}")
        message = self.world.add_message(chat, self.world.user(user_id), **content)
        return self.delivery.enqueue({"message": message})
