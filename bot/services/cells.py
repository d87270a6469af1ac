"""Units and the secretary's view of their cell."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import InvalidInput, NotFound
from bot.services import access
from bot.textnorm import fold
from db.models import Member, MemberStatus, Role, Unit, UnitKind


@dataclass(frozen=True)
class MemberRow:
    full_name: str
    role: Role
    joined: bool


@dataclass(frozen=True)
class CellOverview:
    unit_id: int
    name: str
    members: tuple[MemberRow, ...]

    @property
    def active(self) -> int:
        return sum(1 for m in self.members if m.joined)

    @property
    def onboarding(self) -> int:
        return sum(1 for m in self.members if not m.joined)


async def cell_overview(session: AsyncSession, actor: Member | None, unit_id: int) -> CellOverview:
    """Return the cell's members for the cell tools of a unit the actor manages (counts only
    are shown there); the names themselves are for `member_list`."""
    await access.require_manager(session, actor, unit_id)
    return await _overview(session, unit_id)


async def member_list(session: AsyncSession, actor: Member | None, unit_id: int) -> CellOverview:
    """Return the member list of the cell to its secretary or deputy."""
    access.require_cell_officer(actor, unit_id)
    return await _overview(session, unit_id)


async def _overview(session: AsyncSession, unit_id: int) -> CellOverview:
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("unit")
    rows = await session.scalars(
        select(Member)
        .where(Member.unit_id == unit_id, Member.status != MemberStatus.INACTIVE)
        .order_by(Member.id)
    )
    members = tuple(
        MemberRow(m.full_name or "—", m.role, m.status is MemberStatus.ACTIVE) for m in rows
    )
    return CellOverview(unit.id, unit.name, members)


async def ensure_unit(
    session: AsyncSession, clock: Clock, name: str, kind: UnitKind, parent_id: int | None
) -> Unit:
    """Return the unit with this name under `parent_id`, creating it if needed."""
    name = " ".join(name.split())
    if not 2 <= len(name) <= 200:
        raise InvalidInput("unit name")
    parent = Unit.parent_id.is_(None) if parent_id is None else Unit.parent_id == parent_id
    unit = await session.scalar(select(Unit).where(Unit.name == name, parent))
    if unit is None:
        unit = Unit(name=name, kind=kind, parent_id=parent_id, created_at=clock.now())
        session.add(unit)
        await session.flush()
    return unit


async def find_unit(session: AsyncSession, name: str) -> Unit:
    """Return the one unit called `name` (compared without diacritics or case)."""
    units = [u for u in await session.scalars(select(Unit)) if fold(u.name) == fold(name)]
    if len(units) != 1:
        raise NotFound(f"{len(units)} units called {name!r}")
    return units[0]
