"""Builders for units and members with sensible defaults (the named cast of the tests)."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.services import cells, invites
from bot.services.invites import CreatedInvite
from db.models import ChannelIdentity, Member, MemberStatus, Role, Unit, UnitKind


async def unit(
    session: AsyncSession,
    clock: Clock,
    name: str,
    *,
    parent: Unit | None = None,
    kind: UnitKind = UnitKind.CELL,
) -> Unit:
    made = await cells.ensure_unit(session, clock, name, kind, parent.id if parent else None)
    await session.commit()
    return made


async def member(
    session: AsyncSession,
    clock: Clock,
    cell: Unit,
    full_name: str,
    *,
    role: Role = Role.MEMBER,
    user_id: int | None = None,
    channel: str = "telegram",
    status: MemberStatus = MemberStatus.ACTIVE,
) -> Member:
    now = clock.now()
    active = status is MemberStatus.ACTIVE
    made = Member(
        unit_id=cell.id,
        role=role,
        status=status,
        full_name=full_name,
        name_confirmed=active,
        lesson_time=time(20, 0) if active else None,
        consent_at=now if active else None,
        joined_at=now,
    )
    session.add(made)
    await session.flush()
    if user_id is not None:
        session.add(
            ChannelIdentity(
                member_id=made.id,
                channel=channel,
                external_user_id=user_id,
                chat_id=user_id,
                display_name=full_name,
                created_at=now,
            )
        )
    await session.commit()
    await session.refresh(made, ["unit"])
    return made


async def invite(
    session: AsyncSession,
    clock: Clock,
    cell: Unit,
    *,
    role: Role = Role.MEMBER,
    actor: Member | None = None,
    ttl: timedelta = timedelta(days=3),
    max_uses: int = 1,
    full_name: str | None = None,
) -> CreatedInvite:
    return await invites.create_invite(
        session,
        clock,
        unit_id=cell.id,
        role=role,
        actor=actor,
        ttl=ttl,
        max_uses=max_uses,
        full_name=full_name,
    )
