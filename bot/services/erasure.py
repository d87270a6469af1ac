"""/xoadulieu: a member erases their own words from their pledges and check-ins."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.services import access, audit
from db.models import Checkin, CheckinAnswer, Draft, Member, Pledge, PledgeItem, PledgeRevision

ERASED = "đã xoá"


async def erase_my_data(session: AsyncSession, clock: Clock, member: Member) -> int:
    """Erase the member's own words (pledge items, check-in texts, ratings, notes, drafts).

    The rows stay, so the cell's counts of who submitted and when still hold; everything the
    member wrote or rated — and the comments about it — reads "đã xoá". Returns rows erased.
    """
    access.require_active(member)
    now = clock.now()
    checkin_ids = list(
        await session.scalars(select(Checkin.id).where(Checkin.member_id == member.id))
    )
    pledge_ids = list(
        await session.scalars(select(Pledge.id).where(Pledge.member_id == member.id))
    )
    if checkin_ids:
        await session.execute(
            update(CheckinAnswer)
            .where(CheckinAnswer.checkin_id.in_(checkin_ids))
            .values(item=ERASED, rating=None, done=None, fix=None)
        )
        await session.execute(
            update(Checkin)
            .where(Checkin.id.in_(checkin_ids))
            .values(note=None, comment=None, erased_at=now)
        )
    if pledge_ids:
        await session.execute(
            update(PledgeItem)
            .where(PledgeItem.pledge_id.in_(pledge_ids))
            .values(action=ERASED, measure=ERASED)
        )
        await session.execute(
            update(PledgeRevision)
            .where(PledgeRevision.pledge_id.in_(pledge_ids))
            .values(items=[], comment=None)
        )
        await session.execute(
            update(Pledge).where(Pledge.id.in_(pledge_ids)).values(comment=None, erased_at=now)
        )
    await session.execute(delete(Draft).where(Draft.member_id == member.id))
    audit.record(
        session,
        clock,
        "member.erase",
        actor_member_id=member.id,
        checkins=len(checkin_ids),
        pledges=len(pledge_ids),
    )
    await session.commit()
    return len(checkin_ids) + len(pledge_ids)
