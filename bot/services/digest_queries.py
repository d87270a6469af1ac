"""The digests' SQL: every figure is aggregated in the database for many cells at once.

Each function takes `cells`, the unit ids in scope, or None for every cell: a secretary's
digest asks for one cell, a committee's roll-up for its subtree, the scheduler for the cells
due. A query returns one row a member (or a cell), never one query a member, so the 5,000
monthly digests of a province cost a dozen queries (bench/digests.py measures it).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, and_, case, column, func, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import checkin_windows
from bot.services.roster import Roster
from db.base import Base
from db.models import (
    ChannelIdentity,
    Checkin,
    CheckinAnswer,
    CheckinSettings,
    Exemption,
    Invite,
    LessonRead,
    Member,
    MemberStatus,
    QuizAnswer,
    QuizRound,
    Rating,
    Role,
    SkippedMonth,
    Unit,
    UnitKind,
)

Cells = list[int] | None
S = TypeVar("S", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    unit_id: int
    name: str
    status: MemberStatus
    role: Role
    joined_on: datetime


@dataclass(frozen=True)
class Night:
    """A cell's last finished quiz night; `podium` holds (name, score), best first."""

    night_id: int
    unit_id: int
    title: str
    finished_at: datetime
    players: int
    member_ids: frozenset[int]
    podium: tuple[tuple[str, int], ...]


def _in_cells(query: S, unit_column: Any, cells: Cells) -> S:
    return query if cells is None else query.where(unit_column.in_(cells))


async def units(session: AsyncSession, cells: Cells) -> dict[int, str]:
    """Names of the cells in scope."""
    query = select(Unit.id, Unit.name).where(Unit.kind == UnitKind.CELL)
    rows = await session.execute(_in_cells(query, Unit.id, cells))
    return dict(rows.all())


async def unit_names(session: AsyncSession, ids: list[int]) -> dict[int, str]:
    """Names of any units (committees included)."""
    rows = await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids)))
    return dict(rows.all())


async def subtree(session: AsyncSession, unit_id: int) -> list[int]:
    """The cells at or under `unit_id` (one query for the whole tree, walked in memory)."""
    rows = (await session.execute(select(Unit.id, Unit.parent_id, Unit.kind))).all()
    children: dict[int | None, list[int]] = defaultdict(list)
    kinds = {}
    for uid, parent, kind in rows:
        children[parent].append(uid)
        kinds[uid] = kind
    found, stack, seen = [], [unit_id], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue  # a cycle would be a data error, never an endless loop
        seen.add(current)
        if kinds.get(current) is UnitKind.CELL:
            found.append(current)
        stack.extend(children.get(current, ()))
    return sorted(found)


async def members(session: AsyncSession, cells: Cells) -> list[MemberRow]:
    """Active and joining members of the cells, by name."""
    query = (
        select(
            Member.id,
            Member.unit_id,
            Member.full_name,
            Member.status,
            Member.role,
            Member.joined_at,
        )
        .where(Member.status.in_([MemberStatus.ACTIVE, MemberStatus.ONBOARDING]))
        .order_by(Member.unit_id, Member.full_name, Member.id)
    )
    rows = await session.execute(_in_cells(query, Member.unit_id, cells))
    return [MemberRow(r[0], r[1], r[2] or "", r[3], r[4], r[5]) for r in rows.all()]


async def roster(session: AsyncSession, cells: Cells, months: list[str]) -> Roster:
    """The check-in rules, skipped months, exemptions and submissions of the cells (the same
    Roster the reminder jobs read, limited to the cells in scope)."""
    days = {
        r.unit_id: checkin_windows.Rules(r.open_day, r.meeting_day)
        for r in await session.scalars(
            _in_cells(select(CheckinSettings), CheckinSettings.unit_id, cells)
        )
    }
    skipped_q = select(SkippedMonth.unit_id, SkippedMonth.month).where(
        SkippedMonth.month.in_(months)
    )
    skipped = {
        (u, m)
        for u, m in (
            await session.execute(_in_cells(skipped_q, SkippedMonth.unit_id, cells))
        ).all()
    }
    exemptions: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    ex_q = select(
        Exemption.unit_id, Exemption.member_id, Exemption.from_month, Exemption.to_month
    ).where(
        Exemption.ended_at.is_(None),
        Exemption.from_month <= max(months),
        Exemption.to_month >= min(months),
    )
    for unit_id, member_id, start, end in (
        await session.execute(_in_cells(ex_q, Exemption.unit_id, cells))
    ).all():
        exemptions[(unit_id, member_id)].append((start, end))
    return Roster({}, days, {}, skipped, dict(exemptions), set())


