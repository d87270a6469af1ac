"""The secretary's month of the cell: who submitted on time or late, who is missing or spared,
with the ratings; and the secretary's comment on one check-in, which its member is told of."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import Expired, NotAllowed, NotFound
from bot.services import access, audit
from bot.services.checkin_months import MonthView, month_view
from bot.services.checkin_windows import Window, not_asked, rules_of, window
from bot.services.pledges import clean_text
from db.models import Checkin, Member, MemberStatus, Rating, SkippedMonth, Unit

# The notice is a screen, built in bot.delivery.notices; the service calls it inside its own
# transaction, so it is queued exactly when the comment is committed.
CommentNotice = Callable[[AsyncSession, Clock, Checkin, tzinfo], Awaitable[None]]


@dataclass(frozen=True)
class MemberMonth:
    member_id: int
    name: str
    status: str  # on_time, late, waiting, missing, exempt, skipped
    ratings: tuple[Rating | None, ...]
    checkin_id: int | None
    erased: bool


@dataclass(frozen=True)
class CellMonth:
    unit_id: int
    unit_name: str
    month: str
    window: Window
    skipped: bool
    rows: tuple[MemberMonth, ...]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


async def cell_month(
    session: AsyncSession, clock: Clock, actor: Member, unit_id: int, month: str, tz: tzinfo
) -> CellMonth:
    """Return who submitted `month`, on time or late, who is missing, exempt, and the ratings."""
    unit = await managed_unit(session, actor, unit_id)
    rules = await rules_of(session, unit_id)
    win = window(month, rules)
    day = clock.now().astimezone(tz).date()
    done = {
        c.member_id: c
        for c in await session.scalars(
            select(Checkin).where(Checkin.unit_id == unit_id, Checkin.month == month)
        )
    }
    members = list(
        await session.scalars(
            select(Member)
            .where(
                (Member.id.in_(done))
                | ((Member.unit_id == unit_id) & (Member.status == MemberStatus.ACTIVE))
            )
            .order_by(Member.full_name, Member.id)
        )
    )
    skipped = await session.scalar(
        select(SkippedMonth.id).where(SkippedMonth.unit_id == unit_id, SkippedMonth.month == month)
    )
    rows = []
    for member in members:
        row = done.get(member.id)
        if row is None and member.joined_at.astimezone(tz).date() > win.deadline:
            continue  # joined after this month's deadline: never asked
        status = "on_time"
        if row is not None:
            status = "late" if row.late else "on_time"
        else:
            spared = await not_asked(session, unit_id, member.id, month)
            if spared is not None:
                status = spared.reason
            else:
                status = "missing" if day > win.deadline else "waiting"
        ratings = tuple(a.rating for a in row.answers) if row else ()
        rows.append(
            MemberMonth(
                member.id,
                member.full_name or "",
                status,
                ratings,
                row.id if row else None,
                bool(row and row.erased_at),
            )
        )
    return CellMonth(unit.id, unit.name, month, win, skipped is not None, tuple(rows))


async def comment(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    checkin_id: int,
    text: str,
    tz: tzinfo,
    *,
    notify: CommentNotice,
) -> MonthView:
    """Set the secretary's comment (the member's own words are never changed); tell them."""
    row = await session.get(Checkin, checkin_id)
    if row is None:
        raise NotFound("checkin")
    access.require_cell_officer(actor, row.unit_id)
    if row.member_id == actor.id:
        raise NotAllowed("own check-in")
    if row.erased_at is not None:
        raise Expired("erased")
    row.comment, row.commented_by_id, row.commented_at = clean_text(text), actor.id, clock.now()
    audit.record(session, clock, "checkin.comment", actor_member_id=actor.id, checkin=row.id)
    await notify(session, clock, row, tz)
    await session.commit()
    owner = await session.get(Member, row.member_id)
    assert owner is not None
    return await month_view(session, row, owner, None, mine=False)


async def managed_unit(session: AsyncSession, actor: Member, unit_id: int) -> Unit:
    """Return the cell if `actor` is its secretary or deputy (NotAllowed otherwise).

    Its screens carry names beside ratings and exemption reasons: a committee sees the
    roll-up's counts instead."""
    access.require_cell_officer(actor, unit_id)
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("unit")
    return unit
