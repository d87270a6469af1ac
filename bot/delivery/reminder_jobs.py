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
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import Catalog
from bot.clock import Clock
from bot.delivery import conditions, outbox, payload
from bot.screens import reminders as screens
from bot.screens.base import Screen, esc
from bot.services import checkin_windows, lessons, reminders
from bot.services.holidays import HolidayCalendar
from bot.services.preferences import zone_of
from bot.services.quiet import quiet_of
from bot.services.roster import Roster
from bot.services.roster import load as load_roster
from bot.texts import reminders as texts
from db.models import ChannelIdentity, Member, MemberStatus, OutboxMessage, Unit

MEETING_GRACE = time(12, 0)  # a meeting-day reminder after noon would come too late (also
# checked again when it is sent: bot/delivery/recheck)


@dataclass(frozen=True)
class Reminder:
    kind: str
    deadline: date  # of the check-in window it is about
    today: date  # the member's local date when it fell due
    month: str  # the check-in month it is about (for the meeting: the month it reviews)


@dataclass(frozen=True)
class Due:
    member_id: int
    channel: str
    chat_id: int
    key: str
    reminder: Reminder
    unit_id: int
    due_at: datetime  # UTC


async def due_reminders(
    session: AsyncSession,
    clock: Clock,
    default_tz: tzinfo,
    calendar: HolidayCalendar,
    catalog: Catalog,
) -> list[Due]:
    now = clock.now()
    here = checkin_windows.month_key(now.astimezone(default_tz).date())
    roster = await load_roster(
        session, {checkin_windows.add_months(here, n) for n in (-2, -1, 0, 1)}
    )
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
    candidates: list[Due] = []
    seen: set[int] = set()
    for member, identity in rows.all():
        if member.id in seen:
            continue  # one channel a member is enough
        seen.add(member.id)
        local = now.astimezone(zone_of(member, default_tz))
        for key, kind in _for_member(roster, member, local, calendar):
            due_at = quiet_of(member).next_allowed(local).astimezone(UTC)
            candidates.append(
                Due(
                    member.id,
                    identity.channel,
                    identity.chat_id,
                    key,
                    kind,
                    member.unit_id,
                    due_at,
                )
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
    now = clock.now()
    async with sessionmaker() as session:
        cells: dict[int, tuple[str, str | None]] = {}
        for due in await due_reminders(session, clock, tz, calendar, catalog):
            if due.unit_id not in cells:
                cells[due.unit_id] = await _cell(session, catalog, due.unit_id)
            name, theme = cells[due.unit_id]
            what = due.reminder
            condition = (
                conditions.meeting(due.member_id, what.today, texts.meeting_line(esc(name)), now)
                if what.kind == reminders.MEETING_DAY
                else conditions.checkin(
                    what.kind, due.member_id, due.unit_id, what.month, what.deadline, now
                )
            )
            added += await outbox.enqueue(
                session,
                clock,
                key=due.key,
                channel=due.channel,
                chat_id=due.chat_id,
                member_id=due.member_id,
                method="sendMessage",
                payload=payload.send_message(due.chat_id, _screen(due, name, theme)),
                due_at=due.due_at,
                condition=condition,
            )
        await session.commit()
    return added


def _for_member(
    roster: Roster, member: Member, local: datetime, calendar: HolidayCalendar
) -> list[tuple[str, Reminder]]:
    today, clock_time = local.date(), local.time().replace(tzinfo=None)
    rules = roster.rules_of(member.unit_id)
    settings = roster.reminders_of(member.unit_id)
    found: list[tuple[str, Reminder]] = []
    month = checkin_windows.current_month(today, rules)
    win = checkin_windows.window(month, rules)
    asked = roster.asked(member.unit_id, member.id, month)
    if win.is_open(today) and asked and not roster.has_sent(member.id, month):
        nudge = settings[reminders.CHECKIN_NUDGE]
        deadline = settings[reminders.CHECKIN_DEADLINE]
        nudge_day = win.deadline - timedelta(days=nudge.days_before)
        if calendar.is_holiday(today):
            pass  # holidays silence nudges; a nudge still due is caught up the next day
        elif (
            nudge.enabled
            and nudge_day <= today < win.deadline
            and (today > nudge_day or clock_time >= nudge.at)
        ):
            key = f"{reminders.NUDGE_KEY}:{member.id}:{month}"
            found.append((key, Reminder(reminders.CHECKIN_NUDGE, win.deadline, today, month)))
        elif deadline.enabled and today == win.deadline and clock_time >= deadline.at:
            key = f"{reminders.DEADLINE_KEY}:{member.id}:{month}"
            found.append((key, Reminder(reminders.CHECKIN_DEADLINE, win.deadline, today, month)))
    meeting = settings[reminders.MEETING_DAY]
    # the month the meeting reviews
    cycle = checkin_windows.add_months(checkin_windows.month_key(today), -1)
    if (
        meeting.enabled
        and today.day == rules.meeting_day
        and meeting.at <= clock_time < MEETING_GRACE
        and roster.asked(member.unit_id, member.id, cycle)
    ):
        key = f"{reminders.MEETING_KEY}:{member.id}:{cycle}"
        found.append((key, Reminder(reminders.MEETING_DAY, win.deadline, today, cycle)))
    return found


def _screen(due: Due, cell_name: str, theme: str | None) -> Screen:
    what = due.reminder
    if what.kind == reminders.CHECKIN_NUDGE:
        return screens.nudge(what.deadline, (what.deadline - what.today).days)
    if what.kind == reminders.CHECKIN_DEADLINE:
        return screens.deadline_today(what.deadline)
    return screens.meeting_today(cell_name, theme)


async def _cell(session: AsyncSession, catalog: Catalog, unit_id: int) -> tuple[str, str | None]:
    unit = await session.get(Unit, unit_id)
    theme = catalog.themes.get(await lessons.theme_of(session, catalog, unit_id))
    return (unit.name if unit else "", theme.name if theme and theme.name else None)
