"""The outbox: everything scheduled or bulk is a row with a unique key before it is sent.

A second enqueue of the same key (member, kind, period) is a no-op, so a restart or a second
tick never sends twice. A row whose send may have reached the channel is marked UNKNOWN and
never sent again blindly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from db.dialect import insert_ignoring_duplicates, supports_skip_locked
from db.models import OutboxMessage, OutboxStatus

CLAIM_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Claimed:
    row_id: int
    channel: str
    method: str
    payload: dict[str, Any]
    member_id: int | None


async def enqueue(
    session: AsyncSession,
    clock: Clock,
    *,
    key: str,
    channel: str,
    chat_id: int,
    member_id: int | None,
    method: str,
    payload: dict[str, Any],
    due_at: datetime | None = None,
) -> bool:
    """Add a row unless its key exists; return whether it was added. Does not commit."""
    result = await session.execute(
        insert_ignoring_duplicates(
            session,
            OutboxMessage.__table__,
            {
                "key": key,
                "channel": channel,
                "chat_id": chat_id,
                "member_id": member_id,
                "method": method,
                "payload": payload,
                "status": OutboxStatus.PENDING.value,
                "due_at": due_at or clock.now(),
                "attempts": 0,
                "created_at": clock.now(),
            },
        )
    )
    return getattr(result, "rowcount", 0) == 1


async def claim(session: AsyncSession, clock: Clock, *, limit: int = 30) -> list[Claimed]:
    """Claim due rows for sending, oldest first. Commits."""
    now = clock.now()
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.due_at <= now,
            or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_LEASE),
        )
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
    )
    if supports_skip_locked(session):
        query = query.with_for_update(skip_locked=True)
    rows = list(await session.scalars(query))
    for row in rows:
        # SENDING is written before the request: after a crash the row is not sent again.
        row.status, row.claimed_at, row.attempts = OutboxStatus.SENDING, now, row.attempts + 1
    claimed = [Claimed(r.id, r.channel, r.method, r.payload, r.member_id) for r in rows]
    await session.commit()
    return claimed


async def record(
    session: AsyncSession,
    clock: Clock,
    row_id: int,
    status: OutboxStatus,
    *,
    error: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    """Record a send's outcome; `retry_at` puts the row back in line (after a 429). Commits."""
    values: dict[str, Any] = {"status": status, "error": error}
    if status is OutboxStatus.SENT:
        values["sent_at"] = clock.now()
    if retry_at is not None:
        values.update(status=OutboxStatus.PENDING, due_at=retry_at, claimed_at=None)
    await session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(values))
    await session.commit()


async def stuck_sending(session: AsyncSession) -> int:
    """Mark rows left SENDING by a crash as UNKNOWN (their outcome cannot be known). Commits."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING)
        .values(status=OutboxStatus.UNKNOWN, error="process stopped during the send")
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0))
