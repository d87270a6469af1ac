"""Who hosts a cell's quiz nights: its secretary or deputy, or a member the secretary named."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.services import audit
from bot.services.access import can_manage_unit
from bot.services.night_refusals import Refused
from bot.services.onboarding import find_member
from db.models import Member, MemberStatus
from db.models.quiz_nights import QuizNight, QuizNightHost


async def can_host(session: AsyncSession, member: Member | None) -> bool:
    """Tell whether `member` may host a night for their own cell."""
    if member is None or member.status is not MemberStatus.ACTIVE:
        return False
    if await can_manage_unit(session, member, member.unit_id):
        return True
    named = await session.get(QuizNightHost, (member.unit_id, member.id))
    return named is not None


async def name_host(
    session: AsyncSession, clock: Clock, actor: Member | None, channel: str, user_id: int
) -> str:
    """Let the cell's secretary name the member behind `user_id` a host; return their name."""
    if actor is None or not await can_manage_unit(session, actor, actor.unit_id):
        raise Refused("not_host")
    target = await find_member(session, channel, user_id)
    if target is None or target.status is not MemberStatus.ACTIVE:
        raise Refused("guests_off")
    if target.unit_id != actor.unit_id:
        raise Refused("other_cell")
    if await session.get(QuizNightHost, (actor.unit_id, target.id)) is None:
        session.add(
            QuizNightHost(
                unit_id=actor.unit_id,
                member_id=target.id,
                named_by_id=actor.id,
                named_at=clock.now(),
            )
        )
        audit.record(
            session, clock, "quiz_night.host", actor_member_id=actor.id, member_id=target.id
        )
        await session.commit()
    return target.full_name or ""


async def require_host(session: AsyncSession, member: Member | None, night: QuizNight) -> None:
    if member is None or member.status is not MemberStatus.ACTIVE:
        raise Refused("not_host")
    if member.id == night.host_member_id or await can_manage_unit(session, member, night.unit_id):
        return
    if member.unit_id == night.unit_id and await can_host(session, member):
        return
    raise Refused("not_host")
