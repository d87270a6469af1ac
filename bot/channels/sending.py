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
from aiogram.methods.base import Response
from aiogram.types import Message, MessageId
from aiohttp import ClientConnectorError
from pydantic import ValidationError

from bot.delivery.sender import Outcome, Result

# aiogram builds Response[<return type>] for every call; pydantic caches that class only
# weakly, so after each garbage collection it was rebuilt (about 10 ms, measured by
# bench/delivery.py). Holding them here keeps the cache warm.
_RESPONSES = (Response[Message], Response[MessageId], Response[bool], Response[list[Message]])


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
            return Outcome(Result.RATE_LIMITED, retry_after=error.retry_after, error=error.message)
        except TelegramForbiddenError as error:
            return Outcome(Result.BLOCKED, error=error.message)
        except TelegramBadRequest as error:
            return Outcome(Result.FAILED, error=error.message)
        except TelegramServerError as error:
            # Telegram answered with a 5xx: it did not take the message.
            return Outcome(Result.TRANSIENT, error=str(error)[:500])
        except TelegramNetworkError as error:
            return Outcome(_network_result(error), error=str(error)[:500])
        return Outcome(Result.SENT)


def _network_result(error: TelegramNetworkError) -> Result:
    """A refused connection never carried the request; a timeout or a cut one may have."""
    if isinstance(error.__cause__, ClientConnectorError):
        return Result.TRANSIENT
    return Result.UNKNOWN
