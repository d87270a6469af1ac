"""The sender: drains due outbox rows through a Channel within Telegram's limits.

Each row gets its time from the rate budget (30/s overall, 1/s a chat, 20/min a group, shared
through Redis when several processes send), waits for it on the clock and is sent; many rows
are in flight at once so the budget, not the round trip, sets the pace. Outcomes:

- sent: recorded (a batch in one statement);
- 429: the whole bot pauses for retry_after and the row goes back in line, not counted;
- 403 (blocked, deactivated): the identity is marked blocked, nothing more is sent to it, and
  the secretary sees it in the next digest;
- 5xx or a connection refused (the request surely did not arrive): retried with backoff;
- a timeout or a dropped connection (it may have arrived): UNKNOWN, never re-sent blindly.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import outbox
from bot.delivery.ratelimit import RateLimiter
from bot.services import audit
from db.models import ChannelIdentity, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # transient failures; about 20 minutes of backoff in all
BACKOFF_FIRST = 5.0  # seconds; doubles each attempt
BACKOFF_MAX = 600.0
LONGEST_WAIT = 60.0  # a slot further away than this: the row goes back in line instead
IN_FLIGHT = 64  # concurrent requests; enough for 1,000 msg/s at 60 ms a round trip
MARK_WINDOW = timedelta(milliseconds=250)
# A process that stalls (a garbage collection, a busy CPU) wakes with every slot of the stall
# overdue at once; sent together they would reach Telegram as a burst it answers with 429s
# and a pause of a second or more. Past this much burst, late sends are spaced again.
SMOOTH_BURST = 0.05  # seconds of the rate
# Slots are reserved this much of the rate at a time: one round trip to Redis each at 1,000
# a second was the sender's whole pace, while a twentieth of a second ahead passes no slot.
RESERVE_AHEAD = 0.05  # seconds of the rate
RENEW_EVERY = outbox.CLAIM_LEASE / 3  # leases are renewed this often while a batch waits


def batch_for(per_second: float) -> int:
    """Rows a sender claims at once: about three seconds of its budget. Long enough that
    claiming the next batch costs little of the budget, short enough for fresh leases."""
    return max(10, min(3000, int(per_second * 3)))


class Result(enum.Enum):
    SENT = "sent"
    RATE_LIMITED = "rate_limited"  # Telegram's 429: wait retry_after
    TRANSIENT = "transient"  # 5xx or no connection: the request did not arrive; retry
    BLOCKED = "blocked"  # the person blocked the bot, or the account is gone
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


OnSent = Callable[[outbox.Claimed], Awaitable[None]]
# Checks a fresh claim just before its sends (bot/delivery/recheck): returns the rows to send,
# possibly re-rendered or merged, having dropped the rest. Commits what it changed.
Recheck = Callable[[AsyncSession, list[outbox.Claimed]], Awaitable[list[outbox.Claimed]]]
Sent = tuple[outbox.Claimed, outbox.Outcome, "Result | None"]  # a row, its outcome, the result


@dataclass
class Report:
    """What one drain did, for logs and the benchmark."""

    attempted: int = 0
    sent: int = 0
    blocked: int = 0
    rate_limited: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    deferred: int = 0
    taken_over: int = 0  # leases that lapsed (a stall) and were claimed again: sent by them

    def add(self, result: Result) -> None:
        name = {Result.RATE_LIMITED: "rate_limited", Result.TRANSIENT: "retried"}.get(
            result, result.value
        )
        setattr(self, name, getattr(self, name) + 1)


class Sender:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        channel: Channel,
        limiter: RateLimiter,
        *,
        on_sent: OnSent | None = None,
        in_flight: int = IN_FLIGHT,
        batch: int = 200,
        per_second: float | None = None,
        recheck: Recheck | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.recheck = recheck
        self.clock = clock
        self.channel = channel
        self.limiter = limiter
        self.on_sent = on_sent
        self.in_flight = in_flight
        self.batch = batch
        # When a 429 paused the bot: a send whose slot was handed out before it waits again.
        self._paused_until = datetime.min.replace(tzinfo=UTC)
        # This process's own pace (None: sends go at their slots, however late).
        self._spacing = timedelta(seconds=1 / per_second) if per_second else None
        self._smooth_at = datetime.min.replace(tzinfo=UTC)
        self._ahead = max(1, min(IN_FLIGHT, int(per_second * RESERVE_AHEAD))) if per_second else 1

    async def drain(self) -> Report:
        """Send every row that is due now; return what happened."""
        report = Report()
        batch = _Batch(self, report)
        rows = await self._claim(batch)
        while rows:
            # The next batch is claimed while this one goes out (the leases keep the two
            # apart), so its first slots follow straight on: waiting for the last answers
            # and then for a claim of thousands of rows cost a tenth of a second a batch.
            following = asyncio.create_task(self._claim(batch))
            try:
                await self._send_batch(rows, batch)
            except BaseException:  # stopping (or the database failed): nothing left running
                following.cancel()
                batch.cancel()
                raise
            rows = await following
        await batch.finish()
        return report

    async def _claim(self, batch: _Batch) -> list[outbox.Claimed]:
        async with self.sessionmaker() as session:
            rows = await outbox.claim(session, self.clock, limit=self.batch)
            # A claim whose every row was dropped is not the end of what is due.
            while rows and self.recheck is not None:
                kept = await self.recheck(session, rows)
                if kept:
                    rows = kept
                    break
                rows = await outbox.claim(session, self.clock, limit=self.batch)
        batch.lease(rows)
        return rows

    async def _send_batch(self, rows: list[outbox.Claimed], batch: _Batch) -> None:
        # Slots are reserved only about a window ahead of sending: reserving a whole batch
        # first (a Redis round trip each) would let the first slots pass before any send, and
        # the late sends would then go out in a burst Telegram refuses.
        report = batch.report
        window: list[tuple[outbox.Claimed, datetime]] = []
        async for row, wait, now in self._reserved(rows):
            at = now + timedelta(seconds=wait)
            if wait > LONGEST_WAIT:
                report.deferred += 1
                later = outbox.Outcome(row.row_id, OutboxStatus.PENDING, retry_at=at)
                batch.deferred.append((row, later, None))
                batch.waiting.pop(row.row_id, None)
                continue
            if window and at >= min(t for _, t in window) + MARK_WINDOW:
                await batch.open(window)
                window = []
            window.append((row, at))
        if window:
            await batch.open(window)

    async def _reserved(
        self, rows: list[outbox.Claimed]
    ) -> AsyncIterator[tuple[outbox.Claimed, float, datetime]]:
        """Each row with its slot's delay and the moment it was given, reserved in row order
        (so two messages to one chat keep their order), a few at a time as they are needed."""
        for start in range(0, len(rows), self._ahead):
            chunk = rows[start : start + self._ahead]
            waits = await self.limiter.reserve_many([row.chat_id for row in chunk])
            now = self.clock.now()
            for row, wait in zip(chunk, waits, strict=True):
                yield row, wait, now

    async def _record(self, session: AsyncSession, results: list[Sent]) -> None:
        if not results:
            return
        await self._block_identities(
            session, [row for row, _, result in results if result is Result.BLOCKED]
        )
        await outbox.record_many(session, self.clock, [outcome for _, outcome, _ in results])

    async def _send_one(
        self, row: outbox.Claimed, at: datetime, slots: asyncio.Semaphore, report: Report
    ) -> Sent:
        try:
            await self.clock.sleep_until(at)
            held = self._held_back()
            if held is not None:
                await self.clock.sleep_until(held)
            if self.clock.now() < self._paused_until:
                report.deferred += 1
                again = outbox.Outcome(
                    row.row_id,
                    OutboxStatus.PENDING,
                    retry_at=self._paused_until,
                    undo_attempt=True,
                )
                return row, again, None
            outcome = await self.channel.send(row.method, row.payload)
            report.attempted += 1
            report.add(outcome.result)
            if outcome.result is Result.SENT and self.on_sent is not None:
                try:
                    await self.on_sent(row)
                except Exception:  # a hook must never turn a sent row into a failed one
                    log.exception("after-send hook failed", extra={"row": row.row_id})
            return row, await self._outcome(row, outcome), outcome.result
        finally:
            slots.release()

    def _held_back(self) -> datetime | None:
        """When a send that is due now may go without bursting past this process's rate
        (None: at once). A token bucket holding SMOOTH_BURST seconds of the rate."""
        if self._spacing is None:
            return None
        now = self.clock.now()
        start = max(self._smooth_at, now)
        self._smooth_at = start + self._spacing
        at = start - timedelta(seconds=SMOOTH_BURST)
        return at if at > now else None

    async def _outcome(self, row: outbox.Claimed, outcome: Outcome) -> outbox.Outcome:
        now = self.clock.now()
        if outcome.result is Result.SENT:
            return outbox.Outcome(row.row_id, OutboxStatus.SENT)
        log.warning(
            "outbox row not sent",
            extra={"row": row.row_id, "result": outcome.result.value, "error": outcome.error},
        )
        if outcome.result is Result.RATE_LIMITED:
            pause = max(1.0, outcome.retry_after)
            await self.limiter.pause(pause)
            retry_at = now + timedelta(seconds=pause)
            self._paused_until = max(self._paused_until, retry_at)
            return outbox.Outcome(
                row.row_id,
                OutboxStatus.PENDING,
                outcome.error,
                retry_at=retry_at,
                undo_attempt=True,
            )
        if outcome.result is Result.TRANSIENT and row.attempts < MAX_ATTEMPTS:
            backoff = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (row.attempts - 1))
            retry_at = now + timedelta(seconds=backoff)
            return outbox.Outcome(row.row_id, OutboxStatus.PENDING, outcome.error, retry_at)
        status = OutboxStatus.UNKNOWN if outcome.result is Result.UNKNOWN else OutboxStatus.FAILED
        return outbox.Outcome(row.row_id, status, outcome.error)

    async def _block_identities(self, session: AsyncSession, rows: list[outbox.Claimed]) -> None:
        """Mark the identities behind 403s blocked: nothing more is queued or sent to them."""
        for row in rows:
            if row.chat_id < 0:  # a group that removed the bot is not a member's identity
                continue
            await session.execute(
                update(ChannelIdentity)
                .where(
                    ChannelIdentity.channel == row.channel,
                    ChannelIdentity.chat_id == row.chat_id,
                    ChannelIdentity.blocked_at.is_(None),
                )
                .values(blocked_at=self.clock.now())
            )
            audit.record(session, self.clock, "member.blocked_bot", actor_member_id=row.member_id)


class _Batch:
    """One drain's claimed rows on their way out, a window at a time.

    Rows are marked SENDING a window at a time, just before their requests, and what has
    finished is recorded at the same moment: a crash leaves only about a window's rows in
    doubt (UNKNOWN); the rest are recorded, or simply sent by the next sender. Requests
    still out when the next claim's turn comes are recorded with that claim's windows."""

    def __init__(self, sender: Sender, report: Report) -> None:
        self.sender = sender
        self.report = report
        self.waiting: dict[int, outbox.Claimed] = {}  # leased, not yet marked
        self.deferred: list[Sent] = []
        self.running: list[asyncio.Task[Sent]] = []
        self.slots = asyncio.Semaphore(sender.in_flight)
        self.leased = sender.clock.now()

    def lease(self, rows: list[outbox.Claimed]) -> None:
        """Take in a fresh claim, renewed with the rest until its windows open."""
        self.waiting.update((row.row_id, row) for row in rows)

    async def open(self, window: list[tuple[outbox.Claimed, datetime]]) -> None:
        sender, clock = self.sender, self.sender.clock
        first = min(at for _, at in window)
        # A slot can be up to a minute away (a group's 20 a minute, a pause after a 429):
        # the leases are renewed on the way, or another sender would take these rows.
        while first - clock.now() > RENEW_EVERY:
            await clock.sleep_until(clock.now() + RENEW_EVERY)
            async with sender.sessionmaker() as session:
                await self._renew(session)
        await clock.sleep_until(first)
        finished = [task.result() for task in self.running if task.done()]
        self.running = [task for task in self.running if not task.done()]
        for row, _ in window:
            self.waiting.pop(row.row_id, None)
        async with sender.sessionmaker() as session:
            await sender._record(session, self.deferred + finished)
            ours = await outbox.mark_sending(session, clock, [row for row, _ in window])
            if clock.now() - self.leased > RENEW_EVERY:
                await self._renew(session)
        self.deferred = []
        for row, at in window:
            if row.row_id not in ours:  # its lease lapsed and a newer claim sends it
                self.report.taken_over += 1
                continue
            await self.slots.acquire()
            task = sender._send_one(row, at, self.slots, self.report)
            self.running.append(asyncio.create_task(task))

    async def _renew(self, session: AsyncSession) -> None:
        await outbox.renew_leases(session, self.sender.clock, list(self.waiting.values()))
        self.leased = self.sender.clock.now()

    def cancel(self) -> None:
        """Abandon the requests still out: their rows stay SENDING and become UNKNOWN, as
        after a crash, since they may have arrived."""
        for task in self.running:
            task.cancel()

    async def finish(self) -> None:
        finished = list(await asyncio.gather(*self.running))
        async with self.sender.sessionmaker() as session:
            await self.sender._record(session, self.deferred + finished)
