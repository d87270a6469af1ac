"""Reminder rules and the reminders they send: nudges only to those who have not sent the
month's check-in, the deadline day, the meeting morning; holidays, exemptions and rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import load_catalog
from bot.delivery import checkin_jobs, night_announcements, reminder_jobs
from bot.errors import InvalidInput, NotAllowed
from bot.services import checkin_rules, checkins, reminders
from bot.services.holidays import HolidayCalendar
from db.models import Member, OutboxMessage, QuizNight
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.services.test_checkins import TZ, fill, ready_member

CATALOG = load_catalog()
NO_HOLIDAYS = HolidayCalendar(removed=frozenset())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


async def due(
    session: AsyncSession, clock: FakeClock, calendar: HolidayCalendar = NO_HOLIDAYS
) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for item in await reminder_jobs.due_reminders(session, clock, TZ, calendar, CATALOG):
        found.setdefault(item.key.split(":")[0], []).append(item.member_id)
    return found


async def test_a_cell_inherits_its_committee_and_overrides_it(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    admin = await session.get(Member, cast.chi_thu.id)
    assert admin is not None
    assert (await reminders.effective(session, cast.chi_bo_1.id))[
        reminders.CHECKIN_NUDGE
    ] == reminders.DEFAULTS[reminders.CHECKIN_NUDGE]
    await reminders.change(
        session, clock, admin, cast.chi_bo_1.id, reminders.CHECKIN_NUDGE, days_before=5
    )
    rule = (await reminders.effective(session, cast.chi_bo_1.id))[reminders.CHECKIN_NUDGE]
    assert (rule.days_before, rule.set_on) == (5, cast.chi_bo_1.id)
    other = (await reminders.effective(session, cast.chi_bo_2.id))[reminders.CHECKIN_NUDGE]
    assert other.days_before == 3  # chi bộ 2 keeps the default
    with pytest.raises(NotAllowed):  # a secretary of chi bộ 1 cannot touch chi bộ 2
        await reminders.change(session, clock, admin, cast.chi_bo_2.id, "checkin_nudge")
    with pytest.raises(InvalidInput):
        await reminders.change(session, clock, admin, cast.chi_bo_1.id, "nope")
    with pytest.raises(InvalidInput):
        await reminders.change(
            session, clock, admin, cast.chi_bo_1.id, "checkin_nudge", days_before=40
        )


async def test_nudge_and_deadline_go_only_to_those_who_have_not_sent_it(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await ready_member(session, clock, cast.an)  # An pledged; the window opened on the 25th
    await fill(session, clock, cast.an)
    await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    deadline = date(2026, 12, 4)  # the day before the default meeting day, the 5th
    clock.set(at(date(2026, 12, 1), 19, 0))  # the nudge day (3 days before), before 19:30
    assert "checkin-nudge" not in await due(session, clock)
    clock.set(at(date(2026, 12, 1), 19, 30))
    nudged = (await due(session, clock))["checkin-nudge"]
    assert cast.an.id not in nudged and cast.binh.id in nudged
    clock.set(at(date(2026, 12, 3), 9, 0))  # down on the 1st: caught up before the deadline
    assert cast.binh.id in (await due(session, clock))["checkin-nudge"]
    clock.set(at(deadline, 8, 0))
    found = await due(session, clock)
    assert "checkin-nudge" not in found and cast.binh.id in found["checkin-deadline"]
    assert cast.an.id not in found["checkin-deadline"]


async def test_holidays_silence_nudges_and_exempt_members_are_not_reminded(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    secretary = await session.get(Member, cast.chi_thu.id)
    assert secretary is not None
    clock.set(at(date(2026, 11, 25), 9, 0))
    await checkin_rules.exempt(
        session, clock, secretary, cast.chi_bo_1.id, cast.binh.id, 1, "Ốm dài ngày", TZ
    )
    holiday = HolidayCalendar(added={date(2026, 12, 1): "Ngày nghỉ của địa phương"})
    clock.set(at(date(2026, 12, 1), 20, 0))
    assert "checkin-nudge" not in await due(session, clock, holiday)
    nudged = (await due(session, clock))["checkin-nudge"]
    assert cast.binh.id not in nudged and cast.an.id in nudged


async def test_the_meeting_morning_reminder_comes_before_noon_only(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock.set(at(date(2026, 12, 5), 6, 59))
    assert "meeting" not in await due(session, clock)
    clock.set(at(date(2026, 12, 5), 7, 0))
    found = await due(session, clock)
    assert {cast.an.id, cast.binh.id} <= set(found["meeting"])
    await reminder_jobs.enqueue_reminders(sessionmaker, clock, TZ, NO_HOLIDAYS, CATALOG)
    row = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.key == f"meeting:{cast.an.id}:2026-11")
    )
    assert row is not None
    assert "Chi bộ 1 sinh hoạt định kỳ" in row.payload["text"]
    assert "Chuyên đề chi bộ đang học" in row.payload["text"]
    clock.set(at(date(2026, 12, 5), 12, 0))
    assert "meeting" not in await due(session, clock)  # after noon: too late, not sent


async def test_a_reminder_turned_off_is_not_sent_and_each_goes_once(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    secretary = await session.get(Member, cast.chi_thu.id)
    assert secretary is not None
    await reminders.change(
        session, clock, secretary, cast.chi_bo_1.id, reminders.MEETING_DAY, enabled=False
    )
    clock.set(at(date(2026, 12, 5), 8, 0))
    found = await due(session, clock)
    assert cast.an.id not in found.get("meeting", []) and cast.cuong.id in found["meeting"]
    first = await reminder_jobs.enqueue_reminders(sessionmaker, clock, TZ, NO_HOLIDAYS, CATALOG)
    again = await reminder_jobs.enqueue_reminders(sessionmaker, clock, TZ, NO_HOLIDAYS, CATALOG)
    assert first > 0 and again == 0
    nudged = await reminders.nudged(session, secretary, cast.chi_bo_1.id, "2026-11")
    assert nudged == []  # nothing sent yet: the report shows sent reminders only


async def test_a_tick_costs_a_few_queries_however_many_members(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    """A province is 100,000 members: the scheduler may not ask member by member."""
    for n in range(40):
        await factories.member(session, clock, cast.chi_bo_2, f"Đảng Viên {n}", user_id=5000 + n)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        clock.set(at(date(2026, 12, 1), 20, 0))  # nudges due for most of them
        found = await due(session, clock)
        assert len(found["checkin-nudge"]) >= 40
        reminders_queries = len(statements)
        statements.clear()
        clock.set(at(date(2026, 11, 26), 9, 0))
        invited = await checkin_jobs.due_checkin_invitations(session, clock, TZ)
        assert len(invited) >= 40
        invitations_queries = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert reminders_queries <= 8 and invitations_queries <= 8, statements


async def test_a_quiz_night_announcement_has_no_time_and_skips_quiet_hours(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    with pytest.raises(InvalidInput):  # a forged time button for it
        await reminders.change(
            session, clock, cast.chi_thu, cast.chi_bo_1.id, reminders.QUIZ_NIGHT, at=time(20, 0)
        )
    clock.set(datetime(2026, 11, 23, 22, 0, tzinfo=TZ))  # inside An's and Bình's quiet hours
    night = QuizNight(
        unit_id=cast.chi_bo_1.id,
        channel="telegram",
        chat_id=-100_001,
        host_member_id=cast.chi_thu.id,
        bank_key="c:di-chuc",
        title="Di chúc",
        question_count=5,
        seconds=20,
        allow_guests=False,
        show_names=True,
        status="lobby",
        position=0,
        created_at=clock.now(),
        interrupted=False,
        resumed_count=0,
    )
    session.add(night)
    await session.commit()
    assert await night_announcements.announce(session, clock, night.id, "Nhóm", TZ) == 0
    await session.execute(update(Member).values(quiet_start=time(23, 0), quiet_end=time(6, 0)))
    await session.commit()
    assert await night_announcements.announce(session, clock, night.id, "Nhóm", TZ) == 2
    assert await night_announcements.announce(session, clock, night.id, "Nhóm", TZ) == 2
    keys = set(await session.scalars(select(OutboxMessage.key)))
    assert keys == {f"quiz-night-open:{night.id}:{m.id}" for m in (cast.an, cast.binh)}
