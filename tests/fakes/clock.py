"""A clock that tests move forward; `sleep` advances it instead of waiting."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội

    def now(self) -> datetime:
        return self._now

    def move(self, **delta: float) -> None:
        self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        self._now = moment

    async def sleep(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        await asyncio.sleep(0)  # let other tasks run, as a real sleep would

    async def sleep_until(self, moment: datetime) -> None:
        # Yield first, then jump: tasks waiting for different moments wake in order, each
        # seeing the clock at its own moment (an absolute deadline does not drift when several
        # tasks share the clock, as relative sleeps would).
        await asyncio.sleep(0)
        self._now = max(self._now, moment)
