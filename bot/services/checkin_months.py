"""Submitted check-ins read back: one month as its member or a manager of the cell sees it, and
the member's months of a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import NotFound
from bot.services import access
from bot.services.checkin_windows import Window, rules_of, today, window
from db.models import Checkin, Member, Rating


@dataclass(frozen=True)
class Answer:
    item: str
    rating: Rating | None
    done: str | None
    fix: str | None


@dataclass(frozen=True)
class MonthView:
    checkin_id: int
    unit_id: int
    member_name: str
    month: str
    window: Window
    answers: tuple[Answer, ...]
    note: str | None
    late: bool
    comment: str | None
    erased: bool
    can_edit: bool
    mine: bool  # seen by its own member (else by a manager of the cell)


async def my_months(session: AsyncSession, member: Member, year: int) -> list[MonthView]:
    """Return the member's own submitted months of `year`, newest first."""
    access.require_active(member)
    rows = await session.scalars(
        select(Checkin)
        .where(Checkin.member_id == member.id, Checkin.month.like(f"{year:04d}-%"))
        .order_by(Checkin.month.desc())
    )
    return [await month_view(session, row, member, None) for row in rows]


async def view(
    session: AsyncSession, clock: Clock, actor: Member, tz: tzinfo, checkin_id: int
) -> MonthView:
    """Return one check-in to its member, or to an officer of the cell it was written in."""
    access.require_active(actor)
    row = await session.get(Checkin, checkin_id)
    if row is None:
        raise NotFound("checkin")
    access.require_words(actor, owner_id=row.member_id, unit_id=row.unit_id)
    owner = await session.get(Member, row.member_id)
    assert owner is not None
    mine = row.member_id == actor.id
    return await month_view(session, row, owner, today(actor, clock, tz), mine=mine)


async def checkin_of(session: AsyncSession, member_id: int, month: str) -> Checkin | None:
    """Return the member's submitted check-in of `month`, if any."""
    return await session.scalar(
        select(Checkin).where(Checkin.member_id == member_id, Checkin.month == month)
    )


async def month_view(
    session: AsyncSession, row: Checkin, owner: Member, day: date | None, *, mine: bool = True
) -> MonthView:
    """Return `row` as seen on `day` (None: never editable) by its member, or else a manager."""
    win = window(row.month, await rules_of(session, row.unit_id))
    answers = tuple(Answer(a.item, a.rating, a.done, a.fix) for a in row.answers)
    return MonthView(
        row.id,
        row.unit_id,
        owner.full_name or "",
        row.month,
        win,
        answers,
        row.note,
        row.late,
        row.comment,
        row.erased_at is not None,
        mine and day is not None and row.erased_at is None and day <= win.deadline,
        mine,
    )
