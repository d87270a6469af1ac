"""Outbox sends over the Bot API through aiogram, with Telegram's errors mapped to outcomes."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, methods
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from pydantic import ValidationError

from bot.delivery.sender import Outcome, Result


class BotChannel:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, method: str, payload: dict[str, Any]) -> Outcome:
        kind = getattr(methods, method[:1].upper() + method[1:], None)
        if kind is None:
            return Outcome(Result.FAILED, error=f"unknown method {method}")
        try:
            call = kind.model_validate(payload)
        except ValidationError as error:
            return Outcome(Result.FAILED, error=str(error)[:500])
        try:
            await self._bot(call)
        except TelegramRetryAfter as error:
            return Outcome(Result.RETRY, retry_after=error.retry_after, error=error.message)
        except TelegramForbiddenError as error:
            return Outcome(Result.BLOCKED, error=error.message)
        except TelegramBadRequest as error:
            return Outcome(Result.FAILED, error=error.message)
        except (TelegramNetworkError, TelegramServerError) as error:
            # A timeout or a 5xx may hide a message that was delivered: never send it again.
            return Outcome(Result.UNKNOWN, error=str(error)[:500])
        return Outcome(Result.SENT)
