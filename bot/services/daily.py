"""Which members are due their daily lesson now: their chosen time has come today, in their zone.

A bot that was down at the member's time catches up later the same day; after midnight that
day's lesson is no longer due. A paused member is skipped; a lesson that falls due in the
member's quiet hours waits for their end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.services.preferences import zone
from bot.services.quiet import quiet_of
from db.models import ChannelIdentity, Member, MemberStatus, OutboxMessage


@dataclass(frozen=True)
class Due:
    member: Member
    channel: str
    chat_id: int
    day: date
    key: str
    due_at: datetime  # UTC: now, or the end of the member's quiet hours


def lesson_key(member_id: int, day: date) -> str:
    """The outbox key of a member's lesson of a day: one lesson a member a day, ever."""
    return f"lesson:{member_id}:{day.isoformat()}"


async def due_lessons(session: AsyncSession, clock: Clock, default: tzinfo) -> list[Due]:
    """Return members whose lesson time has passed today and who have no lesson row for today."""
    now = clock.now()
    names = await session.scalars(
        select(Member.timezone)
        .where(Member.status == MemberStatus.ACTIVE, Member.lesson_time.is_not(None))
        .distinct()
    )
    due: dict[int, Due] = {}
    sent_by_day: dict[date, set[str]] = {}
    for name in list(names):
        local = now.astimezone(zone(name, default))
        day = local.date()
        if day not in sent_by_day:
            sent_by_day[day] = set(
                await session.scalars(
                    select(OutboxMessage.key).where(OutboxMessage.key.like(f"lesson:%:{day}"))
                )
            )
        rows = await session.execute(
            select(Member, ChannelIdentity)
            .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
            .where(
                Member.status == MemberStatus.ACTIVE,
                Member.timezone.is_(None) if name is None else Member.timezone == name,
                Member.lesson_time.is_not(None),
                Member.lesson_time <= local.time().replace(tzinfo=None),
                or_(Member.paused_until.is_(None), Member.paused_until <= now),
                ChannelIdentity.blocked_at.is_(None),
            )
            .order_by(Member.id, ChannelIdentity.id)
        )
        for member, identity in rows.all():
            key = lesson_key(member.id, day)
            if key in sent_by_day[day] or member.id in due:  # one channel a member is enough
                continue
            due_at = quiet_of(member).next_allowed(local).astimezone(UTC)
            due[member.id] = Due(member, identity.channel, identity.chat_id, day, key, due_at)
    return list(due.values())
