"""After a restart, a running night waits for the answers Telegram kept while the bot was down.

Telegram keeps a group's updates (poll answers, button presses) until the bot fetches them.
A night taken up after a restart must not close its question before those are handled, or
on-time answers would be refused as late. Two things make "caught up": the ingest has
fetched Telegram's backlog (a getUpdates answer smaller than a full batch; with a webhook,
Telegram pushes it on its own, so only the bound below applies), and no update stored up to
that moment is still waiting in the inbox. Both waits are bounded, so a stuck update cannot
hold a night for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from db.models import InboxStatus, InboxUpdate

CATCH_UP_MAX = timedelta(seconds=15)
LOOK_EVERY = 0.1  # seconds between looks at the inbox while it is handled


class Backlog:
    """Whether the ingest has fetched what Telegram kept; set once per process."""

    def __init__(self) -> None:
        self._fetched = asyncio.Event()

    def fetched(self) -> None:
        """The ingest has stored everything Telegram held for the bot at start-up."""
        self._fetched.set()

    async def wait_fetched(self, limit: timedelta) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._fetched.wait(), limit.total_seconds())


async def pending_since(session: AsyncSession, moment: datetime) -> bool:
    """Whether an update stored by `moment` is still waiting to be handled."""
    found = await session.scalar(
        select(InboxUpdate.id)
        .where(InboxUpdate.status == InboxStatus.PENDING, InboxUpdate.received_at <= moment)
        .limit(1)
    )
    return found is not None


async def catch_up(
    sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, backlog: Backlog
) -> None:
    """Return once every update Telegram kept during the downtime has been handled (or the
    bound has passed)."""
    started = clock.now()
    await backlog.wait_fetched(CATCH_UP_MAX)
    moment = clock.now()
    while clock.now() - started < CATCH_UP_MAX:
        async with sessionmaker() as session:
            if not await pending_since(session, moment):
                return
        await clock.sleep(LOOK_EVERY)
