"""Screens: what the user sees, with no chat framework in sight.

The rule for dividing the work (settled while building joining): a screen function decides
*what* is shown — the text (already HTML-escaped where it holds user data) and the buttons, each
carrying a typed action. The handler decides *how*: a new message, or an edit of the message
whose button was pressed. `bot/dispatch/render.py` is the only code that turns a Screen into
Bot API calls, and it falls back to a numbered list where a channel has no buttons.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from bot.actions import Action


@dataclass(frozen=True)
class Button:
    label: str
    action: Action | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.action is None) == (self.url is None):
            raise ValueError("a button carries exactly one of action and url")


@dataclass(frozen=True)
class Screen:
    text: str
    rows: tuple[tuple[Button, ...], ...] = field(default=())

    @property
    def buttons(self) -> list[Button]:
        return [button for row in self.rows for button in row]


def esc(value: str) -> str:
    """Escape user-provided text for Telegram's HTML parse mode."""
    return html.escape(value, quote=False)


def column(*buttons: Button) -> tuple[tuple[Button, ...], ...]:
    """Return one button a row: the easiest layout to read and press on a phone."""
    return tuple((button,) for button in buttons)
