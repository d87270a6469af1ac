"""A finished night's full results, privately to the cell's secretary (and the host).

They go through the outbox, so quiet hours and the rate limits apply and a restart neither
loses nor repeats them (one key a recipient and page).
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import outbox
from bot.delivery.payload import send_message
from bot.screens.base import Screen
from bot.services.preferences import zone_of
from bot.services.quiet import quiet_of
from db.models import ChannelIdentity, Member, MemberStatus, Role
from db.models.quiz_nights import QuizNight


async def enqueue_results(
    session: AsyncSession,
    clock: Clock,
    default_tz: tzinfo,
    night_id: int,
    pages: list[Screen],
    *,
    kind: str = "quiz-night",
    now_even_in_quiet_hours: bool = False,
) -> int:
    """Queue the pages for the secretary and the host; return how many rows. Does not commit.

    `kind` keeps each message of a night apart (the results, each pause's question); a pause
    is asked at once, quiet hours or not: the host is running the night right now."""
    night = await session.get(QuizNight, night_id)
    if night is None:
        return 0
    rows = await session.execute(
        select(Member, ChannelIdentity)
        .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
        .where(
            ChannelIdentity.channel == night.channel,
            Member.status == MemberStatus.ACTIVE,
            (Member.id == night.host_member_id)
            | ((Member.unit_id == night.unit_id) & (Member.role == Role.SECRETARY)),
        )
    )
    now = clock.now()
    added = 0
    for member, identity in rows:
        due = now
        if not now_even_in_quiet_hours:
            due = quiet_of(member).next_allowed(now.astimezone(zone_of(member, default_tz)))
        for number, page in enumerate(pages):
            added += await outbox.enqueue(
                session,
                clock,
                key=f"{kind}:{night.id}:{member.id}:{number}",
                channel=identity.channel,
                chat_id=identity.chat_id,
                member_id=member.id,
                method="sendMessage",
                payload=send_message(identity.chat_id, page),
                due_at=due.astimezone(UTC),
            )
    return added
