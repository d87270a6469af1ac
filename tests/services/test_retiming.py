"""What is queued for a member moves with their settings: quiet hours, lesson time, zone, pause."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import load_catalog
from bot.delivery import jobs
from bot.services import preferences
from bot.services.quiet import Quiet
from db.models import Member, OutboxMessage
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CATALOG = load_catalog()


def local(day: int, hour: int, minute: int = 0, tz: ZoneInfo = TZ) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=tz).astimezone(UTC)


async def held_lesson(
    session: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> OutboxMessage:
    """An's lesson of the 23rd, caught up at 23:00 and held by quiet hours till 06:30."""
    clock.set(local(23, 23, 0))
    await jobs.enqueue_daily_lessons(sessionmaker, clock, TZ, CATALOG)
    return await lesson_row(session)


async def lesson_row(session: AsyncSession) -> OutboxMessage:
    query = select(OutboxMessage).where(OutboxMessage.key.like("lesson:%"))
    rows = list(await session.scalars(query.execution_options(populate_existing=True)))
    (an,) = [r for r in rows if r.chat_id == 102]
    return an


async def an_of(session: AsyncSession, cast: Cast) -> Member:
    found = await session.get(Member, cast.an.id)
    assert found is not None
    return found


async def test_new_quiet_hours_move_what_they_held(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
) -> None:
    row = await held_lesson(session, sessionmaker, clock)
    assert row.key == f"lesson:{cast.an.id}:2026-11-24"  # the day it will arrive
    assert row.due_at == local(24, 6, 30)
    an = await an_of(session, cast)
    await preferences.set_quiet(session, clock, TZ, an, Quiet(time(22, 0), time(7, 15)))
    assert (await lesson_row(session)).due_at == local(24, 7, 15)
    await preferences.set_quiet(session, clock, TZ, an, Quiet(time(23, 30), time(5, 0)))
    assert (await lesson_row(session)).due_at == local(23, 23, 0)  # not quiet now: at once


async def test_a_new_lesson_time_moves_the_waiting_lesson_to_it(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
) -> None:
    await held_lesson(session, sessionmaker, clock)
    an = await an_of(session, cast)
    await preferences.set_lesson_time(session, clock, TZ, an, time(19, 0))
    row = await lesson_row(session)
    assert row.due_at == local(24, 19, 0)
    assert row.condition is not None and row.condition["time"] == "19:00"
    await preferences.set_quiet(session, clock, TZ, an, Quiet(time(22, 0), time(6, 0)))
    assert (await lesson_row(session)).due_at == local(24, 19, 0)  # stays at the new time


async def test_a_pause_holds_the_row_and_a_new_zone_moves_its_quiet_hours(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
) -> None:
    await held_lesson(session, sessionmaker, clock)
    an = await an_of(session, cast)
    until = await preferences.pause(session, clock, TZ, an, 2)  # till the 25th, 23:00: quiet
    assert (await lesson_row(session)).due_at == local(26, 6, 30) and until < local(26, 0, 0)
    await preferences.resume(session, clock, TZ, an)
    assert (await lesson_row(session)).due_at == local(24, 6, 30)
    tokyo = ZoneInfo("Asia/Tokyo")  # two hours ahead: 01:00 there, quiet till 06:30 there
    await preferences.set_zone(session, clock, TZ, an, "Asia/Tokyo")
    assert (await lesson_row(session)).due_at == local(24, 6, 30, tokyo)
