"""Screens as Bot API call parameters, for messages that go through the outbox."""

from __future__ import annotations

from typing import Any

from bot.screens.base import Screen


def send_message(chat_id: int, screen: Screen) -> dict[str, Any]:
    """Return sendMessage parameters showing `screen` (HTML text, inline keyboard)."""
    params: dict[str, Any] = {"chat_id": chat_id, "text": screen.text, "parse_mode": "HTML"}
    if screen.rows:
        params["reply_markup"] = {
            "inline_keyboard": [
                [
                    {"text": b.label, "callback_data": b.action.pack()}
                    if b.action
                    else {"text": b.label, "url": b.url}
                    for b in row
                ]
                for row in screen.rows
            ]
        }
    return params
