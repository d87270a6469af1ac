"""The documented limits Telegram enforces, checked on every call."""

from __future__ import annotations

from typing import Any

from bot.channels.webchat.errors import bad_request

TEXT_MAX = 4096
CAPTION_MAX = 1024
CALLBACK_DATA_MAX = 64  # bytes
ALERT_MAX = 200
POLL_QUESTION_MAX = 300
POLL_OPTIONS = (2, 12)
BUTTON_KINDS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def check_text(text: str) -> None:
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > TEXT_MAX:
        raise bad_request("message is too long")


def check_caption(caption: str | None) -> None:
    if caption is not None and len(caption) > CAPTION_MAX:
        raise bad_request("message caption is too long")


def check_markup(markup: dict[str, Any] | None) -> None:
    """Validate an inline keyboard: rows of buttons, each with exactly one action."""
    if markup is None or "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are "
                    "unallowed in the inline keyboard"
                )
            kinds = [k for k in BUTTON_KINDS if button.get(k) is not None]
            if len(kinds) != 1:
                raise bad_request(
                    "can't parse inline keyboard button: exactly one of the "
                    "optional fields must be used"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_MAX:
                raise bad_request("BUTTON_DATA_INVALID")


def check_alert(text: str | None) -> None:
    if text is not None and len(text) > ALERT_MAX:
        raise bad_request("MESSAGE_TOO_LONG")


def check_poll(question: str, options: list[Any]) -> None:
    if not 1 <= len(question) <= POLL_QUESTION_MAX:
        raise bad_request("poll question length must not exceed 300")
    low, high = POLL_OPTIONS
    if not low <= len(options) <= high:
        raise bad_request(
            "poll must have at least 2 option"
            if len(options) < low
            else "poll can't have more than 12 options"
        )
    for option in options:
        text = option.get("text") if isinstance(option, dict) else option
        if not isinstance(text, str) or not 1 <= len(text) <= 100:
            raise bad_request("poll options length must not exceed 100")
