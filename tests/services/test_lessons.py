from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import load_catalog
from bot.services import lessons
from bot.services.lessons import lesson_key, streak
from db.models import UnitTheme
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

CATALOG = load_catalog()
TZ = __import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")


async def test_lessons_come_in_theme_order_and_skip_what_was_read(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    first = await lessons.todays_lesson(session, CATALOG, cast.an)
    assert (first.position, first.already_read) == (1, False)
    progress = await lessons.mark_read(
        session, clock, TZ, CATALOG, cast.an, lesson_key(first.lesson.id)
    )
    assert (progress.read, progress.streak) == (1, 1)
    second = await lessons.todays_lesson(session, CATALOG, cast.an)
    assert second.position == 2
    after = await lessons.todays_lesson(
        session, CATALOG, cast.an, after=lesson_key(second.lesson.id)
    )
    assert after.position == 3


async def test_reading_twice_counts_once(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    view = await lessons.todays_lesson(session, CATALOG, cast.binh)
    key = lesson_key(view.lesson.id)
    await lessons.mark_read(session, clock, TZ, CATALOG, cast.binh, key)
    again = await lessons.mark_read(session, clock, TZ, CATALOG, cast.binh, key)
    assert again.read == 1


async def test_a_streak_counts_days_in_a_row_in_the_members_time_zone(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    clock.set(datetime(2026, 11, 20, 16, 30, tzinfo=UTC))  # 23:30 on the 20th in Hà Nội
    for _ in range(3):
        view = await lessons.todays_lesson(session, CATALOG, cast.an)
        await lessons.mark_read(session, clock, TZ, CATALOG, cast.an, lesson_key(view.lesson.id))
        clock.move(days=1)
    clock.move(days=1)  # a day missed
    progress = await lessons.progress(session, clock, TZ, CATALOG, cast.an)
    assert (progress.read, progress.streak) == (3, 0)


def test_streak_rules() -> None:
    today = date(2026, 11, 23)
    days = {date(2026, 11, 21), date(2026, 11, 22)}
    assert streak(days, today) == 2  # not read yet today: yesterday's streak still stands
    assert streak(days | {today}, today) == 3
    assert streak({date(2026, 11, 20)}, today) == 0


async def test_a_cell_follows_its_committees_theme(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    assert await lessons.theme_of(session, CATALOG, cast.chi_bo_1.id) == "toan-khoa-xiii"
    session.add(
        UnitTheme(unit_id=cast.dang_bo.id, theme_id="chu-de-khong-co-bai", set_at=clock.now())
    )
    await session.commit()
    # A theme without lessons would leave members with nothing: the default stays.
    assert await lessons.theme_of(session, CATALOG, cast.chi_bo_1.id) == "toan-khoa-xiii"


async def test_read_lessons_are_listed_newest_first(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    titles = []
    for _ in range(2):
        view = await lessons.todays_lesson(session, CATALOG, cast.an)
        await lessons.mark_read(session, clock, TZ, CATALOG, cast.an, lesson_key(view.lesson.id))
        titles.append(view.lesson.title)
        clock.move(minutes=5)
    read = await lessons.read_lessons(session, CATALOG, cast.an)
    assert [x.title for x in read] == list(reversed(titles))
