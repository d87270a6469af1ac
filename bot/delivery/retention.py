"""Retention: handled updates and finished sends are deleted after a while.

The inbox and outbox keep the words people typed and were sent; once an update is handled or a
message is sent (or given up on), the row is needed only to look into a problem for a while.
Deleted a batch a transaction, so the database is never locked for long; a tick deletes at most
MAX_BATCHES batches and the next tick goes on where it stopped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from db.models import InboxStatus, InboxUpdate, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
BATCH = 500
MAX_BATCHES = 20
INBOX_DONE = (InboxStatus.DONE, InboxStatus.FAILED)
# UNKNOWN too: after the retention period nobody will settle whether it arrived. DROPPED rows
# were never sent and never will be.
OUTBOX_DONE = (
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.UNKNOWN,
    OutboxStatus.DROPPED,
)


@dataclass(frozen=True)
class Pruned:
    inbox: int
    outbox: int


async def prune(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    keep: timedelta,
    *,
    batch: int = BATCH,
) -> Pruned:
    """Delete handled inbox rows and finished outbox rows older than `keep`."""
    cutoff = clock.now() - keep
    inbox = await _delete_batches(
        sessionmaker,
        InboxUpdate,
        InboxUpdate.status.in_(INBOX_DONE)
        & (func.coalesce(InboxUpdate.processed_at, InboxUpdate.received_at) < cutoff),
        batch,
    )
    outbox = await _delete_batches(
        sessionmaker,
        OutboxMessage,
        OutboxMessage.status.in_(OUTBOX_DONE)
        & (func.coalesce(OutboxMessage.sent_at, OutboxMessage.due_at) < cutoff),
        batch,
    )
    if inbox or outbox:
        log.info("retention pruned", extra={"inbox": inbox, "outbox": outbox})
    return Pruned(inbox, outbox)


async def _delete_batches(
    sessionmaker: async_sessionmaker[AsyncSession],
    model: type[InboxUpdate] | type[OutboxMessage],
    old: ColumnElement[Any],
    batch: int,
) -> int:
    deleted = 0
    for _ in range(MAX_BATCHES):
        async with sessionmaker() as session:
            ids = list(
                await session.scalars(select(model.id).where(old).order_by(model.id).limit(batch))
            )
            if not ids:
                break
            await session.execute(delete(model).where(model.id.in_(ids)))
            await session.commit()
        deleted += len(ids)
        if len(ids) < batch:
            break
    return deleted
