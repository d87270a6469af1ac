"""Taking people out: a secretary removes a member from the cell; a committee admin takes a
secretary's or deputy's role back. Every check runs here, on every press; refusals are raised
as NotAllowed, which the error handler writes to the audit log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services import access, audit
from bot.textnorm import clean, fold, has_control_chars
from db.models import Member, MemberStatus, OutboxMessage, OutboxStatus, Role, Unit, UnitKind

# The short list a secretary picks from; anything else is typed and stored as typed.
REASONS = ("transfer", "mistake", "stopped")
OTHER = "other"
REASON_MAX = 200
REMOVABLE_ROLES = (Role.MEMBER, Role.DEPUTY)
REVOCABLE_ROLES = (Role.SECRETARY, Role.DEPUTY)
Notify = Callable[[AsyncSession, Clock, Member, Unit, str], Awaitable[None]]


@dataclass(frozen=True)
class Person:
    member_id: int
    name: str
    role: Role


@dataclass(frozen=True)
class People:
    unit_id: int
    unit_name: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class Removed:
    unit_id: int
    name: str


@dataclass(frozen=True)
class Revoked:
    unit_id: int
    name: str
    role: Role  # the role taken back


def may_remove(member: Member) -> bool:
    """Tell whether to offer the member the removal button (the service checks again)."""
    return member.role in (Role.SECRETARY, Role.OPERATOR)


def parse_reason(text: str) -> str:
    """Return a typed reason, cleaned; refuse blank, invisible-only or over-long text."""
    if has_control_chars(text):
        raise InvalidInput("control")
    value = clean(text)
    if not fold(value):
        raise InvalidInput("empty")
    if len(value) > REASON_MAX:
        raise InvalidInput("too long")
    return value


async def removable(session: AsyncSession, actor: Member, unit_id: int) -> People:
    """Return the cell's members its secretary may remove (not themself, not a secretary)."""
    unit = await _own_cell(session, actor, unit_id)
    rows = await _in_cell(session, unit_id, REMOVABLE_ROLES)
    return People(unit.id, unit.name, tuple(p for p in rows if p.member_id != actor.id))


async def holders(session: AsyncSession, actor: Member, unit_id: int) -> People:
    """Return the cell's secretaries and deputies, for a committee admin above it."""
    unit = await _cell_below(session, actor, unit_id)
    return People(unit.id, unit.name, await _in_cell(session, unit_id, REVOCABLE_ROLES))


async def candidate(session: AsyncSession, actor: Member, member_id: int) -> People:
    """Return the one member the actor may remove, as a list of one; refuse anyone else."""
    target = await _target(session, member_id)
    people = await removable(session, actor, target.unit_id)
    chosen = tuple(p for p in people.people if p.member_id == member_id)
    if not chosen:
        raise NotAllowed("member.remove: not removable")
    return People(people.unit_id, people.unit_name, chosen)


async def holder(session: AsyncSession, actor: Member, member_id: int) -> People:
    """Return the one secretary or deputy whose role the actor may take back."""
    target = await _target(session, member_id)
    people = await holders(session, actor, target.unit_id)
    chosen = tuple(p for p in people.people if p.member_id == member_id)
    if not chosen:
        raise NotFound("no role to take back")
    return People(people.unit_id, people.unit_name, chosen)


