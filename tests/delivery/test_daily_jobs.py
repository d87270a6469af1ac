"""Queuing the daily lessons of many members costs a query per member at most (the insert)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import load_catalog
from bot.delivery import jobs
from db.models import OutboxMessage
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_a_crowd_at_20_00_is_queued_without_per_member_lookups(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
) -> None:
    for n in range(60):
        cell = cast.chi_bo_1 if n % 2 else cast.chi_bo_2
        await factories.member(session, clock, cell, f"Đảng Viên {n}", user_id=6000 + n)
    members = await session.scalar(select(func.count()).select_from(OutboxMessage))
    assert members == 0
    clock.set(datetime(2026, 11, 23, 20, 0, tzinfo=HCM))
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    async with sessionmaker() as probe:
        engine = probe.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        added = await jobs.enqueue_daily_lessons(sessionmaker, clock, HCM, load_catalog())
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert added == 65  # the sixty and the five of the cast
    inserts = sum(1 for s in statements if s.lstrip().upper().startswith("INSERT"))
    assert inserts == 65 and len(statements) - inserts <= 15, statements[:20]
