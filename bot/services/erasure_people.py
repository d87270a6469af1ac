"""Who a member is on the channels, and who may have been shown their words."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.access import MANAGER_ROLES, ancestors
from bot.services.erasure_copies import Person
from db.models import ChannelIdentity, Member, Role


@dataclass(frozen=True)
class Readers:
    """Members (and their chats) who are sent a member's words: the cell's managers and the
    committee admins and operators above it."""

    members: frozenset[int]
    users: frozenset[int]
    chats: frozenset[int]


async def person_of(session: AsyncSession, member: Member) -> Person:
    """Return the member's user and chat ids on every channel they use."""
    rows = (
        await session.execute(
            select(
                ChannelIdentity.channel,
                ChannelIdentity.external_user_id,
                ChannelIdentity.chat_id,
            ).where(ChannelIdentity.member_id == member.id)
        )
    ).all()
    return Person(
        frozenset((channel, user) for channel, user, _ in rows),
        frozenset((channel, chat) for channel, _, chat in rows),
    )


async def managers_of(session: AsyncSession, member: Member) -> Readers:
    """Return the members who may have been sent this member's words, and their chats."""
    above = await ancestors(session, member.unit_id)
    ids = set(
        await session.scalars(
            select(Member.id).where(
                or_(
                    (Member.unit_id == member.unit_id) & Member.role.in_(MANAGER_ROLES),
                    Member.unit_id.in_(above) & (Member.role == Role.COMMITTEE_ADMIN),
                    Member.role == Role.OPERATOR,
                )
            )
        )
    )
    rows = (
        await session.execute(
            select(ChannelIdentity.external_user_id, ChannelIdentity.chat_id).where(
                ChannelIdentity.member_id.in_(ids)
            )
        )
    ).all()
    return Readers(frozenset(ids), frozenset(u for u, _ in rows), frozenset(c for _, c in rows))
