"""What a quiz night needs from its group chat, and how a send to it can fail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.screens import quiz_nights as screens
from bot.screens.base import Screen


class SendFailed(Exception):
    """A group send did not go through; `retry_after` when Telegram said how long to wait,
    `lost` when the group refuses the bot for good (trying again would be refused again),
    `moved_to` when the group became a supergroup under that new chat id."""

    def __init__(
        self,
        message: str,
        retry_after: float | None = None,
        *,
        lost: bool = False,
        moved_to: int | None = None,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.lost = lost
        self.moved_to = moved_to


@dataclass(frozen=True)
class SentPoll:
    message_id: int
    poll_id: str


class GroupPort(Protocol):
    """What a night needs from the chat: implemented over the Bot API in bot/channels."""

    async def send_poll(self, chat_id: int, poll: screens.PollSpec) -> SentPoll: ...

    async def send(self, chat_id: int, screen: Screen) -> int: ...

    async def edit(self, chat_id: int, message_id: int, screen: Screen) -> None: ...

    async def stop_poll(self, chat_id: int, message_id: int) -> None: ...
