"""The sender: drains due outbox rows through a Channel and records each outcome.

Rate limits (30/s overall, 1/s per chat, 20/min per group) and telling a secretary about a
member who blocked the bot belong to the reminder engine; this sender already honours
retry_after and never re-sends a request whose outcome is unknown.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import outbox
from db.models import OutboxStatus

log = logging.getLogger(__name__)


class Result(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # the channel asked to wait (Telegram's 429 retry_after)
    BLOCKED = "blocked"  # the person blocked the bot
    FAILED = "failed"  # refused for good (bad request)
    UNKNOWN = "unknown"  # the request may or may not have arrived


@dataclass(frozen=True)
class Outcome:
    result: Result
    retry_after: float = 0.0
    error: str | None = None


class Channel(Protocol):
    async def send(self, method: str, payload: dict[str, Any]) -> Outcome:
        """Make one Bot API call and say how it ended."""
        ...


async def drain(
    sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, channel: Channel
) -> int:
    """Send every due row once; return how many were attempted."""
    attempted = 0
    while True:
        async with sessionmaker() as session:
            batch = await outbox.claim(session, clock)
        if not batch:
            return attempted
        for row in batch:
            outcome = await channel.send(row.method, row.payload)
            attempted += 1
            async with sessionmaker() as session:
                await _record(session, clock, row, outcome)


async def _record(
    session: AsyncSession, clock: Clock, row: outbox.Claimed, outcome: Outcome
) -> None:
    if outcome.result is Result.RETRY:
        retry_at = clock.now() + timedelta(seconds=max(1.0, outcome.retry_after))
        await outbox.record(
            session,
            clock,
            row.row_id,
            OutboxStatus.PENDING,
            error=outcome.error,
            retry_at=retry_at,
        )
        return
    status = {
        Result.SENT: OutboxStatus.SENT,
        Result.BLOCKED: OutboxStatus.FAILED,
        Result.FAILED: OutboxStatus.FAILED,
        Result.UNKNOWN: OutboxStatus.UNKNOWN,
    }[outcome.result]
    if status is not OutboxStatus.SENT:
        log.warning(
            "outbox row not sent",
            extra={"row": row.row_id, "result": outcome.result.value, "error": outcome.error},
        )
    await outbox.record(session, clock, row.row_id, status, error=outcome.error)
