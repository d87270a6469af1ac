"""A cell's weekly digest: on or off, and which morning. The secretary sets it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import InvalidInput
from bot.services import audit
from bot.services.digest import require_secretary
from db.models import DigestSettings, Member

DEFAULT = (True, 0)  # on, Monday


@dataclass(frozen=True)
class Weekly:
    unit_id: int
    on: bool
    weekday: int  # 0 = Monday


async def weekly_of(session: AsyncSession, actor: Member | None, unit_id: int) -> Weekly:
    """The cell's weekly digest setting, for its secretary."""
    require_secretary(actor, unit_id)
    return (await all_weekly(session, [unit_id]))[unit_id]


async def all_weekly(session: AsyncSession, cells: list[int]) -> dict[int, Weekly]:
    """Every given cell's setting (the default where none was saved), in one query."""
    rows = await session.scalars(select(DigestSettings).where(DigestSettings.unit_id.in_(cells)))
    saved = {r.unit_id: Weekly(r.unit_id, r.weekly, r.weekday) for r in rows}
    return {c: saved.get(c, Weekly(c, *DEFAULT)) for c in cells}


async def set_weekly(
    session: AsyncSession,
    clock: Clock,
    actor: Member | None,
    unit_id: int,
    *,
    on: bool | None = None,
    weekday: int | None = None,
) -> Weekly:
    """Turn the weekly digest on or off, or move it to another day. Commits."""
    member = require_secretary(actor, unit_id)
    if weekday is not None and not 0 <= weekday <= 6:
        raise InvalidInput("weekday")
    row = await session.get(DigestSettings, unit_id)
    if row is None:
        row = DigestSettings(unit_id=unit_id, weekly=DEFAULT[0], weekday=DEFAULT[1])
        session.add(row)
    row.weekly = row.weekly if on is None else on
    row.weekday = row.weekday if weekday is None else weekday
    row.updated_at, row.updated_by_id = clock.now(), member.id
    audit.record(
        session,
        clock,
        "digest.weekly",
        actor_member_id=member.id,
        unit_id=unit_id,
        weekly=row.weekly,
        weekday=row.weekday,
    )
    await session.commit()
    return Weekly(unit_id, row.weekly, row.weekday)