async def submissions(
    session: AsyncSession, cells: Cells, months: list[str]
) -> dict[tuple[int, str], bool]:
    """(member, month) → late, for the given months."""
    query = select(Checkin.member_id, Checkin.month, Checkin.late).where(Checkin.month.in_(months))
    rows = await session.execute(_in_cells(query, Checkin.unit_id, cells))
    return {(m, month): bool(late) for m, month, late in rows.all()}


async def submitted_per_cell(
    session: AsyncSession, cells: Cells, months: list[str]
) -> dict[tuple[int, str], int]:
    """(cell, month) → check-ins written in the cell that month (departed members included)."""
    query = (
        select(Checkin.unit_id, Checkin.month, func.count())
        .where(Checkin.month.in_(months))
        .group_by(Checkin.unit_id, Checkin.month)
    )
    rows = await session.execute(_in_cells(query, Checkin.unit_id, cells))
    return {(u, m): int(n) for u, m, n in rows.all()}


async def not_done_items(
    session: AsyncSession, cells: Cells, months: list[str]
) -> list[tuple[int, str, int, str, str | None]]:
    """(member, month, item no, item, "will fix") of every item rated chưa đạt in `months`."""
    query = (
        select(
            Checkin.member_id,
            Checkin.month,
            CheckinAnswer.position,
            CheckinAnswer.item,
            CheckinAnswer.fix,
        )
        .join(CheckinAnswer, CheckinAnswer.checkin_id == Checkin.id)
        .where(
            Checkin.month.in_(months),
            Checkin.erased_at.is_(None),
            CheckinAnswer.rating == Rating.NOT_DONE,
        )
        .order_by(Checkin.member_id, CheckinAnswer.position)
    )
    rows = await session.execute(_in_cells(query, Checkin.unit_id, cells))
    return [(m, month, p, item, fix) for m, month, p, item, fix in rows.all()]


async def not_done_counts(
    session: AsyncSession, cells: Cells, months: list[str]
) -> dict[tuple[int, str], int]:
    """(cell, month) → items rated chưa đạt: a count, never the words (for committees)."""
    query = (
        select(Checkin.unit_id, Checkin.month, func.count())
        .join(CheckinAnswer, CheckinAnswer.checkin_id == Checkin.id)
        .where(Checkin.month.in_(months), CheckinAnswer.rating == Rating.NOT_DONE)
        .group_by(Checkin.unit_id, Checkin.month)
    )
    rows = await session.execute(_in_cells(query, Checkin.unit_id, cells))
    return {(u, m): int(n) for u, m, n in rows.all()}


def _member_scope(query: S, member_id: Any, cells: Cells) -> S:
    if cells is None:
        return query
    return query.join(Member, Member.id == member_id).where(Member.unit_id.in_(cells))


async def reading(session: AsyncSession, cells: Cells, bounds: list[date]) -> dict[int, list[int]]:
    """member → lessons read in each [bounds[i], bounds[i+1]) span, in one pass."""
    spans = list(itertools.pairwise(bounds))
    sums = [
        func.sum(case((and_(LessonRead.read_on >= a, LessonRead.read_on < b), 1), else_=0))
        for a, b in spans
    ]
    query = (
        select(LessonRead.member_id, *sums)
        .where(LessonRead.read_on >= min(bounds), LessonRead.read_on < max(bounds))
        .group_by(LessonRead.member_id)
    )
    rows = await session.execute(_member_scope(query, LessonRead.member_id, cells))
    return {row[0]: [int(x or 0) for x in row[1:]] for row in rows.all()}


async def reading_days(session: AsyncSession, cells: Cells, since: date) -> dict[int, set[date]]:
    """member → the days with a reading since `since` (enough for the current streaks)."""
    query = (
        select(LessonRead.member_id, LessonRead.read_on)
        .where(LessonRead.read_on >= since)
        .distinct()
    )
    days: dict[int, set[date]] = defaultdict(set)
    for member_id, day in (
        await session.execute(_member_scope(query, LessonRead.member_id, cells))
    ).all():
        days[member_id].add(day)
    return days


