"""The outbox: everything scheduled or bulk is a row with a unique key before it is sent.

A second enqueue of the same key (member, kind, period) is a no-op, so a restart or a second
tick never sends twice. A row whose send may have reached the channel is marked UNKNOWN and
never sent again blindly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from db.dialect import insert_ignoring_duplicates, supports_skip_locked
from db.models import OutboxMessage, OutboxStatus

# A sender renews its leases while it works through a batch; a dead one's rows are free
# again this long after its last renewal.
CLAIM_LEASE = timedelta(seconds=30)
# A send never waits for its slot longer than a minute and a request times out within one, so
# a row still SENDING after this was left by a process that stopped.
STUCK_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Claimed:
    row_id: int
    channel: str
    chat_id: int
    method: str
    payload: dict[str, Any]
    member_id: int | None
    attempts: int  # including this one


@dataclass(frozen=True)
class Counts:
    by_status: dict[str, int]
    oldest_pending: datetime | None  # the due time of the oldest due row still waiting


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


async def claim(session: AsyncSession, clock: Clock, *, limit: int = 200) -> list[Claimed]:
    """Lease due rows to this sender, oldest first; they stay PENDING until `mark_sending`.

    A lease only keeps other senders away; a sender that stops leaves its leased rows to be
    taken again after CLAIM_LEASE (at once, on a lone process's restart). Commits.
    """
    now = clock.now()
    # Columns, not ORM objects: a batch is thousands of rows, and building, tracking and
    # flushing that many objects one UPDATE each stalled the sender's loop for a third of a
    # second a batch, time every send of the batch waited for.
    t = OutboxMessage
    query = (
        select(t.id, t.channel, t.chat_id, t.method, t.payload, t.member_id, t.attempts)
        .where(
            t.status == OutboxStatus.PENDING,
            t.due_at <= now,
            or_(t.claimed_at.is_(None), t.claimed_at < now - CLAIM_LEASE),
        )
        .order_by(t.due_at, t.id)
        .limit(limit)
    )
    if supports_skip_locked(session):
        query = query.with_for_update(skip_locked=True)
    found = await session.execute(query)
    claimed = [
        Claimed(row_id, channel, chat_id, method, payload, member_id, attempts + 1)
        for row_id, channel, chat_id, method, payload, member_id, attempts in found
    ]
    if claimed:
        await session.execute(
            update(t).where(t.id.in_([c.row_id for c in claimed])).values(claimed_at=now)
        )
    await session.commit()
    return claimed


async def renew_leases(session: AsyncSession, clock: Clock, row_ids: list[int]) -> None:
    """Keep rows this sender still holds away from other senders a while longer. Commits."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(row_ids), OutboxMessage.status == OutboxStatus.PENDING)
        .values(claimed_at=clock.now())
    )
    await session.commit()


async def mark_sending(session: AsyncSession, clock: Clock, row_ids: list[int]) -> None:
    """Write SENDING just before the requests go: after a crash these rows are never sent
    again blindly (they become UNKNOWN), while rows only leased are simply sent. Commits."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(row_ids))
        .values(
            status=OutboxStatus.SENDING,
            claimed_at=clock.now(),
            attempts=OutboxMessage.attempts + 1,
        )
    )
    await session.commit()


async def release_leases(session: AsyncSession) -> int:
    """Free every lease (a lone process at its start: no other sender holds them). Commits."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.claimed_at.is_not(None))
        .values(claimed_at=None)
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed row."""

    row_id: int
    status: OutboxStatus
    error: str | None = None
    retry_at: datetime | None = None  # back in line (PENDING) at this time
    undo_attempt: bool = False  # a 429 or a pause is not the row's fault: take the try back


async def record_many(session: AsyncSession, clock: Clock, outcomes: list[Outcome]) -> None:
    """Record a batch of outcomes in one transaction; rows sent go in one statement. Commits."""
    now = clock.now()
    sent = [o.row_id for o in outcomes if o.status is OutboxStatus.SENT and o.retry_at is None]
    if sent:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(sent))
            .values(status=OutboxStatus.SENT, sent_at=now, error=None)
        )
    for o in outcomes:
        if o.row_id in sent:
            continue
        values: dict[str, Any] = {"status": o.status, "error": o.error}
        if o.retry_at is not None:
            values.update(status=OutboxStatus.PENDING, due_at=o.retry_at, claimed_at=None)
        if o.undo_attempt:
            values["attempts"] = OutboxMessage.attempts - 1
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id == o.row_id).values(values)
        )
    await session.commit()


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


async def stuck_sending(
    session: AsyncSession, clock: Clock, older_than: timedelta = STUCK_AFTER
) -> int:
    """Mark rows left SENDING by a stopped process as UNKNOWN (their outcome cannot be known).

    Other senders may be sending right now, so only rows claimed longer ago than `older_than`
    count as left behind; a lone process (SQLite) passes zero at its start. Commits.
    """
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at <= clock.now() - older_than,
        )
        .values(status=OutboxStatus.UNKNOWN, error="process stopped during the send")
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0))


async def counts(session: AsyncSession, clock: Clock) -> Counts:
    """Rows by status, and the due time of the oldest row that is due and not yet sent."""
    rows = await session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    by_status = {status.value: 0 for status in OutboxStatus}
    for status, count in rows.all():
        by_status[OutboxStatus(status).value] = int(count)
    oldest = await session.scalar(
        select(func.min(OutboxMessage.due_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= clock.now()
        )
    )
    return Counts(by_status, oldest)
