"""Notices of what someone else did, queued through the outbox: a pledge submitted (to the
cell's secretary and deputies), a pledge decided and a check-in commented (to its member).

They are built from screens, which the services may not import: a service takes one of these as
its `notify` and calls it inside its own transaction, so the notice is queued exactly when the
change is committed.
"""

from __future__ import annotations

from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import conditions, outbox, payload
from bot.screens import checkins as checkin_screens
from bot.screens import pledges as pledge_screens
from bot.screens.base import Screen, esc
from bot.services import access
from bot.services.preferences import zone_of
from bot.services.quiet import quiet_of
from bot.texts import reminders as texts
from db.models import ChannelIdentity, Checkin, Member, MemberStatus, Pledge, PledgeStatus


async def pledge_submitted(
    session: AsyncSession, clock: Clock, pledge: Pledge, member: Member, tz: tzinfo
) -> None:
    """Tell the cell's managers that `member` submitted (or amended) their pledge."""
    screen = pledge_screens.submitted_notice(
        member.full_name or "", pledge.year, pledge.version > 1, member.unit_id
    )
    key = f"pledge-submitted:{pledge.id}:{pledge.version}"
    line = texts.pledge_submitted_line(esc(member.full_name or ""), pledge.year)
    await notify_managers(session, clock, member, key, screen, tz, line)


async def pledge_decided(
    session: AsyncSession, clock: Clock, pledge: Pledge, owner: Member, tz: tzinfo
) -> None:
    """Tell the pledge's member it was approved, or returned with the secretary's comment."""
    approve = pledge.status is PledgeStatus.APPROVED
    event = "approved" if approve else "returned"
    screen = pledge_screens.decided_notice(pledge.year, approve, pledge.comment)
    key = f"pledge-{event}:{pledge.id}:{pledge.version}"
    line = texts.pledge_decided_line(pledge.year, approve)
    await notify_member(session, clock, owner.id, key, screen, tz, line)


async def checkin_commented(
    session: AsyncSession, clock: Clock, checkin: Checkin, tz: tzinfo
) -> None:
    """Tell the check-in's member that the secretary commented on it."""
    # The time in the key: each later comment on the same check-in is a notice of its own.
    key = f"checkin-comment:{checkin.id}:{int(clock.now().timestamp())}"
    screen = checkin_screens.comment_notice(checkin.month, checkin.id)
    line = texts.comment_line(checkin.month)
    await notify_member(session, clock, checkin.member_id, key, screen, tz, line)


async def notify_member(
    session: AsyncSession,
    clock: Clock,
    member_id: int,
    key: str,
    screen: Screen,
    tz: tzinfo,
    line: str,
) -> bool:
    """Queue `screen` to a member's first reachable chat (not sent twice for one key).

    It is not their own answer, so it waits out their quiet hours (in their zone, else `tz`);
    `line` stands for it in a morning message that gathers what the quiet hours held back.
    """
    member = await session.get(Member, member_id)
    if member is None:
        return False
    identity = await session.scalar(
        select(ChannelIdentity)
        .where(ChannelIdentity.member_id == member_id, ChannelIdentity.blocked_at.is_(None))
        .order_by(ChannelIdentity.id)
        .limit(1)
    )
    if identity is None:
        return False
    return await outbox.enqueue(
        session,
        clock,
        key=key,
        channel=identity.channel,
        chat_id=identity.chat_id,
        member_id=member_id,
        method="sendMessage",
        payload=payload.send_message(identity.chat_id, screen),
        due_at=quiet_of(member).next_allowed(clock.now().astimezone(zone_of(member, tz))),
        condition=conditions.notice(member_id, line, clock.now()),
    )


async def notify_managers(
    session: AsyncSession,
    clock: Clock,
    about: Member,
    key: str,
    screen: Screen,
    tz: tzinfo,
    line: str,
) -> None:
    """Queue `screen` to the secretary and deputies of `about`'s cell (not to `about`)."""
    managers = await session.scalars(
        select(Member.id).where(
            Member.unit_id == about.unit_id,
            Member.status == MemberStatus.ACTIVE,
            Member.role.in_(access.MANAGER_ROLES),
            Member.id != about.id,
        )
    )
    for manager_id in list(managers):
        await notify_member(session, clock, manager_id, f"{key}:{manager_id}", screen, tz, line)
