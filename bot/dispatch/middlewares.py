"""Per-update middlewares: logging, database session and member, flood throttling."""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import unit
from bot.dispatch.render import TYPED_PREFIX
from bot.services.onboarding import find_member
from bot.texts import common

log = logging.getLogger("hocbac.updates")
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class LogUpdates(BaseMiddleware):
    """One structured line per update: its id, the handler that took it, and the duration."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        started = time.perf_counter()
        data["handled_by"] = []
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "unhandled" if result is UNHANDLED else "ok"
            return result
        finally:
            log.info(
                "update",
                extra={
                    "update_id": event.update_id,
                    "event": event.event_type,
                    "handler": ",".join(data["handled_by"]) or None,
                    "outcome": outcome,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )


class NameHandler(BaseMiddleware):
    """Inner middleware: remember which handler took the event, for the log line."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        target = data.get("handler")
        callback = getattr(target, "callback", None)
        data.get("handled_by", []).append(getattr(callback, "__qualname__", "?"))
        return await handler(event, data)


class DbSession(BaseMiddleware):
    """Give the handler the update's session and load the acting member (or None).

    The session is the update's unit of work (bot/delivery/unit.py), shared with the FSM
    storage: one connection per update. Without one (an update fed by hand) a session is
    opened here and bound for the storage, committed only by the handler, as before."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], channel: str) -> None:
        self._sessionmaker = sessionmaker
        self._channel = channel

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        session = unit.current_session()
        if session is not None:
            return await self._with(session, handler, event, data)
        async with self._sessionmaker() as session, unit.bound(session):
            return await self._with(session, handler, event, data)

    async def _with(
        self, session: AsyncSession, handler: Handler, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        user = data.get("event_from_user")
        data["session"] = session
        data["channel"] = self._channel
        data["member"] = await find_member(session, self._channel, user.id) if user else None
        return await handler(event, data)


class Throttle(BaseMiddleware):
    """Drop a flood from one user; tell them once per burst instead of answering each message."""

    def __init__(self, clock: Clock, per_minute: int) -> None:
        self._clock = clock
        self._limit = per_minute
        self._seen: dict[int, deque[float]] = defaultdict(deque)
        self._warned: set[int] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None or _typed(event):
            return await handler(event, data)
        now = self._clock.now().timestamp()
        seen = self._seen[user.id]
        while seen and seen[0] <= now - 60:
            seen.popleft()
        if not seen:
            self._seen.pop(user.id, None)  # keep memory to the people active this minute
            seen = self._seen[user.id]
        if len(seen) >= self._limit:
            if user.id not in self._warned:
                self._warned.add(user.id)
                await _tell(event, common.too_fast())
            return None
        self._warned.discard(user.id)
        seen.append(now)
        return await handler(event, data)


def _typed(event: TelegramObject) -> bool:
    # A typed answer turned into a button press was already counted as a message.
    return isinstance(event, CallbackQuery) and event.id.startswith(TYPED_PREFIX)


async def _tell(event: TelegramObject, text: str) -> None:
    if isinstance(event, Message) and event.chat.type == "private":
        await event.answer(text)
    elif isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
