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
from bot.delivery import outbox, payload
from bot.screens import checkins as screens
from bot.services import checkins, reminders
from bot.services.holidays import HolidayCalendar
from bot.services.preferences import zone_of
from bot.services.quiet import quiet_of
from db.models import ChannelIdentity, Checkin, Member, MemberStatus, OutboxMessage


@dataclass(frozen=True)
class Invitation:
    member_id: int
    channel: str
    chat_id: int
    window: checkins.Window
    key: str
    due_at: datetime  # UTC: now, or the end of the member's quiet hours


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
    a holiday they wait for the next ordinary day."""
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
    rules: dict[int, checkins.Rules] = {}
    settings: dict[int, reminders.Rule] = {}
    due: dict[int, Invitation] = {}
    for member, identity in rows.all():
        if member.id in due:
            continue  # one channel a member is enough
        if member.unit_id not in rules:
            rules[member.unit_id] = await checkins.rules_of(session, member.unit_id)
        local = now.astimezone(zone_of(member, default_tz))
        month = checkins.current_month(local.date(), rules[member.unit_id])
        win = checkins.window(month, rules[member.unit_id])
        if not win.is_open(local.date()):
            continue
        if member.unit_id not in settings:
            unit_rules = await reminders.effective(session, member.unit_id)
            settings[member.unit_id] = unit_rules[reminders.CHECKIN_OPEN]
        rule = settings[member.unit_id]
        if not rule.enabled or (calendar is not None and calendar.is_holiday(local.date())):
            continue
        if local.date() == win.opens and local.time().replace(tzinfo=None) < rule.at:
            continue
        key = invitation_key(member.id, month)
        if await _already(session, member, month, key):
            continue
        if await checkins.not_asked(session, member.unit_id, member.id, month) is not None:
            continue
        due_at = quiet_of(member).next_allowed(local).astimezone(UTC)
        due[member.id] = Invitation(
            member.id, identity.channel, identity.chat_id, win, key, due_at
        )
    return list(due.values())


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
            )
        await session.commit()
    return added


async def _already(session: AsyncSession, member: Member, month: str, key: str) -> bool:
    """Invited before (the key is in the outbox), or the month is submitted already."""
    queued = await session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key))
    if queued is not None:
        return True
    done = await session.scalar(
        select(Checkin.id).where(Checkin.member_id == member.id, Checkin.month == month)
    )
    return done is not None