async def remove_member(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    member_id: int,
    reason: str,
    notify: Notify,
) -> Removed:
    """Take a member out of the cell: inactive, their pending messages dropped, told why."""
    target = await _target(session, member_id)
    unit = await _own_cell(session, actor, target.unit_id)
    if target.id == actor.id or target.role not in REMOVABLE_ROLES:
        raise NotAllowed("member.remove: not removable")
    if target.status is MemberStatus.INACTIVE:
        raise NotFound("already removed")
    code = reason if reason in REASONS else OTHER
    stored = reason if code != OTHER else parse_reason(reason)
    target.status, target.role = MemberStatus.INACTIVE, Role.MEMBER
    target.left_at, target.left_reason = clock.now(), stored
    # Reminders and lessons queued for them would reach someone no longer in the cell.
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.member_id == target.id, OutboxMessage.status == OutboxStatus.PENDING
        )
    )
    await notify(session, clock, target, unit, stored)
    audit.record(
        session,
        clock,
        "member.remove",
        actor_member_id=actor.id,
        member=target.id,
        unit=unit.id,
        reason=code,
    )
    await session.commit()
    return Removed(unit.id, target.full_name or "")


async def revoke_role(
    session: AsyncSession, clock: Clock, actor: Member, member_id: int
) -> Revoked:
    """Make a cell's secretary or deputy a member again; only a committee admin above it."""
    target = await _target(session, member_id)
    unit = await _cell_below(session, actor, target.unit_id)
    if target.role not in REVOCABLE_ROLES or target.status is MemberStatus.INACTIVE:
        raise NotFound("no role to take back")
    was = target.role
    target.role = Role.MEMBER
    audit.record(
        session,
        clock,
        "role.revoke",
        actor_member_id=actor.id,
        member=target.id,
        unit=unit.id,
        role=was.value,
    )
    await session.commit()
    return Revoked(unit.id, target.full_name or "", was)


async def _own_cell(session: AsyncSession, actor: Member, unit_id: int) -> Unit:
    access.require_active(actor)
    if actor.role is not Role.OPERATOR and (
        actor.role is not Role.SECRETARY or actor.unit_id != unit_id
    ):
        raise NotAllowed("member.remove: not this cell's secretary")
    return await _cell(session, unit_id)


async def _cell_below(session: AsyncSession, actor: Member, unit_id: int) -> Unit:
    access.require_active(actor)
    above = actor.role is Role.COMMITTEE_ADMIN and actor.unit_id in (
        await access.ancestors(session, unit_id)
    )
    if actor.role is not Role.OPERATOR and not above:
        raise NotAllowed("role.revoke: not a committee above this cell")
    return await _cell(session, unit_id)


async def _cell(session: AsyncSession, unit_id: int) -> Unit:
    unit = await session.get(Unit, unit_id)
    if unit is None or unit.kind is not UnitKind.CELL:
        raise NotFound("cell")
    return unit


async def _target(session: AsyncSession, member_id: int) -> Member:
    target = await session.get(Member, member_id)
    if target is None:
        raise NotFound("member")
    return target


async def _in_cell(
    session: AsyncSession, unit_id: int, roles: tuple[Role, ...]
) -> tuple[Person, ...]:
    rows = await session.scalars(
        select(Member)
        .where(
            Member.unit_id == unit_id,
            Member.status != MemberStatus.INACTIVE,
            Member.role.in_(roles),
        )
        .order_by(Member.id)
    )
    return tuple(Person(m.id, m.full_name or "—", m.role) for m in rows)


@dataclass(frozen=True)
class Cell:
    unit_id: int
    name: str


async def cells_below(session: AsyncSession, actor: Member, committee_id: int) -> tuple[Cell, ...]:
    """Return the cells under a committee, for its admin choosing where to take a role back."""
    access.require_active(actor)
    if actor.role is not Role.OPERATOR and (
        actor.role is not Role.COMMITTEE_ADMIN or actor.unit_id != committee_id
    ):
        raise NotAllowed("role.revoke: not this committee's admin")
    found: list[Cell] = []
    level = [committee_id]
    while level:  # breadth first: committees may have committees under them
        units = list(await session.scalars(select(Unit).where(Unit.parent_id.in_(level))))
        found += [Cell(u.id, u.name) for u in units if u.kind is UnitKind.CELL]
        level = [u.id for u in units if u.kind is UnitKind.COMMITTEE]
    return tuple(sorted(found, key=lambda c: c.name))
