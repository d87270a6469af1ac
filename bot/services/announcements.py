"""A secretary's one-off announcement to their cell, and what became of each copy.

Each copy is an outbox row keyed (announcement, member), so a restart in the middle of a
broadcast neither sends anyone a second copy nor forgets anyone; quiet hours hold a copy
until they end. Rights are checked here, for every press.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import String, and_, case, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import outbox
from bot.errors import InvalidInput
from bot.services import access, audit
from bot.services.preferences import zone_of
from bot.services.quiet import quiet_of
from bot.textnorm import is_blank, nfc
from db.models import (
    Announcement,
    ChannelIdentity,
    Member,
    MemberStatus,
    OutboxMessage,
    OutboxStatus,
)

# Leaves room in Telegram's 4,096 characters for the heading and the signature.
TEXT_MAX = 3500
EMPTY, TOO_LONG, CONTROL = "empty", "too long", "control characters"
_ALLOWED_CONTROLS = {"\n", "\t"}


@dataclass(frozen=True)
class Draft:
    unit_id: int
    text: str
    recipients: int


@dataclass(frozen=True)
class Recipient:
    member_id: int
    channel: str
    chat_id: int
    due_at: datetime  # now, or the end of the member's quiet hours (UTC)


@dataclass(frozen=True)
class Delivery:
    """The report line of one announcement."""

    announcement_id: int
    created_at: datetime
    text: str
    recipients: int
    delivered: int
    waiting: int
    blocked: int
    failed: int  # refused for good, or the outcome is unknown


def clean_text(text: str) -> str:
    """The announcement as it will be sent, or InvalidInput(reason) with `len` for too long."""
    cleaned = nfc(text).strip()
    if any(ord(c) < 32 and c not in _ALLOWED_CONTROLS for c in cleaned):
        raise InvalidInput(CONTROL)
    if is_blank(cleaned):  # a zero-width space alone would go out as a blank message
        raise InvalidInput(EMPTY)
    if len(cleaned) > TEXT_MAX:
        raise InvalidInput(TOO_LONG)
    return cleaned


async def draft(session: AsyncSession, actor: Member, unit_id: int, text: str) -> Draft:
    """Check the text and who would receive it; nothing is stored."""
    await access.require_manager(session, actor, unit_id)
    cleaned = clean_text(text)
    members = await _recipients(session, unit_id, actor.id)
    return Draft(unit_id, cleaned, len(members))


async def send(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    unit_id: int,
    text: str,
    default_tz: tzinfo,
    payload_for: Callable[[int], dict[str, Any]],
) -> Announcement:
    """Store the announcement and queue one copy a recipient. Commits."""
    await access.require_manager(session, actor, unit_id)
    cleaned = clean_text(text)
    now = clock.now()
    rows = await _recipients(session, unit_id, actor.id)
    recipients = [
        Recipient(
            member.id,
            identity.channel,
            identity.chat_id,
            quiet_of(member).next_allowed(now.astimezone(zone_of(member, default_tz))),
        )
        for member, identity in rows
    ]
    announcement = Announcement(
        unit_id=unit_id,
        author_id=actor.id,
        text=cleaned,
        recipients=len(recipients),
        created_at=now,
    )
    session.add(announcement)
    await session.flush()
    for recipient in recipients:
        await outbox.enqueue(
            session,
            clock,
            key=_key(announcement.id, recipient.member_id),
            channel=recipient.channel,
            chat_id=recipient.chat_id,
            member_id=recipient.member_id,
            method="sendMessage",
            payload=payload_for(recipient.chat_id),
            due_at=recipient.due_at.astimezone(UTC),
        )
    audit.record(
        session,
        clock,
        "announcement.send",
        actor_member_id=actor.id,
        unit_id=unit_id,
        announcement_id=announcement.id,
        recipients=len(recipients),
    )
    await session.commit()
    return announcement


async def report(
    session: AsyncSession, actor: Member, unit_id: int, *, limit: int = 5
) -> list[Delivery]:
    """The newest announcements of the cell with what became of their copies."""
    await access.require_manager(session, actor, unit_id)
    announcements = list(
        await session.scalars(
            select(Announcement)
            .where(Announcement.unit_id == unit_id)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .limit(limit)
        )
    )
    deliveries = []
    for item in announcements:
        counts = await _counts(session, item.id)
        deliveries.append(
            Delivery(
                item.id,
                item.created_at,
                item.text,
                item.recipients,
                delivered=counts.get("sent", 0),
                waiting=counts.get("pending", 0) + counts.get("sending", 0),
                blocked=counts.get("blocked", 0),
                failed=counts.get("failed", 0) + counts.get("unknown", 0),
            )
        )
    return deliveries


def _key(announcement_id: int, member_id: int) -> str:
    return f"announce:{announcement_id}:{member_id}"


async def _recipients(
    session: AsyncSession, unit_id: int, author_id: int
) -> list[tuple[Member, ChannelIdentity]]:
    rows = await session.execute(
        select(Member, ChannelIdentity)
        .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
        .where(
            Member.unit_id == unit_id,
            Member.status == MemberStatus.ACTIVE,
            Member.id != author_id,
            ChannelIdentity.blocked_at.is_(None),
        )
        .order_by(Member.id, ChannelIdentity.id)
    )
    chosen: dict[int, tuple[Member, ChannelIdentity]] = {}
    for member, identity in rows.all():
        chosen.setdefault(member.id, (member, identity))  # one copy a member
    return list(chosen.values())


async def _counts(session: AsyncSession, announcement_id: int) -> dict[str, int]:
    # A copy refused because the member blocked the bot counts as "blocked", not "failed".
    blocked = and_(
        OutboxMessage.status == OutboxStatus.FAILED, ChannelIdentity.blocked_at.is_not(None)
    )
    # type_coerce: read the status as its stored text, so "blocked" can sit beside it.
    kind = case((blocked, "blocked"), else_=type_coerce(OutboxMessage.status, String(20)))
    rows = await session.execute(
        select(kind, func.count())
        .select_from(OutboxMessage)
        .outerjoin(
            ChannelIdentity,
            and_(
                ChannelIdentity.channel == OutboxMessage.channel,
                ChannelIdentity.chat_id == OutboxMessage.chat_id,
            ),
        )
        .where(OutboxMessage.key.like(f"announce:{announcement_id}:%"))
        .group_by(kind)
    )
    return {str(status): int(count) for status, count in rows.all()}
