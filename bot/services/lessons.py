"""Daily lessons: which lesson is next for a member, reading it, progress and streaks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog, Lesson, Theme
from bot.clock import Clock
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services import audit
from bot.services.access import ancestors, require_active
from db.dialect import insert_ignoring_duplicates
from db.models import LessonRead, Member, Role, UnitTheme

DEFAULT_THEME = "toan-khoa-xiii"


@dataclass(frozen=True)
class ReadingProgress:
    read: int
    total: int
    streak: int  # days in a row, up to today, with at least one lesson read


@dataclass(frozen=True)
class LessonView:
    lesson: Lesson
    position: int  # 1-based place in the theme
    total: int
    already_read: bool
    toan_tap: str = ""  # the work's volume and page as its copies state them, if known
    theme_name: str = ""  # the theme the member studies, and its years
    theme_years: tuple[int, ...] = ()
    theme_chosen: bool = True  # False: no committee chose one; the whole-term theme stands in
    borrowed: bool = False  # the studied theme has no lessons yet; this one is the term's


def lesson_key(lesson_id: str) -> str:
    """A short, stable key for buttons: callback data has 64 bytes, lesson ids up to 80."""
    return hashlib.sha256(lesson_id.encode()).hexdigest()[:12]


async def theme_of(session: AsyncSession, catalog: Catalog, unit_id: int) -> str:
    """Return the theme the unit studies: its own, the nearest committee's, or the default."""
    return (await studied(session, catalog, unit_id))[0]


async def studied(session: AsyncSession, catalog: Catalog, unit_id: int) -> tuple[str, bool]:
    """The theme the unit studies and whether a committee chose it (False: nobody has, and
    the whole-term theme stands in, which members are told). A chosen theme may have no
    lessons yet: lessons_of then lends the whole-term theme's."""
    chain = await ancestors(session, unit_id)
    chosen = {
        row.unit_id: row.theme_id
        for row in await session.scalars(select(UnitTheme).where(UnitTheme.unit_id.in_(chain)))
    }
    for unit in chain:
        if chosen.get(unit) in catalog.themes:
            return chosen[unit], True
    default = (
        DEFAULT_THEME if DEFAULT_THEME in catalog.lessons else next(iter(catalog.lessons), "")
    )
    return default, False


def lessons_of(catalog: Catalog, theme_id: str) -> tuple[Lesson, ...]:
    """The lessons members of a theme read: its own, or the whole-term theme's until it has
    some."""
    return catalog.lessons_for(theme_id) or catalog.lessons_for(DEFAULT_THEME)


def pick_for(
    catalog: Catalog, theme_id: str, chosen: bool, done: set[str], after: str | None = None
) -> LessonView:
    """The next lesson of a theme (see pick_lesson), with the theme named as studied."""
    view = pick_lesson(lessons_of(catalog, theme_id), done, after)
    return _cited(catalog, view, theme_id, chosen)


async def choose_theme(
    session: AsyncSession, clock: Clock, catalog: Catalog, actor: Member, theme_key: str
) -> Theme:
    """Let a committee admin (or operator) set the theme of their own unit."""
    require_active(actor)
    if actor.role not in (Role.COMMITTEE_ADMIN, Role.OPERATOR):
        raise NotAllowed("only a committee chooses its theme")
    theme = next((t for t in catalog.themes.values() if lesson_key(t.id) == theme_key), None)
    if theme is None:
        raise NotFound("theme")
    await set_theme(session, clock, catalog, actor.unit_id, theme.id)
    return theme


async def set_theme(
    session: AsyncSession, clock: Clock, catalog: Catalog, unit_id: int, theme_id: str
) -> None:
    """Make a unit (and every cell under it) follow a theme. Commits."""
    if theme_id not in catalog.themes:
        raise NotFound(f"theme {theme_id!r}")
    if not catalog.themes[theme_id].found:
        raise InvalidInput("that theme has no official name")  # a name is never made up
    row = await session.get(UnitTheme, unit_id)
    if row is None:
        session.add(UnitTheme(unit_id=unit_id, theme_id=theme_id, set_at=clock.now()))
    else:
        row.theme_id, row.set_at = theme_id, clock.now()
    audit.record(session, clock, "theme.set", unit_id=unit_id, theme_id=theme_id)
    await session.commit()


async def read_ids(session: AsyncSession, member_id: int) -> set[str]:
    rows = await session.scalars(
        select(LessonRead.lesson_id).where(LessonRead.member_id == member_id)
    )
    return set(rows)


async def todays_lesson(
    session: AsyncSession, catalog: Catalog, member: Member, *, after: str | None = None
) -> LessonView:
    """Return the first unread lesson of the member's theme (after `after`, for "Đọc tiếp")."""
    require_active(member)
    theme_id, chosen = await studied(session, catalog, member.unit_id)
    return pick_for(catalog, theme_id, chosen, await read_ids(session, member.id), after)


