"""The notice a member gets when their secretary removes them from the cell."""

from __future__ import annotations

from datetime import tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery.notices import notify_member
from bot.screens import membership as screens
from bot.screens.base import esc
from bot.texts import membership as texts
from db.models import Member, Unit


async def member_removed(
    session: AsyncSession, clock: Clock, member: Member, unit: Unit, reason: str, tz: tzinfo
) -> None:
    """Queue a polite word to the removed member (after their quiet hours)."""
    key = f"member-removed:{member.id}:{int(clock.now().timestamp())}"
    screen = screens.removed_notice(unit.name, reason)
    line = texts.removed_line(esc(unit.name))
    await notify_member(session, clock, member.id, key, screen, tz, line)
