"""The inbox: every update is stored once before it is acknowledged, then handled from here.

A duplicate update (the same channel, epoch and update id) is a no-op. A row stays pending
until its handling committed: the "done" mark is written in the handler's own transaction (see
`finish_on_commit`), so an update whose effect committed is never handled again, and one cut
short by a crash is. Rows are claimed with a lease, so several webhook workers can share one
database; a chat's rows are claimed only in order. Once handled, a row keeps no payload: only
its id, chat, kind, outcome and timings.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, aliased

from bot.clock import Clock
from bot.services.invites import hidden_code
from db.dialect import insert_ignoring_duplicates, supports_skip_locked
from db.models import InboxStatus, InboxUpdate

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 5  # genuine failures (a bug, an unparseable update) before a row is set aside
MAX_HICCUPS = 60  # passing database/Redis faults: about an hour of backoff before giving up
# Telegram keeps an update for at most a day and reuses ids only after a week without any:
# after this much silence an id seen before is a new update, not a redelivery.
NEW_EPOCH_AFTER = timedelta(days=3)


class Poison(Exception):
    """An update that can never be handled (it does not even parse): set aside at once."""


class LeaseLost(Exception):
    """Another worker claimed the row meanwhile: this handling must not commit."""


@dataclass(frozen=True)
class Claimed:
    row_id: int
    chat_id: int | None
    payload: dict[str, Any]
    attempts: int
    hiccups: int
    lease: str

    @property
    def last_try(self) -> bool:
        return self.attempts >= MAX_ATTEMPTS


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


def kind_of(update: dict[str, Any]) -> str | None:
    """Return the update's type (message, callback_query, …), kept after the payload goes."""
    kinds = [key for key, value in update.items() if key != "update_id" and value is not None]
    return kinds[0][:30] if kinds else None


def without_codes(update: dict[str, Any]) -> dict[str, Any]:
    """Return the update with a `/start CODE` deep link's code replaced by its hash."""
    message = update.get("message")
    if not isinstance(message, dict):
        return update
    text = message.get("text")
    if not isinstance(text, str) or not text.startswith("/start"):
        return update
    command, _, code = text.partition(" ")
    if command.split("@")[0] != "/start" or not code.strip():
        return update
    return {**update, "message": {**message, "text": f"{command} {hidden_code(code.strip())}"}}


async def store(session: AsyncSession, clock: Clock, channel: str, update: dict[str, Any]) -> bool:
    """Store an update; return False if it was already there. Commits."""
    now = clock.now()
    statement = insert_ignoring_duplicates(
        session,
        InboxUpdate.__table__,
        {
            "channel": channel,
            "epoch": await _epoch(session, channel, now),
            "update_id": int(update["update_id"]),
            "chat_id": chat_of(update),
            "kind": kind_of(update),
            "payload": without_codes(update),
            "status": InboxStatus.PENDING.value,
            "attempts": 0,
            "hiccups": 0,
            "received_at": now,
        },
    )
    result = await session.execute(statement)
    await session.commit()
    return getattr(result, "rowcount", 0) == 1


async def _epoch(session: AsyncSession, channel: str, now: datetime) -> int:
    latest = (
        await session.execute(
            select(InboxUpdate.epoch, InboxUpdate.received_at)
            .where(InboxUpdate.channel == channel)
            .order_by(InboxUpdate.id.desc())
            .limit(1)
        )
    ).first()
    if latest is None:
        return 0
    epoch, received_at = latest
    return int(epoch) + 1 if now - received_at > NEW_EPOCH_AFTER else int(epoch)


async def claim(session: AsyncSession, clock: Clock, *, limit: int = 50) -> list[Claimed]:
    """Claim pending updates that are free and due, oldest first, each chat in order. Commits."""
    now = clock.now()
    earlier = aliased(InboxUpdate)
    # A chat's row waits while an earlier row of the same chat is held or waits for a retry.
    blocked = (
        select(earlier.id)
        .where(
            earlier.chat_id == InboxUpdate.chat_id,
            earlier.id < InboxUpdate.id,
            earlier.status == InboxStatus.PENDING,
            or_(~_free(earlier, now), ~_due(earlier, now)),
        )
        .exists()
    )
    query = (
        select(InboxUpdate.id)
        .where(
            InboxUpdate.status == InboxStatus.PENDING,
            _free(InboxUpdate, now),
            _due(InboxUpdate, now),
            ~blocked,
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
    lease = secrets.token_hex(16)
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id.in_(ids))
        .values(claimed_at=now, lease=lease, retry_at=None, attempts=InboxUpdate.attempts + 1)
    )
    rows = await session.scalars(select(InboxUpdate).where(InboxUpdate.id.in_(ids)))
    claimed = [
        Claimed(r.id, r.chat_id, r.payload or {}, r.attempts, r.hiccups, lease) for r in rows
    ]
    await session.commit()
    return sorted(claimed, key=lambda c: c.row_id)


