"""The demo cell of the local web chat: a secretary, an active member and two newcomers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.services import cells, invites
from db.models import ChannelIdentity, Invite, Member, MemberStatus, Role, UnitKind

DEMO_CODE = "DEMO2026"
COMMITTEE = "Đảng bộ phường Demo"
CELL = "Chi bộ 1"


@dataclass(frozen=True)
class DemoPerson:
    user_id: int
    first_name: str
    last_name: str
    role: Role
    joined: bool  # False: opens the chat with the demo invite, like a real newcomer


CAST = (
    DemoPerson(1001, "Thư", "Trần Thị", Role.SECRETARY, joined=True),
    DemoPerson(1002, "An", "Nguyễn Văn", Role.MEMBER, joined=False),
    DemoPerson(1003, "Bình", "Lê Thị", Role.MEMBER, joined=True),
    DemoPerson(1004, "Cường", "Phạm Văn", Role.MEMBER, joined=False),
)


async def seed_demo(session: AsyncSession, clock: Clock, channel: str) -> None:
    """Create the demo committee, cell, joined people and a reusable invite, once."""
    committee = await cells.ensure_unit(session, clock, COMMITTEE, UnitKind.COMMITTEE, None)
    cell = await cells.ensure_unit(session, clock, CELL, UnitKind.CELL, committee.id)
    now = clock.now()
    for person in CAST:
        if not person.joined:
            continue
        known = await session.scalar(
            select(ChannelIdentity.id).where(
                ChannelIdentity.channel == channel,
                ChannelIdentity.external_user_id == person.user_id,
            )
        )
        if known is not None:
            continue
        member = Member(
            unit_id=cell.id,
            role=person.role,
            status=MemberStatus.ACTIVE,
            full_name=f"{person.last_name} {person.first_name}",
            name_confirmed=True,
            lesson_time=time(20, 0),
            consent_at=now,
            joined_at=now,
        )
        session.add(member)
        await session.flush()
        session.add(
            ChannelIdentity(
                member_id=member.id,
                channel=channel,
                external_user_id=person.user_id,
                chat_id=person.user_id,
                display_name=f"{person.last_name} {person.first_name}",
                created_at=now,
            )
        )
    await session.commit()
    has_invite = await session.scalar(
        select(Invite.id).where(Invite.code_hash == invites.hash_code(DEMO_CODE))
    )
    if has_invite is None:
        await invites.create_invite(
            session,
            clock,
            unit_id=cell.id,
            role=Role.MEMBER,
            actor=None,
            ttl=timedelta(days=3650),
            max_uses=1000,
            code=DEMO_CODE,
        )
