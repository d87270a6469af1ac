"""Role and scope rules, asked by every use case on every press (buttons are never trusted).

Two kinds of right. *Managing* a unit (its own cell for a secretary or deputy, every cell below
for a committee admin, all for an operator) covers what carries no member's words: invites,
reminder rules, announcements, counts and roll-ups, themes and banks. *Reading words* (a
check-in, a pledge, comments, exemption reasons, the cell's names beside their answers) is for
the member and the officers of their cell only: a committee or an operator never sees them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotAllowed
from db.models import Member, MemberStatus, Role, Unit

MANAGER_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY})

# Which roles each role may hand out through an invite.
INVITABLE: dict[Role, frozenset[Role]] = {
    Role.MEMBER: frozenset(),
    Role.DEPUTY: frozenset({Role.MEMBER}),
    Role.SECRETARY: frozenset({Role.MEMBER, Role.DEPUTY}),
    Role.COMMITTEE_ADMIN: frozenset({Role.MEMBER, Role.DEPUTY, Role.SECRETARY}),
    Role.OPERATOR: frozenset(Role),
}


def require_active(member: Member | None) -> Member:
    """Return `member` if it may act at all, else raise NotAllowed."""
    if member is None or member.status is not MemberStatus.ACTIVE:
        raise NotAllowed("not an active member")
    return member


async def ancestors(session: AsyncSession, unit_id: int) -> list[int]:
    """Return the ids of `unit_id` and every unit above it, nearest first."""
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:  # a cycle would be a data error
        chain.append(current)
        current = await session.scalar(select(Unit.parent_id).where(Unit.id == current))
    return chain


async def can_manage_unit(session: AsyncSession, actor: Member | None, unit_id: int) -> bool:
    """Tell whether `actor` manages `unit_id` (its own cell, or a cell under its committee)."""
    if actor is None or actor.status is not MemberStatus.ACTIVE:
        return False
    if actor.role is Role.OPERATOR:
        return True
    if actor.role in MANAGER_ROLES:
        return actor.unit_id == unit_id
    if actor.role is Role.COMMITTEE_ADMIN:
        return actor.unit_id in await ancestors(session, unit_id)
    return False


async def require_manager(session: AsyncSession, actor: Member | None, unit_id: int) -> Member:
    """Return `actor` if it manages `unit_id`, else raise NotAllowed."""
    if not await can_manage_unit(session, actor, unit_id):
        raise NotAllowed("does not manage this unit")
    assert actor is not None
    return actor


def is_cell_officer(actor: Member | None, unit_id: int) -> bool:
    """Tell whether `actor` is an active secretary or deputy of the cell `unit_id`."""
    return (
        actor is not None
        and actor.status is MemberStatus.ACTIVE
        and actor.role in MANAGER_ROLES
        and actor.unit_id == unit_id
    )


def require_cell_officer(actor: Member | None, unit_id: int) -> Member:
    """Return `actor` if it is a secretary or deputy of `unit_id`, else raise NotAllowed."""
    if not is_cell_officer(actor, unit_id):
        raise NotAllowed("members' words stay in their cell")
    assert actor is not None
    return actor


def can_read_words(actor: Member | None, *, owner_id: int, unit_id: int) -> bool:
    """Tell whether `actor` may read what member `owner_id` wrote in cell `unit_id`."""
    if actor is None or actor.status is not MemberStatus.ACTIVE:
        return False
    return actor.id == owner_id or is_cell_officer(actor, unit_id)


def require_words(actor: Member | None, *, owner_id: int, unit_id: int) -> Member:
    """Return `actor` if it may read `owner_id`'s words in `unit_id`, else raise NotAllowed."""
    if not can_read_words(actor, owner_id=owner_id, unit_id=unit_id):
        raise NotAllowed("members' words stay in their cell")
    assert actor is not None
    return actor


def is_manager(member: Member | None) -> bool:
    """Tell whether `member` has any management role (for showing the cell tools)."""
    return (
        member is not None
        and member.status is MemberStatus.ACTIVE
        and member.role in (MANAGER_ROLES | {Role.COMMITTEE_ADMIN, Role.OPERATOR})
    )
