"""The inbox: every update is stored once before it is acknowledged, then handled from here.

A duplicate update (the same channel and update id) is a no-op. A row stays pending until its
handling finished, so an update whose handling was cut short by a crash is handled again after
the restart. Rows are claimed with a lease, so several webhook workers can share one database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from db.dialect import insert_ignoring_duplicates, supports_skip_locked
from db.models import InboxStatus, InboxUpdate

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Claimed:
    row_id: int
    chat_id: int | None
    payload: dict[str, Any]
    attempts: int


def chat_of(update: dict[str, Any]) -> int | None:
    """Return the chat an update belongs to, to keep each chat's updates in order."""
    for key, value in update.items():
        if not isinstance(value, dict):
            continue
        chat = value.get("chat") or (value.get("message") or {}).get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
        sender = value.get("from") or value.get("user")
        if key != "update_id" and isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return None


async def store(session: AsyncSession, clock: Clock, channel: str, update: dict[str, Any]) -> bool:
    """Store an update; return False if it was already there. Commits."""
    statement = insert_ignoring_duplicates(
        session,
        InboxUpdate.__table__,
        {
            "channel": channel,
            "update_id": int(update["update_id"]),
            "chat_id": chat_of(update),
            "payload": update,
            "status": InboxStatus.PENDING.value,
            "attempts": 0,
            "received_at": clock.now(),
        },
    )
    result = await session.execute(statement)
    await session.commit()
    return getattr(result, "rowcount", 0) == 1


async def claim(session: AsyncSession, clock: Clock, *, limit: int = 50) -> list[Claimed]:
    """Claim pending updates whose lease is free, oldest first. Commits."""
    now = clock.now()
    query = (
        select(InboxUpdate.id)
        .where(
            InboxUpdate.status == InboxStatus.PENDING,
            or_(InboxUpdate.claimed_at.is_(None), InboxUpdate.claimed_at < now - LEASE),
        )
        .order_by(InboxUpdate.id)
        .limit(limit)
    )
    if supports_skip_locked(session):
        query = query.with_for_update(skip_locked=True)
    ids = list(await session.scalars(query))
    if not ids:
        await session.commit()
        return []
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id.in_(ids))
        .values(claimed_at=now, attempts=InboxUpdate.attempts + 1)
    )
    rows = await session.scalars(select(InboxUpdate).where(InboxUpdate.id.in_(ids)))
    claimed = [Claimed(r.id, r.chat_id, r.payload, r.attempts) for r in rows]
    await session.commit()
    return sorted(claimed, key=lambda c: c.row_id)


async def finish(session: AsyncSession, clock: Clock, row_id: int) -> None:
    """Mark an update as handled. Commits."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == row_id)
        .values(status=InboxStatus.DONE, processed_at=clock.now(), error=None)
    )
    await session.commit()


async def give_up_or_retry(
    session: AsyncSession, clock: Clock, claimed: Claimed, error: str
) -> None:
    """Record a failed handling: retried after the lease, or failed for good. Commits."""
    final = claimed.attempts >= MAX_ATTEMPTS
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == claimed.row_id)
        .values(
            status=InboxStatus.FAILED if final else InboxStatus.PENDING,
            error=error[:2000],
            processed_at=clock.now() if final else None,
        )
    )
    await session.commit()


async def release_claims(session: AsyncSession) -> int:
    """Free every lease at start-up of the only worker, so a crashed run is retried at once."""
    result = await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.status == InboxStatus.PENDING, InboxUpdate.claimed_at.is_not(None))
        .values(claimed_at=None)
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0))


async def counts(session: AsyncSession) -> dict[str, int]:
    """Return how many updates are in each state."""
    rows = await session.execute(
        select(InboxUpdate.status, func.count()).group_by(InboxUpdate.status)
    )
    return {str(status.value): int(n) for status, n in rows.all()}
