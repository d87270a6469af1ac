"""A clock that tests move forward; sleeping advances it instead of waiting.

Several tasks may sleep on it at once (the sender has dozens in flight): each waits its turn,
earliest moment first, and the clock jumps to that moment only when it comes up, so a task
never sees the clock past a moment another task is still waiting for.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta

SETTLE = 3  # loop turns that let tasks created just now reach their own sleep first


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
        self._sleepers: list[tuple[datetime, int]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        return self._now

    def move(self, **delta: float) -> None:
        self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        self._now = moment

    async def sleep(self, seconds: float) -> None:
        await self.sleep_until(self._now + timedelta(seconds=seconds))

    async def sleep_until(self, moment: datetime) -> None:
        ticket = (moment, next(self._order))
        heapq.heappush(self._sleepers, ticket)
        try:
            while True:
                for _ in range(SETTLE):
                    await asyncio.sleep(0)
                if self._sleepers[0] == ticket:
                    break
        finally:
            self._sleepers.remove(ticket)
            heapq.heapify(self._sleepers)
        self._now = max(self._now, moment)
