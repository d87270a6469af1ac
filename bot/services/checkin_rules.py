"""The cell's check-in rules as its secretary sets them: the opening and meeting days, months
skipped for the whole cell, and members exempted for a while."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import Expired, InvalidInput, NotAllowed, NotFound
from bot.services import audit
from bot.services.checkin_cell import managed_unit
from bot.services.checkin_windows import Rules, Window, add_months, current_month, rules_of, window
from bot.services.pledges import clean_text
from db.models import (
    CheckinSettings,
    Exemption,
    Member,
    MemberStatus,
    Pledge,
    PledgeStatus,
    SkippedMonth,
)

OPEN_DAYS = range(15, 29)  # the window needs at least the last days of the month
MEETING_DAYS = range(1, 29)  # 29–31 do not exist in every month (February)
EXEMPT_MONTHS = (1, 3, 6, 12)
# InvalidInput reasons for the secretary's typed days
DAY_RANGE, OVERLAP = "day range", "overlap"


@dataclass(frozen=True)
class ExemptionView:
    exemption_id: int
    member_name: str
    reason: str
    from_month: str
    to_month: str


@dataclass(frozen=True)
class CellRules:
    unit_id: int
    unit_name: str
    rules: Rules
    month: str  # the current check-in month
    window: Window
    skipped: bool
    exemptions: tuple[ExemptionView, ...]
    pending_pledges: int


@dataclass(frozen=True)
class Candidate:
    member_id: int
    name: str


async def cell_rules(
    session: AsyncSession, clock: Clock, actor: Member, unit_id: int, tz: tzinfo
) -> CellRules:
    """Return the cell's check-in rules, this month's window, exemptions and pending pledges."""
    unit = await managed_unit(session, actor, unit_id)
    rules = await rules_of(session, unit_id)
    month = current_month(clock.now().astimezone(tz).date(), rules)
    skipped = await session.scalar(
        select(SkippedMonth.id).where(SkippedMonth.unit_id == unit_id, SkippedMonth.month == month)
    )
    rows = await session.execute(
        select(Exemption, Member.full_name)
        .join(Member, Member.id == Exemption.member_id)
        .where(
            Exemption.unit_id == unit_id,
            Exemption.ended_at.is_(None),
            Exemption.to_month >= month,
        )
        .order_by(Exemption.from_month, Exemption.id)
    )
    exemptions = tuple(
        ExemptionView(e.id, name or "", e.reason, e.from_month, e.to_month)
        for e, name in rows.all()
    )
    pending = await session.scalar(
        select(func.count())
        .select_from(Pledge)
        .where(Pledge.unit_id == unit_id, Pledge.status == PledgeStatus.SUBMITTED)
    )
    return CellRules(
        unit.id,
        unit.name,
        rules,
        month,
        window(month, rules),
        skipped is not None,
        exemptions,
        pending or 0,
    )


def parse_day(text: str) -> int:
    """Return a typed day of the month ("5", "ngày 5", "mùng 5"); range is checked later."""
    digits = re.findall(r"\d+", text)
    if len(digits) != 1 or len(digits[0]) > 2:
        raise InvalidInput(DAY_RANGE)
    return int(digits[0])


async def set_days(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    unit_id: int,
    *,
    open_day: int | None = None,
    meeting_day: int | None = None,
) -> Rules:
    """Change the opening day (15–28) or the meeting day (1–28, not after the opening day)."""
    await managed_unit(session, actor, unit_id)
    old = await rules_of(session, unit_id)
    new = Rules(
        old.open_day if open_day is None else open_day,
        old.meeting_day if meeting_day is None else meeting_day,
    )
    if new.open_day not in OPEN_DAYS or new.meeting_day not in MEETING_DAYS:
        raise InvalidInput(DAY_RANGE)
    if new.meeting_day > new.open_day:
        raise InvalidInput(OVERLAP)  # month M's deadline would pass M+1's opening
    row = await session.get(CheckinSettings, unit_id)
    if row is None:
        row = CheckinSettings(unit_id=unit_id)
        session.add(row)
    row.open_day, row.meeting_day = new.open_day, new.meeting_day
    row.updated_at, row.updated_by_id = clock.now(), actor.id
    audit.record(
        session,
        clock,
        "checkin.rules",
        actor_member_id=actor.id,
        unit=unit_id,
        open_day=new.open_day,
        meeting_day=new.meeting_day,
    )
    await session.commit()
    return new


async def toggle_skip(
    session: AsyncSession, clock: Clock, actor: Member, unit_id: int, month: str, tz: tzinfo
) -> bool:
    """Skip `month` for the whole cell (e.g. Tết), or undo it; return whether it is skipped."""
    await managed_unit(session, actor, unit_id)
    rules = await rules_of(session, unit_id)
    current = current_month(clock.now().astimezone(tz).date(), rules)
    if not current <= month <= add_months(current, 12):
        raise Expired("month out of range")  # past months are history, not a plan
    row = await session.scalar(
        select(SkippedMonth).where(SkippedMonth.unit_id == unit_id, SkippedMonth.month == month)
    )
    if row is None:
        session.add(
            SkippedMonth(
                unit_id=unit_id, month=month, created_by_id=actor.id, created_at=clock.now()
            )
        )
    else:
        await session.delete(row)
    audit.record(
        session,
        clock,
        "checkin.skip",
        actor_member_id=actor.id,
        unit=unit_id,
        month=month,
        skipped=row is None,
    )
    await session.commit()
    return row is None


async def candidates(session: AsyncSession, actor: Member, unit_id: int) -> list[Candidate]:
    """Return the cell's active members, for choosing whom to exempt."""
    await managed_unit(session, actor, unit_id)
    rows = await session.scalars(
        select(Member)
        .where(Member.unit_id == unit_id, Member.status == MemberStatus.ACTIVE)
        .order_by(Member.full_name, Member.id)
    )
    return [Candidate(m.id, m.full_name or "") for m in rows]


async def exempt(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    unit_id: int,
    member_id: int,
    months: int,
    reason: str,
    tz: tzinfo,
) -> ExemptionView:
    """Exempt a member of the cell from check-ins for `months` months from the current one."""
    await managed_unit(session, actor, unit_id)
    member = await session.get(Member, member_id)
    if member is None or member.unit_id != unit_id or months not in EXEMPT_MONTHS:
        raise NotAllowed("not a member of this cell")
    rules = await rules_of(session, unit_id)
    start_month = current_month(clock.now().astimezone(tz).date(), rules)
    row = Exemption(
        unit_id=unit_id,
        member_id=member_id,
        reason=clean_text(reason, limit=500),
        from_month=start_month,
        to_month=add_months(start_month, months - 1),
        created_by_id=actor.id,
        created_at=clock.now(),
    )
    session.add(row)
    audit.record(
        session,
        clock,
        "checkin.exempt",
        actor_member_id=actor.id,
        member=member_id,
        months=months,
    )
    await session.commit()
    return ExemptionView(row.id, member.full_name or "", row.reason, row.from_month, row.to_month)


async def end_exemption(
    session: AsyncSession, clock: Clock, actor: Member, exemption_id: int
) -> int:
    """End an exemption now; return its cell."""
    row = await session.get(Exemption, exemption_id)
    if row is None or row.ended_at is not None:
        raise NotFound("exemption")
    await managed_unit(session, actor, row.unit_id)
    row.ended_at = clock.now()
    audit.record(session, clock, "checkin.exempt_end", actor_member_id=actor.id, exemption=row.id)
    await session.commit()
    return row.unit_id
