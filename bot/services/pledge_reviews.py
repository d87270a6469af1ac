"""The secretary's side of the pledge: the cell's pledges waiting for a decision, one pledge
with the approved items it would replace, the decision (approve, or return with a comment), and
a pledge's amendment history for its member or an officer of the cell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import Expired, NotAllowed, NotFound
from bot.services import access, audit
from bot.services.pledges import Item, PledgeNotice, PledgeView, clean_text, revise, view_of
from db.models import Member, Pledge, PledgeRevision, PledgeStatus, Unit


@dataclass(frozen=True)
class Revision:
    version: int
    event: str
    items: tuple[Item, ...]
    comment: str | None
    actor: str | None
    at: datetime


@dataclass(frozen=True)
class Review:
    """What a secretary decides on: the pledge and, for an amendment, what it replaces."""

    pledge: PledgeView
    approved_before: tuple[Item, ...] | None


@dataclass(frozen=True)
class History:
    pledge_id: int
    year: int
    own: bool
    revisions: tuple[Revision, ...]


async def history(session: AsyncSession, actor: Member, pledge_id: int) -> History:
    """Return a pledge's revisions, oldest first, to its member or an officer of its cell."""
    pledge = await _readable(session, actor, pledge_id)
    rows = await session.scalars(
        select(PledgeRevision)
        .where(PledgeRevision.pledge_id == pledge.id)
        .order_by(PledgeRevision.id)
    )
    names: dict[int, str] = {}
    result = []
    for row in rows:
        actor_name = None
        if row.actor_id is not None:
            if row.actor_id not in names:
                person = await session.get(Member, row.actor_id)
                names[row.actor_id] = (person.full_name or "") if person else ""
            actor_name = names[row.actor_id]
        items = tuple(Item(a, m) for a, m in row.items)
        result.append(Revision(row.version, row.event, items, row.comment, actor_name, row.at))
    return History(pledge.id, pledge.year, pledge.member_id == actor.id, tuple(result))


async def pending(
    session: AsyncSession, actor: Member, unit_id: int
) -> tuple[str, list[PledgeView]]:
    """Return the cell's name and its pledges waiting for a decision, oldest first."""
    access.require_cell_officer(actor, unit_id)
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("unit")
    rows = await session.execute(
        select(Pledge, Member)
        .join(Member, Member.id == Pledge.member_id)
        .where(Pledge.unit_id == unit_id, Pledge.status == PledgeStatus.SUBMITTED)
        .order_by(Pledge.submitted_at, Pledge.id)
    )
    return unit.name, [view_of(pledge, owner) for pledge, owner in rows.all()]


async def for_review(session: AsyncSession, actor: Member, pledge_id: int) -> Review:
    """Return a pledge to its cell's secretary or deputy, with the approved items it replaces."""
    pledge, owner = await _managed(session, actor, pledge_id)
    before = None
    if pledge.approved_version is not None and pledge.approved_version != pledge.version:
        row = await session.scalar(
            select(PledgeRevision)
            .where(
                PledgeRevision.pledge_id == pledge.id,
                PledgeRevision.version == pledge.approved_version,
                PledgeRevision.event == "approved",
            )
            .order_by(PledgeRevision.id.desc())
            .limit(1)
        )
        before = tuple(Item(a, m) for a, m in row.items) if row else None
    return Review(view_of(pledge, owner), before)


async def decide(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    pledge_id: int,
    version: int,
    *,
    approve: bool,
    tz: tzinfo,
    comment: str | None = None,
    notify: PledgeNotice,
) -> PledgeView:
    """Approve, or return with a comment, the version the secretary saw; tell the member."""
    pledge, owner = await _managed(session, actor, pledge_id)
    if pledge.version != version or pledge.status is not PledgeStatus.SUBMITTED:
        raise Expired("pledge changed")  # the member amended it, or another manager decided
    note = None if approve else clean_text(comment or "")
    now = clock.now()
    pledge.status = PledgeStatus.APPROVED if approve else PledgeStatus.RETURNED
    pledge.comment, pledge.decided_at, pledge.decided_by_id = note, now, actor.id
    if approve:
        pledge.approved_version = pledge.version
    event = "approved" if approve else "returned"
    revise(session, pledge, event, actor.id, now, note)
    audit.record(session, clock, f"pledge.{event}", actor_member_id=actor.id, pledge=pledge.id)
    await notify(session, clock, pledge, owner, tz)
    await session.commit()
    return view_of(pledge, owner)


async def _readable(session: AsyncSession, actor: Member, pledge_id: int) -> Pledge:
    access.require_active(actor)
    pledge = await session.get(Pledge, pledge_id)
    if pledge is None:
        raise NotFound("pledge")
    access.require_words(actor, owner_id=pledge.member_id, unit_id=pledge.unit_id)
    return pledge


async def _managed(session: AsyncSession, actor: Member, pledge_id: int) -> tuple[Pledge, Member]:
    pledge = await session.get(Pledge, pledge_id)
    if pledge is None:
        raise NotFound("pledge")
    access.require_cell_officer(actor, pledge.unit_id)
    if pledge.member_id == actor.id:
        raise NotAllowed("own pledge")  # a secretary's own pledge goes to the deputy
    owner = await session.get(Member, pledge.member_id)
    assert owner is not None
    return pledge, owner
