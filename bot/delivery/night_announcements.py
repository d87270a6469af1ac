"""A quiz night's lobby opened: tell the cell's members privately, once each, through the outbox.

A live event: a member in their quiet hours, paused, exempt this month, or who blocked the bot
is simply not told (a word at 06:30 about last night's quiz would be noise). The cell's
reminder rule «Báo hội thi trong nhóm» (bot.services.reminders.QUIZ_NIGHT) turns it off.
"""

from __future__ import annotations

from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import outbox, payload
from bot.screens import quiz_nights as screens
from bot.services import reminders
from bot.services.preferences import paused, zone_of
from bot.services.quiet import quiet_of
from db.models import ChannelIdentity, Exemption, Member, MemberStatus, QuizNight, Unit

KEY = "quiz-night-open"  # quiz-night-open:<night>:<member>


async def announce(
    session: AsyncSession, clock: Clock, night_id: int, group_title: str, tz: tzinfo
) -> int:
    """Queue the announcement to every member who should have it; return how many. Commits."""
    night = await session.get(QuizNight, night_id)
    unit = await session.get(Unit, night.unit_id) if night is not None else None
    if night is None or unit is None:
        return 0
    if not (await reminders.effective(session, night.unit_id))[reminders.QUIZ_NIGHT].enabled:
        return 0
    now = clock.now()
    month = now.astimezone(tz).strftime("%Y-%m")
    exempt = set(
        await session.scalars(
            select(Exemption.member_id).where(
                Exemption.unit_id == night.unit_id,
                Exemption.ended_at.is_(None),
                Exemption.from_month <= month,
                Exemption.to_month >= month,
            )
        )
    )
    rows = await session.execute(
        select(Member, ChannelIdentity)
        .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
        .where(
            Member.unit_id == night.unit_id,
            Member.status == MemberStatus.ACTIVE,
            Member.id != night.host_member_id,
            ChannelIdentity.channel == night.channel,
            ChannelIdentity.blocked_at.is_(None),
        )
        .order_by(Member.id, ChannelIdentity.id)
    )
    screen = screens.announcement(unit.name, night.title, group_title)
    told: set[int] = set()
    for member, identity in rows:
        if member.id in told or member.id in exempt or paused(member, now):
            continue
        if quiet_of(member).covers(now.astimezone(zone_of(member, tz)).time()):
            continue
        told.add(member.id)
        await outbox.enqueue(
            session,
            clock,
            key=f"{KEY}:{night.id}:{member.id}",
            channel=identity.channel,
            chat_id=identity.chat_id,
            member_id=member.id,
            method="sendMessage",
            payload=payload.send_message(identity.chat_id, screen),
        )
    await session.commit()
    return len(told)
