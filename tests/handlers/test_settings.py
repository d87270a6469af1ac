"""A member's reminder settings: lesson time, quiet hours, pause and time zone."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import load_catalog
from bot.delivery import jobs
from bot.screens.settings import Pause, SetLessonTime
from bot.texts import common
from bot.texts import settings as t
from db.models import AuditEntry, Member, OutboxMessage
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import PilotFactory, plain

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


async def member(session: AsyncSession, member_id: int) -> Member:
    session.expire_all()
    found = await session.get(Member, member_id)
    assert found is not None
    return found


async def test_a_member_changes_the_lesson_time_by_button_and_by_typing(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await an.send("menu")
    await an.press(t.MENU_SETTINGS)
    assert "Giờ nhận bài hằng ngày: 20:00" in an.text()
    assert "Giờ yên lặng: 21:30–06:30" in an.text()
    assert an.buttons() == [t.LESSON_TIME, t.QUIET, t.PAUSE, t.ZONE, common.MENU_MAIN]
    await an.press(t.LESSON_TIME)
    await an.press("12:00")
    assert plain(t.lesson_time_set(time(12, 0))) in an.text()
    await an.press(t.LESSON_TIME)
    await an.send(" 7h15 ")
    assert plain(t.lesson_time_set(time(7, 15))) in an.text()
    assert (await member(session, cast.an.id)).lesson_time == time(7, 15)


async def test_a_lesson_time_inside_quiet_hours_is_refused_with_the_window(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await an.send("cai dat nhac nho")
    await an.press(t.LESSON_TIME)
    await an.send("23h")
    assert an.text() == plain(t.time_in_quiet(time(21, 30), time(6, 30)))
    await an.send("25:00")
    assert "Giờ chưa đúng" in an.text()
    assert (await member(session, cast.an.id)).lesson_time == time(20, 0)


async def test_quiet_hours_by_preset_and_typed_and_bad_windows_are_refused(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    binh = pilot_for(103)
    await binh.send("/start")
    await binh.press(t.MENU_SETTINGS)
    await binh.press(t.QUIET)
    await binh.press("22:00–06:00")
    assert plain(t.quiet_set(time(22, 0), time(6, 0))) in binh.text()
    await binh.press(t.QUIET)
    await binh.send("22h den 22h")  # zero length
    assert binh.text() == plain(t.quiet_invalid())
    await binh.send("19:00 - 21:00")  # would hide the 20:00 lesson
    assert binh.text() == plain(t.quiet_hides_lesson(time(20, 0)))
    await binh.send("23h30 – 5h")
    assert plain(t.quiet_set(time(23, 30), time(5, 0))) in binh.text()
    saved = await member(session, cast.binh.id)
    assert (saved.quiet_start, saved.quiet_end) == (time(23, 30), time(5, 0))


async def test_pause_for_seven_days_then_resume(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await an.send("menu")
    await an.press(t.MENU_SETTINGS)
    await an.press(t.PAUSE)
    assert "Đã tạm dừng nhắc nhở đến" in an.text()
    assert t.RESUME in an.buttons()
    paused = await member(session, cast.an.id)
    assert paused.paused_until is not None
    assert (paused.paused_until - clock.now()).days == 7
    await an.press(t.RESUME)
    assert plain(t.resumed()) in an.text()
    assert (await member(session, cast.an.id)).paused_until is None
    clock.move(days=1)
    await an.press(t.PAUSE)
    clock.move(days=8)  # the pause has ended: the overview no longer shows it
    await an.send("menu")
    await an.press(t.MENU_SETTINGS)
    assert "tạm dừng nhắc nhở đến" not in an.text() and t.PAUSE in an.buttons()
    pauses = await session.scalars(
        select(AuditEntry.id).where(AuditEntry.action == "member.pause")
    )
    assert len(list(pauses)) == 2


async def test_a_member_abroad_sets_a_time_zone_and_returns_home(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await an.send("menu")
    await an.press(t.MENU_SETTINGS)
    await an.press(t.ZONE)
    await an.send("Mars/Olympus")
    assert an.text() == plain(t.zone_invalid())
    await an.send("utc +9")
    assert plain(t.zone_set("UTC+09:00")) in an.text()
    await an.press(t.ZONE)
    await an.send("europe/berlin")
    assert (await member(session, cast.an.id)).timezone == "Europe/Berlin"
    await an.press(t.ZONE)
    await an.press(t.ZONE_HOME)
    assert (await member(session, cast.an.id)).timezone is None


async def test_forged_settings_buttons_change_nothing(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await an.send("menu")
    await an.press(t.MENU_SETTINGS)
    await an.forge(SetLessonTime(24 * 60 + 5).pack())
    await an.forge(Pause(400).pack())
    saved = await member(session, cast.an.id)
    assert saved.lesson_time == time(20, 0) and saved.paused_until is None
    assert [a.text for a in an.server.callback_answers()][-2:] == [common.button_expired()] * 2


async def test_a_lesson_held_by_quiet_hours_moves_when_the_member_shortens_them(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
    pilot_for: PilotFactory,
) -> None:
    clock.set(datetime(2026, 11, 23, 23, 0, tzinfo=HCM))  # after 20:00, inside 21:30–06:30
    await jobs.enqueue_daily_lessons(sessionmaker, clock, HCM, load_catalog())
    key = f"lesson:{cast.binh.id}:2026-11-24"
    due = select(OutboxMessage.due_at).where(OutboxMessage.key == key)
    assert await session.scalar(due) == datetime(2026, 11, 24, 6, 30, tzinfo=HCM)
    binh = pilot_for(103)
    await binh.send("cai dat nhac nho")
    await binh.press(t.QUIET)
    await binh.send("23h30 – 5h")  # 23:00 is no longer quiet: the lesson goes now
    session.expire_all()
    assert await session.scalar(due) == clock.now()
