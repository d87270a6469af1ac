"""The inbox worker: claims stored updates and hands them to the dispatcher.

Updates of one chat are handled in order; different chats are handled side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from itertools import groupby
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import inbox

log = logging.getLogger(__name__)
Handle = Callable[[dict[str, Any]], Awaitable[None]]


class InboxWorker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        handle: Handle,
        *,
        idle_seconds: float = 1.0,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._handle = handle
        self._idle_seconds = idle_seconds
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Tell the worker that new updates were stored."""
        self._wake.set()

    async def run_once(self) -> int:
        """Claim and handle one batch; return how many updates it held."""
        async with self._sessionmaker() as session:
            batch = await inbox.claim(session, self._clock)
        by_chat = [
            list(g)
            for _, g in groupby(
                sorted(batch, key=lambda c: (c.chat_id or 0, c.row_id)), key=lambda c: c.chat_id
            )
        ]
        await asyncio.gather(*(self._handle_chat(updates) for updates in by_chat))
        return len(batch)

    async def run(self) -> None:
        """Handle updates until cancelled."""
        while True:
            self._wake.clear()
            if await self.run_once():
                continue
            # Polling is the safety net (rows stored by another process); wake() the fast path.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._idle_seconds)

    async def _handle_chat(self, updates: list[inbox.Claimed]) -> None:
        for claimed in updates:
            try:
                await self._handle(claimed.payload)
            except Exception as error:  # the dispatcher reports user-facing errors itself
                log.exception("update %s failed", claimed.payload.get("update_id"))
                async with self._sessionmaker() as session:
                    await inbox.give_up_or_retry(session, self._clock, claimed, repr(error))
                continue
            async with self._sessionmaker() as session:
                await inbox.finish(session, self._clock, claimed.row_id)
