"""Test driver: a person in a chat, talking to the bot through the fake Bot API server.

Handler tests feed each update straight to the app (no polling, no waiting); the end-to-end
tests let the bot process poll the same server over HTTP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.channels.webchat import BotApiServer, parse_html

Handle = Callable[[dict[str, Any]], Awaitable[None]]
Update = dict[str, Any]


class PilotFactory(Protocol):
    def __call__(self, user_id: int, *, chat_id: int | None = None) -> Pilot: ...


class Pilot:
    def __init__(
        self,
        server: BotApiServer,
        user_id: int,
        handle: Handle | None = None,
        *,
        chat_id: int | None = None,
    ) -> None:
        self.server = server
        self.user_id = user_id
        self.chat_id = chat_id if chat_id is not None else user_id
        self._handle = handle

    async def send(self, text: str) -> dict[str, Any]:
        update: Update = await self.server.user_sends_text(
            self.user_id, text, chat_id=self.chat_id
        )
        await self._deliver(update)
        return update

    async def press(self, label: str) -> dict[str, Any]:
        """Press the button labelled `label` on the newest bot message that has it."""
        for message in reversed(self.server.messages(self.chat_id)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label:
                        update: Update = await self.server.user_presses(
                            self.user_id,
                            self.chat_id,
                            message["message_id"],
                            button["callback_data"],
                        )
                        await self._deliver(update)
                        return update
        raise AssertionError(f"no button {label!r}; screen: {self.screen()}")

    async def forge(self, data: str) -> dict[str, Any]:
        """Press a button with made-up callback data on the newest bot message."""
        message = self.bot_messages()[-1]
        update: Update = await self.server.user_sends_callback_raw(
            self.user_id, self.chat_id, message["message_id"], data
        )
        await self._deliver(update)
        return update

    def bot_messages(self) -> list[dict[str, Any]]:
        return [m for m in self.server.messages(self.chat_id) if m["from"]["is_bot"]]

    def screen(self) -> tuple[str, list[str]]:
        """The newest bot message: its text and its button labels."""
        messages = self.bot_messages()
        if not messages:
            return "", []
        last = messages[-1]
        rows = (last.get("reply_markup") or {}).get("inline_keyboard", [])
        return last.get("text", ""), [b["text"] for row in rows for b in row]

    def text(self) -> str:
        return self.screen()[0]

    def buttons(self) -> list[str]:
        return self.screen()[1]

    async def _deliver(self, update: dict[str, Any]) -> None:
        if self._handle is not None:
            await self._handle(update)


def plain(html: str) -> str:
    """The text a person sees for an HTML-formatted message (tags become formatting)."""
    return parse_html(html)[0]
