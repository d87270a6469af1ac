"""The outbox: everything scheduled or bulk is a row with a unique key before it is sent.

A second enqueue of the same key (member, kind, period) is a no-op, so a restart or a second
tick never sends twice. A row whose send may have reached the channel is marked UNKNOWN and
never sent again blindly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
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
    lease: str  # the claim that holds it (see `mark_sending`)
    condition: dict[str, Any] | None = None  # what must still hold (bot/delivery/recheck)


@dataclass(frozen=True)
class Counts:
    by_status: dict[str, int]
    oldest_pending: datetime | None  # the due time of the oldest due row still waiting
    dropped_by_reason: dict[str, int] = field(default_factory=dict)


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
    condition: dict[str, Any] | None = None,
) -> bool:
    """Add a row unless its key exists; return whether it was added. Does not commit.

    A row with a `condition` is checked (and may be re-rendered) just before it is sent."""
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
                "condition": condition,
            },
        )
    )
    return getattr(result, "rowcount", 0) == 1


async def claim(session: AsyncSession, clock: Clock, *, limit: int = 200) -> list[Claimed]:
    """Lease due rows to this sender, oldest first; they stay PENDING until `mark_sending`.

    A lease only keeps other senders away; a sender that stops leaves its leased rows to be
    taken again after CLAIM_LEASE (at once, on a lone process's restart). Commits.
    """
    claimed = await _lease(session, clock, uuid.uuid4().hex, limit=limit)
    await session.commit()
    return claimed


async def claim_members(
    session: AsyncSession, clock: Clock, lease: str, members: set[int], besides: set[int]
) -> list[Claimed]:
    """Add to a claim (`lease`) the other due rows with a condition of these members, so that
    what waited for one of them can go as one message. Does not commit."""
    t = OutboxMessage
    only = (t.member_id.in_(sorted(members)), t.condition.is_not(None), t.id.not_in(besides))
    return await _lease(session, clock, lease, *only)


async def _lease(
    session: AsyncSession,
    clock: Clock,
    lease: str,
    *where: ColumnElement[bool],
    limit: int | None = None,
) -> list[Claimed]:
    now = clock.now()
    # Columns, not ORM objects: a batch is thousands of rows, and building, tracking and
    # flushing that many objects one UPDATE each stalled the sender's loop for a third of a
    # second a batch, time every send of the batch waited for.
    t = OutboxMessage
    query = (
        select(
            t.id, t.channel, t.chat_id, t.method, t.payload, t.member_id, t.attempts, t.condition
        )
        .where(
            t.status == OutboxStatus.PENDING,
            t.due_at <= now,
            or_(t.claimed_at.is_(None), t.claimed_at < now - CLAIM_LEASE),
            *where,
        )
        .order_by(t.due_at, t.id)
        .limit(limit)
    )
    if supports_skip_locked(session):
        query = query.with_for_update(skip_locked=True)
    found = await session.execute(query)
    claimed = [
        Claimed(row_id, channel, chat_id, method, payload, member_id, attempts + 1, lease, cond)
        for row_id, channel, chat_id, method, payload, member_id, attempts, cond in found
    ]
    if claimed:
        await session.execute(
            update(t)
            .where(t.id.in_([c.row_id for c in claimed]))
            .values(claimed_at=now, lease=lease)
        )
    return claimed


async def drop(session: AsyncSession, dropped: list[tuple[Claimed, str]]) -> None:
    """Mark rows no longer true as DROPPED with their reason, if still under this claim.
    Does not commit. One statement a claim and reason, not one a row."""
    grouped: dict[tuple[str, str], list[int]] = {}
    for row, reason in dropped:
        grouped.setdefault((row.lease, reason[:80]), []).append(row.row_id)
    for (lease, reason), ids in grouped.items():
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(ids),
                OutboxMessage.lease == lease,
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.DROPPED, reason=reason)
        )


async def rewrite(session: AsyncSession, row: Claimed) -> None:
    """Store what a row now says (re-rendered or merged), so a retry sends the same.
    Does not commit."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.row_id, OutboxMessage.lease == row.lease)
        .values(payload=row.payload, condition=row.condition)
    )


async def renew_leases(session: AsyncSession, clock: Clock, rows: list[Claimed]) -> None:
    """Keep rows this sender still holds away from other senders a while longer. Commits."""
    for lease, ids in _by_lease(rows).items():
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(ids),
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.lease == lease,
            )
            .values(claimed_at=clock.now())
        )
    await session.commit()


async def mark_sending(session: AsyncSession, clock: Clock, rows: list[Claimed]) -> set[int]:
    """Write SENDING just before the requests go: after a crash these rows are never sent
    again blindly (they become UNKNOWN), while rows only leased are simply sent. Commits.

    Return the rows marked: those still PENDING under their claim. A row whose lease lapsed
    (the sender stalled past CLAIM_LEASE) may have been claimed again, by this process or
    another; only the newest claim sends it."""
    t = OutboxMessage
    marked: set[int] = set()
    for lease, ids in _by_lease(rows).items():
        mark = uuid.uuid4().hex  # tells the rows marked now from any marked before
        result = await session.execute(
            update(t)
            .where(t.id.in_(ids), t.lease == lease, t.status == OutboxStatus.PENDING)
            .values(
                status=OutboxStatus.SENDING,
                claimed_at=clock.now(),
                attempts=t.attempts + 1,
                lease=mark,
            )
        )
        if getattr(result, "rowcount", -1) == len(ids):
            marked.update(ids)
        else:  # rare: find which were still ours (no RETURNING before SQLite 3.35)
            marked.update(
                await session.scalars(select(t.id).where(t.id.in_(ids), t.lease == mark))
            )
    await session.commit()
    return marked


def _by_lease(rows: list[Claimed]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for row in rows:
        grouped.setdefault(row.lease, []).append(row.row_id)
    return grouped


async def release_leases(session: AsyncSession) -> int:
    """Free every lease (a lone process at its start: no other sender holds them). Commits."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.claimed_at.is_not(None))
        .values(claimed_at=None, lease=None)
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
            back_in_line = {"due_at": o.retry_at, "claimed_at": None, "lease": None}
            values.update(back_in_line, status=OutboxStatus.PENDING)
        if o.undo_attempt:
            values["attempts"] = OutboxMessage.attempts - 1
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id == o.row_id).values(values)
        )
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
    reasons = await session.execute(
        select(OutboxMessage.reason, func.count())
        .where(OutboxMessage.status == OutboxStatus.DROPPED)
        .group_by(OutboxMessage.reason)
    )
    dropped = {str(reason): int(count) for reason, count in reasons.all()}
    return Counts(by_status, oldest, dropped)
