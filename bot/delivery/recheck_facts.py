"""What is true now about the members of one claim, for the sender's recheck: a few queries
for the whole claim (members, blocked chats, check-ins sent, exemptions and skipped months,
lessons read), not one a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import conditions
from bot.delivery.outbox import Claimed
from bot.services import reminders
from db.models import (
    ChannelIdentity,
    Checkin,
    Exemption,
    LessonRead,
    Member,
    MemberStatus,
    OutboxMessage,
    OutboxStatus,
    SkippedMonth,
)


@dataclass
class Facts:
    """What is true now about the members of one claim."""

    members: dict[int, tuple[MemberStatus, datetime | None, str | None, int]]
    blocked: set[tuple[str, int]]
    submitted: set[tuple[int, str]]
    read_on: set[tuple[int, date]]
    read: set[tuple[int, str]]
    excused: set[tuple[int, str]]  # (member, month): exempt, or a skipped month of the cell
    nudged_at: dict[tuple[int, str], datetime] = field(default_factory=dict)  # nudge sent


async def load_facts(session: AsyncSession, rows: list[Claimed]) -> Facts:
    """A few queries for the whole claim, not one a row."""
    items = [item for row in rows if row.condition for item in conditions.items(row.condition)]
    ids = sorted({int(item.get("member", 0)) for item in items})
    members = {
        m_id: (status, paused, tz_name, unit)
        for m_id, status, paused, tz_name, unit in await session.execute(
            select(
                Member.id, Member.status, Member.paused_until, Member.timezone, Member.unit_id
            ).where(Member.id.in_(ids))
        )
    }
    blocked: set[tuple[str, int]] = set(
        (
            await session.execute(
                select(ChannelIdentity.channel, ChannelIdentity.chat_id).where(
                    ChannelIdentity.member_id.in_(ids), ChannelIdentity.blocked_at.is_not(None)
                )
            )
        ).all()
    )
    months = sorted({str(i["month"]) for i in items if i.get("kind") in conditions.CHECKIN_KINDS})
    facts = Facts(members, blocked, set(), set(), set(), set())
    if months:
        facts.submitted = set(
            (
                await session.execute(
                    select(Checkin.member_id, Checkin.month).where(
                        Checkin.member_id.in_(ids), Checkin.month.in_(months)
                    )
                )
            ).all()
        )
        facts.excused = await _excused(session, members, months)
        facts.nudged_at = await _nudged(session, items)
    lessons = [i for i in items if i.get("kind") == conditions.LESSON]
    if lessons:
        # Reads since the day before the earliest lesson's day (zones differ), or of these
        # lessons: not a member's whole history.
        since = min(date.fromisoformat(i["day"]) for i in lessons) - timedelta(days=1)
        reads = await session.execute(
            select(LessonRead.member_id, LessonRead.lesson_id, LessonRead.read_on).where(
                LessonRead.member_id.in_(ids),
                or_(
                    LessonRead.read_on >= since,
                    LessonRead.lesson_id.in_({str(i["lesson"]) for i in lessons}),
                ),
            )
        )
        for m_id, lesson_id, read_on in reads.all():
            facts.read.add((m_id, lesson_id))
            facts.read_on.add((m_id, read_on))
    return facts


async def _excused(
    session: AsyncSession,
    members: dict[int, tuple[MemberStatus, datetime | None, str | None, int]],
    months: list[str],
) -> set[tuple[int, str]]:
    excused: set[tuple[int, str]] = set()
    exemptions = await session.execute(
        select(Exemption.member_id, Exemption.from_month, Exemption.to_month).where(
            Exemption.member_id.in_(list(members)), Exemption.ended_at.is_(None)
        )
    )
    for member_id, start, end in exemptions.all():
        excused.update((member_id, m) for m in months if start <= m <= end)
    skipped = await session.execute(
        select(SkippedMonth.unit_id, SkippedMonth.month).where(SkippedMonth.month.in_(months))
    )
    for unit_id, month in skipped.all():
        excused.update((m_id, month) for m_id, known in members.items() if known[3] == unit_id)
    return excused


async def _nudged(
    session: AsyncSession, items: list[conditions.Condition]
) -> dict[tuple[int, str], datetime]:
    """When the nudge of each deadline reminder's member and month was sent, if it was: a
    nudge held into the deadline day already said "hôm nay là hạn cuối"."""
    keys = {
        f"{reminders.NUDGE_KEY}:{i['member']}:{i['month']}": (int(i["member"]), str(i["month"]))
        for i in items
        if i.get("kind") == reminders.CHECKIN_DEADLINE
    }
    if not keys:
        return {}
    sent = await session.execute(
        select(OutboxMessage.key, OutboxMessage.sent_at).where(
            OutboxMessage.key.in_(list(keys)), OutboxMessage.status == OutboxStatus.SENT
        )
    )
    return {keys[key]: sent_at for key, sent_at in sent.all() if sent_at is not None}
