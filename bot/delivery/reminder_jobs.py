"""Check-in nudges, the deadline reminder and the meeting-day reminder, through the outbox.

Each reminder is one outbox row a member a month (key: kind, member, check-in month), so a
second tick or a restart never sends it twice, and a bot that was down catches up within the
reminder's grace: a nudge until the day before the deadline, the deadline reminder on that day,
the meeting reminder on the meeting morning (before noon, never after the meeting). Nudges
go only to those who have not sent the month's check-in; nobody exempt, in a skipped month,
paused or blocked is reminded; holidays silence nudges; quiet hours hold a reminder until they
end. What the unit set (reminders.effective) decides whether and when each goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import Catalog
from bot.clock import Clock
from bot.delivery import outbox, payload
from bot.screens import reminders as screens
from bot.screens.base import Screen
from bot.services import checkins, lessons, reminders
from bot.services.holidays import HolidayCalendar
from bot.services.preferences import zone_of
from bot.services.quiet import quiet_of
from db.models import ChannelIdentity, Checkin, Member, MemberStatus, OutboxMessage, Unit

MEETING_GRACE = time(12, 0)  # a meeting-day reminder after noon would come too late


@dataclass(frozen=True)
class Due:
    member_id: int
    channel: str
    chat_id: int
    key: str
    screen: Screen
    due_at: datetime  # UTC


@dataclass
class _Cell:
    rules: checkins.Rules
    reminders: dict[str, reminders.Rule]
    name: str
    theme: str | None
    submitted: dict[str, set[int]]  # month → members who sent it


async def due_reminders(
    session: AsyncSession,
    clock: Clock,
    default_tz: tzinfo,
    calendar: HolidayCalendar,
    catalog: Catalog,
) -> list[Due]:
    now = clock.now()
    rows = await session.execute(
        select(Member, ChannelIdentity)
        .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
        .where(
            Member.status == MemberStatus.ACTIVE,
            or_(Member.paused_until.is_(None), Member.paused_until <= now),
            ChannelIdentity.blocked_at.is_(None),
        )
        .order_by(Member.id, ChannelIdentity.id)
    )
    cells: dict[int, _Cell] = {}
    candidates: list[Due] = []
    seen: set[int] = set()
    for member, identity in rows.all():
        if member.id in seen:
            continue  # one channel a member is enough
        seen.add(member.id)
        cell = cells.get(member.unit_id) or await _cell(session, catalog, member.unit_id)
        cells[member.unit_id] = cell
        local = now.astimezone(zone_of(member, default_tz))
        for key, screen in await _for_member(session, cell, member, local, calendar):
            due_at = quiet_of(member).next_allowed(local).astimezone(UTC)
            candidates.append(
                Due(member.id, identity.channel, identity.chat_id, key, screen, due_at)
            )
    if not candidates:
        return []
    queued = set(
        await session.scalars(
            select(OutboxMessage.key).where(OutboxMessage.key.in_([d.key for d in candidates]))
        )
    )
    return [d for d in candidates if d.key not in queued]


async def enqueue_reminders(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    tz: tzinfo,
    calendar: HolidayCalendar,
    catalog: Catalog,
) -> int:
    """Write the due reminders into the outbox; return how many were added."""
    added = 0
    async with sessionmaker() as session:
        for due in await due_reminders(session, clock, tz, calendar, catalog):
            added += await outbox.enqueue(
                session,
                clock,
                key=due.key,
                channel=due.channel,
                chat_id=due.chat_id,
                member_id=due.member_id,
                method="sendMessage",
                payload=payload.send_message(due.chat_id, due.screen),
                due_at=due.due_at,
            )
        await session.commit()
    return added


async def _for_member(
    session: AsyncSession,
    cell: _Cell,
    member: Member,
    local: datetime,
    calendar: HolidayCalendar,
) -> list[tuple[str, Screen]]:
    today, clock_time = local.date(), local.time().replace(tzinfo=None)
    found: list[tuple[str, Screen]] = []
    month = checkins.current_month(today, cell.rules)
    win = checkins.window(month, cell.rules)
    nudge = cell.reminders[reminders.CHECKIN_NUDGE]
    deadline = cell.reminders[reminders.CHECKIN_DEADLINE]
    if win.is_open(today) and not calendar.is_holiday(today):
        sent = member.id in await _submitted(session, cell, member.unit_id, month)
        nudge_day = win.deadline - timedelta(days=nudge.days_before)
        if (
            not sent
            and nudge.enabled
            and nudge_day <= today < win.deadline
            and (today > nudge_day or clock_time >= nudge.at)
            and await _asked(session, member, month)
        ):
            days_left = (win.deadline - today).days
            key = f"{reminders.NUDGE_KEY}:{member.id}:{month}"
            found.append((key, screens.nudge(win.deadline, days_left)))
        if (
            not sent
            and deadline.enabled
            and today == win.deadline
            and clock_time >= deadline.at
            and await _asked(session, member, month)
        ):
            key = f"{reminders.DEADLINE_KEY}:{member.id}:{month}"
            found.append((key, screens.deadline_today(win.deadline)))
    meeting = cell.reminders[reminders.MEETING_DAY]
    if (
        meeting.enabled
        and today.day == cell.rules.meeting_day
        and meeting.at <= clock_time < MEETING_GRACE
    ):
        cycle = checkins.add_months(checkins.month_key(today), -1)  # the month it reviews
        if await _asked(session, member, cycle):
            key = f"{reminders.MEETING_KEY}:{member.id}:{cycle}"
            found.append((key, screens.meeting_today(cell.name, cell.theme)))
    return found


async def _asked(session: AsyncSession, member: Member, month: str) -> bool:
    """Not exempt from activities that month, and the month not skipped by the cell."""
    return await checkins.not_asked(session, member.unit_id, member.id, month) is None


async def _cell(session: AsyncSession, catalog: Catalog, unit_id: int) -> _Cell:
    unit = await session.get(Unit, unit_id)
    theme_id = await lessons.theme_of(session, catalog, unit_id)
    theme = catalog.themes.get(theme_id)
    return _Cell(
        await checkins.rules_of(session, unit_id),
        await reminders.effective(session, unit_id),
        unit.name if unit else "",
        theme.name if theme and theme.name else None,
        {},
    )


async def _submitted(session: AsyncSession, cell: _Cell, unit_id: int, month: str) -> set[int]:
    if month not in cell.submitted:
        cell.submitted[month] = set(
            await session.scalars(
                select(Checkin.member_id).where(Checkin.unit_id == unit_id, Checkin.month == month)
            )
        )
    return cell.submitted[month]
