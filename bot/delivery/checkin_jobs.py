"""The check-in window has opened: one invitation a member a month, through the outbox.

Due from the opening day until the deadline, so a bot that was down on the 25th still invites
on the 26th; the outbox key (member, month) makes it once. Not invited: paused members, members
whose every channel is blocked, exempt members, skipped months, members who already submitted.
Later nudges and the deadline reminder belong to the reminders issue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import conditions, outbox, payload
from bot.screens import checkins as screens
from bot.services import checkin_windows, reminders
from bot.services.holidays import HolidayCalendar
from bot.services.preferences import zone_of
from bot.services.quiet import quiet_of
from bot.services.roster import load as load_roster
from db.models import ChannelIdentity, Member, MemberStatus, OutboxMessage


@dataclass(frozen=True)
class Invitation:
    member_id: int
    channel: str
    chat_id: int
    window: checkin_windows.Window
    key: str
    due_at: datetime  # UTC: now, or the end of the member's quiet hours
    unit_id: int


def invitation_key(member_id: int, month: str) -> str:
    return f"checkin-open:{member_id}:{month}"


async def due_checkin_invitations(
    session: AsyncSession,
    clock: Clock,
    default_tz: tzinfo,
    calendar: HolidayCalendar | None = None,
) -> list[Invitation]:
    """Return the members to invite now to the check-in whose window is open for them.

    The unit's rule decides whether invitations go and from what time on the opening day; on
    a holiday they wait for the next ordinary day. A few queries a tick, whatever the size."""
    now = clock.now()
    here = checkin_windows.month_key(now.astimezone(default_tz).date())
    roster = await load_roster(session, {checkin_windows.add_months(here, n) for n in (-1, 0, 1)})
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
    due: dict[int, Invitation] = {}
    for member, identity in rows.all():
        if member.id in due:
            continue  # one channel a member is enough
        local = now.astimezone(zone_of(member, default_tz))
        today = local.date()
        rules = roster.rules_of(member.unit_id)
        month = checkin_windows.current_month(today, rules)
        win = checkin_windows.window(month, rules)
        rule = roster.reminders_of(member.unit_id)[reminders.CHECKIN_OPEN]
        if (
            not win.is_open(today)
            or not rule.enabled
            or (calendar is not None and calendar.is_holiday(today))
            or (today == win.opens and local.time().replace(tzinfo=None) < rule.at)
            or roster.has_sent(member.id, month)
            or not roster.asked(member.unit_id, member.id, month)
        ):
            continue
        due_at = quiet_of(member).next_allowed(local).astimezone(UTC)
        key = invitation_key(member.id, month)
        due[member.id] = Invitation(
            member.id, identity.channel, identity.chat_id, win, key, due_at, member.unit_id
        )
    if not due:
        return []
    queued = set(
        await session.scalars(
            select(OutboxMessage.key).where(OutboxMessage.key.in_([i.key for i in due.values()]))
        )
    )
    return [i for i in due.values() if i.key not in queued]


async def enqueue_checkin_invitations(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    tz: tzinfo,
    calendar: HolidayCalendar | None = None,
) -> int:
    """Write one outbox row per member to invite; return how many were added."""
    added = 0
    async with sessionmaker() as session:
        for due in await due_checkin_invitations(session, clock, tz, calendar):
            added += await outbox.enqueue(
                session,
                clock,
                key=due.key,
                channel=due.channel,
                chat_id=due.chat_id,
                member_id=due.member_id,
                method="sendMessage",
                payload=payload.send_message(due.chat_id, screens.invitation(due.window)),
                due_at=due.due_at,
                condition=conditions.checkin(
                    reminders.CHECKIN_OPEN,
                    due.member_id,
                    due.unit_id,
                    due.window.month,
                    due.window.deadline,
                    clock.now(),
                ),
            )
        await session.commit()
    return added
