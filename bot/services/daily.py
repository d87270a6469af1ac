"""Which members are due their daily lesson now: their chosen time has come today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from db.models import ChannelIdentity, Member, MemberStatus, OutboxMessage


@dataclass(frozen=True)
class Due:
    member: Member
    channel: str
    chat_id: int
    day: date
    key: str


def lesson_key(member_id: int, day: date) -> str:
    """The outbox key of a member's lesson of a day: one lesson a member a day, ever."""
    return f"lesson:{member_id}:{day.isoformat()}"


async def due_lessons(session: AsyncSession, clock: Clock, tz: tzinfo) -> list[Due]:
    """Return members whose lesson time has passed today and who have no lesson row for today.

    A bot that was down at the member's time catches up later the same day; after midnight
    that day's lesson is no longer due.
    """
    local = clock.now().astimezone(tz)
    rows = await session.execute(
        select(Member, ChannelIdentity)
        .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
        .where(
            Member.status == MemberStatus.ACTIVE,
            Member.lesson_time.is_not(None),
            Member.lesson_time <= local.time().replace(tzinfo=None),
            ChannelIdentity.blocked_at.is_(None),
        )
        .order_by(Member.id, ChannelIdentity.id)
    )
    sent = set(
        await session.scalars(
            select(OutboxMessage.key).where(OutboxMessage.key.like(f"lesson:%:{local.date()}"))
        )
    )
    due: dict[int, Due] = {}
    for member, identity in rows.all():
        key = lesson_key(member.id, local.date())
        if key not in sent and member.id not in due:  # one channel a member is enough
            due[member.id] = Due(member, identity.channel, identity.chat_id, local.date(), key)
    return list(due.values())
