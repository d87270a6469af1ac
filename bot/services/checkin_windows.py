"""The check-in's calendar: months, each month's window under the cell's rules, and whether a
member is spared a month (the month skipped, or an exemption).

Dates are local dates. For month M the window opens on `open_day` of M (25 by default) and its
deadline is the day before the cell's `meeting_day` in M+1 (5 by default → the 4th). Both days
are 1–28, so every month has them, and the meeting day may not fall after the opening day, so
two months' windows never overlap. After the deadline a check-in is still taken, marked late;
a submitted one can be edited only until the deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import Expired, InvalidInput
from bot.services.preferences import zone_of
from db.models import CheckinSettings, Exemption, Member, SkippedMonth

OPEN_DAY, MEETING_DAY = 25, 5
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Window:
    month: str
    opens: date
    deadline: date

    def is_open(self, day: date) -> bool:
        return self.opens <= day <= self.deadline


@dataclass(frozen=True)
class Rules:
    open_day: int
    meeting_day: int


@dataclass(frozen=True)
class NotAsked:
    month: str
    reason: str  # "exempt" or "skipped"
    detail: str | None


def month_key(day: date) -> str:
    """Return the "YYYY-MM" of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    """Return the first day of a "YYYY-MM" month; anything else is InvalidInput."""
    found = _MONTH.match(month)
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise InvalidInput("month")
    return date(int(found.group(1)), int(found.group(2)), 1)


def add_months(month: str, count: int) -> str:
    """Return the month `count` months after (or before) `month`."""
    first = first_day(month)
    index = first.year * 12 + first.month - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def from_code(code: int) -> str:
    """The month of a button's number (202611 → "2026-11"); a forged number is refused."""
    month = f"{code // 100:04d}-{code % 100:02d}"
    try:
        first_day(month)
    except InvalidInput as error:
        raise Expired("bad month") from error
    return month


def window(month: str, rules: Rules) -> Window:
    """Return month `month`'s window under the cell's rules."""
    first = first_day(month)
    meeting = first_day(add_months(month, 1)).replace(day=rules.meeting_day)
    return Window(month, first.replace(day=rules.open_day), meeting - timedelta(days=1))


def current_month(day: date, rules: Rules) -> str:
    """The latest month whose window has opened by `day`."""
    return month_key(day) if day.day >= rules.open_day else add_months(month_key(day), -1)


def today(member: Member, clock: Clock, tz: tzinfo) -> date:
    """The member's local date (their own zone if they set one)."""
    return clock.now().astimezone(zone_of(member, tz)).date()


async def rules_of(session: AsyncSession, unit_id: int) -> Rules:
    """Return the cell's opening and meeting days (25 and 5 unless the secretary changed them)."""
    row = await session.get(CheckinSettings, unit_id)
    return Rules(row.open_day, row.meeting_day) if row else Rules(OPEN_DAY, MEETING_DAY)


async def not_asked(
    session: AsyncSession, unit_id: int, member_id: int, month: str
) -> NotAsked | None:
    """Tell whether the member is spared this month: the month skipped, or an exemption."""
    skipped = await session.scalar(
        select(SkippedMonth.id).where(SkippedMonth.unit_id == unit_id, SkippedMonth.month == month)
    )
    if skipped is not None:
        return NotAsked(month, "skipped", None)
    reason = await session.scalar(
        select(Exemption.reason).where(
            Exemption.member_id == member_id,
            Exemption.unit_id == unit_id,
            Exemption.ended_at.is_(None),
            Exemption.from_month <= month,
            Exemption.to_month >= month,
        )
    )
    return NotAsked(month, "exempt", reason) if reason is not None else None