def pick_lesson(
    lessons: tuple[Lesson, ...], done: set[str], after: str | None = None
) -> LessonView:
    """The first lesson not in `done` (after the one keyed `after`); NotFound if none exist."""
    if not lessons:
        raise NotFound("no lessons for this theme")
    start = 0
    if after is not None:
        start = next((i + 1 for i, x in enumerate(lessons) if lesson_key(x.id) == after), 0)
    order = list(lessons[start:]) + list(lessons[:start])
    unread = [x for x in order if x.id not in done]
    # Everything read: go round again from where the member is, so "Đọc tiếp" always works.
    chosen = unread[0] if unread else order[0]
    return LessonView(chosen, lessons.index(chosen) + 1, len(lessons), chosen.id in done)


async def read_ids_of(session: AsyncSession, member_ids: list[int]) -> dict[int, set[str]]:
    """What each of many members has read, a thousand members a query."""
    done: dict[int, set[str]] = {member_id: set() for member_id in member_ids}
    for start in range(0, len(member_ids), 1000):
        rows = await session.execute(
            select(LessonRead.member_id, LessonRead.lesson_id).where(
                LessonRead.member_id.in_(member_ids[start : start + 1000])
            )
        )
        for member_id, lesson_id in rows.all():
            done[member_id].add(lesson_id)
    return done


async def lesson_view(
    session: AsyncSession, catalog: Catalog, member: Member, key: str
) -> LessonView:
    """Return the lesson behind a button key with its place in the theme."""
    require_active(member)
    lesson = find(catalog, key)
    lessons = catalog.lessons.get(lesson.theme, ())
    done = await read_ids(session, member.id)
    view = LessonView(lesson, lessons.index(lesson) + 1, len(lessons), lesson.id in done)
    return _cited(catalog, view, lesson.theme, True)


def _cited(catalog: Catalog, view: LessonView, theme_id: str, chosen: bool) -> LessonView:
    """The view with what the catalog knows around the lesson: Toàn tập, and the theme the
    member studies with its years (which may not be the lesson's own, see lessons_of)."""
    work = catalog.works.get(view.lesson.work)
    theme = catalog.themes.get(theme_id)
    return replace(
        view,
        toan_tap=work.toan_tap if work is not None else "",
        theme_name=theme.name if theme is not None else "",
        theme_years=theme.years if theme is not None else (),
        theme_chosen=chosen,
        borrowed=view.lesson.theme != theme_id,
    )


def find(catalog: Catalog, key: str) -> Lesson:
    """Return the lesson behind a button key, or raise NotFound if it was removed."""
    for lessons in catalog.lessons.values():
        for lesson in lessons:
            if lesson_key(lesson.id) == key:
                return lesson
    raise NotFound("lesson")


async def mark_read(
    session: AsyncSession, clock: Clock, tz: tzinfo, catalog: Catalog, member: Member, key: str
) -> ReadingProgress:
    """Record that the member read the lesson (once; pressing twice changes nothing)."""
    require_active(member)
    lesson = find(catalog, key)
    now = clock.now()
    await session.execute(
        insert_ignoring_duplicates(
            session,
            LessonRead.__table__,
            {
                "member_id": member.id,
                "lesson_id": lesson.id,
                "read_on": now.astimezone(tz).date(),
                "read_at": now,
            },
        )
    )
    await session.commit()
    return await progress(session, clock, tz, catalog, member)


async def progress(
    session: AsyncSession, clock: Clock, tz: tzinfo, catalog: Catalog, member: Member
) -> ReadingProgress:
    """Return how many lessons of the theme the member read, and their current streak."""
    lessons = catalog.lessons.get(await theme_of(session, catalog, member.unit_id), ())
    done = await read_ids(session, member.id)
    days = set(
        await session.scalars(
            select(LessonRead.read_on).where(LessonRead.member_id == member.id).distinct()
        )
    )
    return ReadingProgress(
        sum(1 for x in lessons if x.id in done),
        len(lessons),
        streak(days, clock.now().astimezone(tz).date()),
    )


def streak(days: set[date], today: date) -> int:
    """Count consecutive days with a reading, ending today (or yesterday, if not yet today)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


async def read_lessons(session: AsyncSession, catalog: Catalog, member: Member) -> list[Lesson]:
    """Return the lessons the member read that still exist, newest first."""
    rows = await session.scalars(
        select(LessonRead.lesson_id)
        .where(LessonRead.member_id == member.id)
        .order_by(LessonRead.read_at.desc(), LessonRead.id.desc())
    )
    found = [catalog.lesson(lesson_id) for lesson_id in rows]
    return [x for x in found if x is not None]
