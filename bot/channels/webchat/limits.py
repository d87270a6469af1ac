"""The documented limits Telegram enforces, checked on every call."""

from __future__ import annotations

from typing import Any

from bot.channels.webchat.errors import bad_request

TEXT_MAX = 4096  # characters after entities parsing
CAPTION_MAX = 1024
CALLBACK_DATA_MAX = 64  # bytes, not characters: a Vietnamese letter takes two or three
ALERT_MAX = 200
POLL_QUESTION_MAX = 300
POLL_OPTION_MAX = 100
POLL_OPTIONS = (2, 12)
EXPLANATION_MAX = 200
POLL_OPEN = (5, 2_628_000)  # seconds a poll may stay open, by open_period or close_date
URL_SCHEMES = ("http://", "https://", "tg://")
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
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def check_text(text: str) -> None:
    """Check a message text after entities parsing, which is what Telegram counts."""
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > TEXT_MAX:
        raise bad_request("message is too long")


def check_caption(caption: str | None) -> None:
    if caption is not None and len(caption) > CAPTION_MAX:
        raise bad_request("message caption is too long")


def check_markup(markup: dict[str, Any] | None) -> None:
    """Check an inline keyboard (its shape is already checked against the spec)."""
    if markup is None or "inline_keyboard" not in markup:
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            _check_button(button)


def _check_button(button: dict[str, Any]) -> None:
    if not str(button.get("text", "")).strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    kinds = [k for k in BUTTON_KINDS if button.get(k) is not None]
    if not kinds:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(kinds) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be used"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_MAX:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not str(url).startswith(URL_SCHEMES):
        raise bad_request("BUTTON_URL_INVALID")


def check_alert(text: str | None) -> None:
    if text is not None and len(text) > ALERT_MAX:
        raise bad_request("MESSAGE_TOO_LONG")


def check_poll(params: dict[str, Any], now: int) -> list[int]:
    """Check a poll; return the correct option ids of a quiz (empty for a regular poll)."""
    _check_open_period(params, now)
    question, options = params["question"], params["options"]
    if not question.strip():
        raise bad_request("poll question must be non-empty")
    if len(question) > POLL_QUESTION_MAX:
        raise bad_request("poll question length must not exceed 300")
    low, high = POLL_OPTIONS
    if len(options) < low:
        raise bad_request("poll must have at least 2 option")
    if len(options) > high:
        raise bad_request("poll can't have more than 12 options")
    for option in options:
        if not 1 <= len(option["text"]) <= POLL_OPTION_MAX:
            raise bad_request("poll options length must not exceed 100")
    kind = params.get("type", "regular")
    if kind not in ("regular", "quiz"):
        raise bad_request("wrong poll type specified")
    if len(params.get("explanation") or "") > EXPLANATION_MAX:
        raise bad_request("explanation length must not exceed 200")
    correct = list(params.get("correct_option_ids") or [])
    if kind == "regular":
        return []
    if not correct:
        raise bad_request("QUIZ_CORRECT_ANSWERS_EMPTY")
    if any(not 0 <= i < len(options) for i in correct):
        raise bad_request("QUIZ_CORRECT_ANSWER_INVALID")
    return correct


def check_chat_action(action: str) -> None:
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")


def _check_open_period(params: dict[str, Any], now: int) -> None:
    period, close_date = params.get("open_period"), params.get("close_date")
    if period is not None and close_date is not None:
        raise bad_request("can't use open_period and close_date together")
    seconds = period if period is not None else None if close_date is None else close_date - now
    low, high = POLL_OPEN
    if seconds is not None and not low <= seconds <= high:
        raise bad_request("poll must stay open for 5 to 2628000 seconds")