async def practice(
    session: AsyncSession, cells: Cells, since: datetime, until: datetime
) -> dict[int, tuple[int, int, int]]:
    """member → (rounds, answers, correct) of solo practice started in [since, until)."""
    query = (
        select(
            QuizRound.member_id,
            func.count(func.distinct(QuizRound.id)),
            func.count(QuizAnswer.chosen),
            func.sum(case((QuizAnswer.correct.is_(True), 1), else_=0)),
        )
        .join(QuizAnswer, QuizAnswer.round_id == QuizRound.id)
        .where(QuizRound.started_at >= since, QuizRound.started_at < until)
        .group_by(QuizRound.member_id)
    )
    rows = await session.execute(_member_scope(query, QuizRound.member_id, cells))
    return {m: (int(r), int(a), int(c or 0)) for m, r, a, c in rows.all()}


async def blocked(session: AsyncSession, cells: Cells) -> dict[int, datetime]:
    """member → when the bot was blocked, for members whose every channel is blocked."""
    query = (
        select(
            ChannelIdentity.member_id,
            func.count(),
            func.count(ChannelIdentity.blocked_at),
            func.max(ChannelIdentity.blocked_at),
        )
        .where(
            ChannelIdentity.member_id.in_(
                select(ChannelIdentity.member_id).where(ChannelIdentity.blocked_at.is_not(None))
            )
        )
        .group_by(ChannelIdentity.member_id)
    )
    rows = await session.execute(_member_scope(query, ChannelIdentity.member_id, cells))
    found = {}
    for member_id, total, gone, last in rows.all():
        if total == gone and last is not None:
            found[member_id] = _as_utc(last)
    return found


def _as_utc(value: Any) -> datetime:
    """max() over a UTC column comes back raw on SQLite (a naive value or text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def open_invites(
    session: AsyncSession, cells: Cells, now: datetime
) -> list[tuple[int, str]]:
    """(cell, name or "") of invites still usable: people asked to join who have not yet."""
    query = (
        select(Invite.unit_id, Invite.full_name)
        .where(
            Invite.revoked_at.is_(None),
            Invite.expires_at > now,
            Invite.uses < Invite.max_uses,
        )
        .order_by(Invite.unit_id, Invite.full_name, Invite.id)
    )
    rows = await session.execute(_in_cells(query, Invite.unit_id, cells))
    return [(u, name or "") for u, name in rows.all()]


_NIGHTS = table(
    "quiz_nights",
    column("id"),
    column("unit_id"),
    column("title"),
    column("status"),
    column("finished_at"),
)
_PLAYERS = table(
    "quiz_night_players",
    column("night_id"),
    column("member_id"),
    column("display_name"),
    column("score"),
)


async def last_nights(session: AsyncSession, cells: Cells) -> dict[int, Night]:
    """cell → its last finished quiz night, with the podium. Empty until quiz nights exist:
    their tables come with another feature, so this asks for them only once they are mapped."""
    if "quiz_nights" not in Base.metadata.tables:
        return {}
    latest = _in_cells(
        select(_NIGHTS.c.unit_id, func.max(_NIGHTS.c.id).label("night_id"))
        .where(_NIGHTS.c.status == "finished")
        .group_by(_NIGHTS.c.unit_id),
        _NIGHTS.c.unit_id,
        cells,
    ).subquery()
    rows = await session.execute(
        select(
            _NIGHTS.c.id,
            _NIGHTS.c.unit_id,
            _NIGHTS.c.title,
            _NIGHTS.c.finished_at,
            _PLAYERS.c.member_id,
            _PLAYERS.c.display_name,
            _PLAYERS.c.score,
        )
        .join(latest, latest.c.night_id == _NIGHTS.c.id)
        .join(_PLAYERS, _PLAYERS.c.night_id == _NIGHTS.c.id, isouter=True)
        .order_by(_NIGHTS.c.id, _PLAYERS.c.score.desc(), _PLAYERS.c.display_name)
    )
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows.all():
        grouped[row[1]].append(row)
    nights = {}
    for unit_id, found in grouped.items():
        players = [r for r in found if r[6] is not None]
        nights[unit_id] = Night(
            found[0][0],
            unit_id,
            found[0][2] or "",
            _as_utc(found[0][3] or datetime.min),
            len(players),
            frozenset(r[4] for r in players if r[4] is not None),
            tuple((r[5] or "", int(r[6])) for r in players[:3]),
        )
    return nights


def month_bounds(last_month: str, count: int) -> list[date]:
    """The first days of `count` months ending with `last_month`, and of the month after."""
    first = checkin_windows.add_months(last_month, 1 - count)
    return [
        checkin_windows.first_day(checkin_windows.add_months(first, n)) for n in range(count + 1)
    ]


def days_before(day: date, count: int) -> date:
    return day - timedelta(days=count)
