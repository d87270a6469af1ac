"""The inbox worker: claims stored updates and hands them to the dispatcher.

Updates of one chat are handled in order; different chats side by side, but never more at once
than the database can serve (each update holds one connection while it is handled). An update
that fails waits for its retry and holds its chat's later updates back until then.
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
from bot.delivery import inbox, unit

log = logging.getLogger(__name__)
Handle = Callable[[dict[str, Any]], Awaitable[None]]


def in_flight_for(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """How many updates may be handled at once: SQLite has one writer, so a few; PostgreSQL
    as many as its pool holds, leaving the overflow to the ingest, the sender and the clock."""
    bind = sessionmaker.kw.get("bind")
    if bind is None or bind.dialect.name == "sqlite":
        return 4
    size = getattr(bind.pool, "size", None)
    return max(2, int(size())) if callable(size) else 4


async def _unclaim(session: AsyncSession, _clock: Clock, rows: list[inbox.Claimed]) -> None:
    await inbox.unclaim(session, rows)


class InboxWorker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        handle: Handle,
        *,
        idle_seconds: float = 1.0,
        in_flight: int | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._handle = handle
        self._idle_seconds = idle_seconds
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(in_flight or in_flight_for(sessionmaker))

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
            # Polling is the safety net (rows stored by another process, retries coming due);
            # wake() the fast path.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._idle_seconds)

    async def _handle_chat(self, updates: list[inbox.Claimed]) -> None:
        for index, claimed in enumerate(updates):
            async with self._slots:
                moved_on = await self._handle_one(claimed)
            if not moved_on:
                # In order per chat: what comes after waits for this update's retry.
                await self._record(_unclaim, updates[index + 1 :])
                return

    async def _handle_one(self, claimed: inbox.Claimed) -> bool:
        """Handle one update; return whether its chat may go on to its next update."""
        update_id = claimed.payload.get("update_id")
        try:
            async with self._sessionmaker() as session:
                inbox.finish_on_commit(session, self._clock, claimed)
                async with unit.bound(session, last_try=claimed.last_try) as held:
                    await self._handle(claimed.payload)
                if held.failure is None:
                    await session.commit()  # the trailing state writes, and the done mark
                    return True
                await session.rollback()
                error = held.failure
        except inbox.LeaseLost:
            log.warning("update taken over by another worker", extra={"update_id": update_id})
            return False
        except inbox.Poison:
            log.error("update cannot be read; set aside", extra={"update_id": update_id})
            await self._record(inbox.fail, claimed, "unparseable")
            return True
        except Exception as failure:
            transient = unit.is_transient(failure)
            error = type(failure).__name__
            set_aside = bool(
                await self._record(inbox.retry_later, claimed, error, transient=transient)
            )
            # The traceback once, when the update is set aside; a retry needs only a line.
            log.log(
                logging.ERROR if set_aside else logging.WARNING,
                "update %s: %s",
                "set aside" if set_aside else "to be retried",
                error,
                exc_info=failure if set_aside else None,
                extra={"update_id": update_id, "transient": transient},
            )
            return set_aside
        log.error("update set aside after its tries: %s", error, extra={"update_id": update_id})
        await self._record(inbox.fail, claimed, error)
        return True

    async def _record(self, step: Callable[..., Awaitable[Any]], *args: Any, **kw: Any) -> Any:
        """Write an outcome; if the database is down too, the lease runs out and it is retried."""
        try:
            async with self._sessionmaker() as session:
                return await step(session, self._clock, *args, **kw)
        except Exception:
            log.warning("could not record an update's outcome", exc_info=True)
            return None