def _free(row: Any, now: datetime) -> Any:
    return or_(row.claimed_at.is_(None), row.claimed_at < now - LEASE)


def _due(row: Any, now: datetime) -> Any:
    return or_(row.retry_at.is_(None), row.retry_at <= now)


def finish_on_commit(session: AsyncSession, clock: Clock, claimed: Claimed) -> None:
    """Mark the row done in whichever commit of `session` comes first: with the handler's
    domain change, so the two are kept or lost together. Raises LeaseLost from that commit
    if another worker took the row meanwhile, which rolls the handler's change back."""
    done = False

    def mark(sync: Session) -> None:
        if done:
            return
        result = sync.execute(
            update(InboxUpdate)
            .where(
                InboxUpdate.id == claimed.row_id,
                InboxUpdate.status == InboxStatus.PENDING,
                InboxUpdate.lease == claimed.lease,
            )
            .values(
                status=InboxStatus.DONE,
                processed_at=clock.now(),
                payload=None,
                error=None,
                lease=None,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            raise LeaseLost(claimed.row_id)

    def marked(_sync: Session) -> None:
        nonlocal done
        done = True

    event.listen(session.sync_session, "before_commit", mark)
    event.listen(session.sync_session, "after_commit", marked)


async def retry_later(
    session: AsyncSession, clock: Clock, claimed: Claimed, error: str, *, transient: bool
) -> bool:
    """Put a row back for a retry soon, or set it aside after its tries. Return True if it
    was set aside. A passing fault is not counted as a try. Commits."""
    if transient:
        hiccups, attempts = claimed.hiccups + 1, claimed.attempts - 1
        final = hiccups >= MAX_HICCUPS
        wait = min(60.0, 0.5 * 2 ** min(hiccups, 10))
    else:
        hiccups, attempts = claimed.hiccups, claimed.attempts
        final = claimed.last_try
        wait = min(60.0, 2.0**attempts)
    if final:
        await fail(session, clock, claimed, error)
        return True
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == claimed.row_id, InboxUpdate.lease == claimed.lease)
        .values(
            attempts=attempts,
            hiccups=hiccups,
            error=error[:200],
            claimed_at=None,
            lease=None,
            retry_at=clock.now() + timedelta(seconds=wait),
        )
    )
    await session.commit()
    return False


async def fail(session: AsyncSession, clock: Clock, claimed: Claimed, error: str) -> None:
    """Set a row aside for good, keeping what an operator needs (no member text). Commits."""
    await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.id == claimed.row_id, InboxUpdate.lease == claimed.lease)
        .values(
            status=InboxStatus.FAILED,
            error=error[:200],
            payload=None,
            processed_at=clock.now(),
            lease=None,
        )
    )
    await session.commit()


async def unclaim(session: AsyncSession, rows: list[Claimed]) -> None:
    """Give back rows claimed but not tried (an earlier row of their chat must go first)."""
    for row in rows:
        await session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.id == row.row_id, InboxUpdate.lease == row.lease)
            .values(claimed_at=None, lease=None, attempts=row.attempts - 1)
        )
    await session.commit()


async def release_claims(session: AsyncSession) -> int:
    """Free every lease at start-up of the only worker, so a crashed run is retried at once."""
    result = await session.execute(
        update(InboxUpdate)
        .where(InboxUpdate.status == InboxStatus.PENDING, InboxUpdate.claimed_at.is_not(None))
        .values(claimed_at=None, lease=None)
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0))


async def counts(session: AsyncSession) -> dict[str, int]:
    """Return how many updates are in each state."""
    rows = await session.execute(
        select(InboxUpdate.status, func.count()).group_by(InboxUpdate.status)
    )
    return {str(status.value): int(n) for status, n in rows.all()}
