"""The sender on its own: a scripted channel, a moved clock, the real outbox tables."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox
from bot.delivery.ratelimit import Limits, MemoryLimiter
from bot.delivery.sender import Outcome, Result, Sender
from db.models import OutboxMessage, OutboxStatus
from tests.fakes.clock import FakeClock


class Scripted:
    """A channel that answers from a script per chat (default: sent) and logs each call."""

    def __init__(self, clock: FakeClock, script: dict[int, list[Outcome]] | None = None) -> None:
        self.clock = clock
        self.script = script or {}
        self.calls: list[tuple[float, int, str]] = []

    async def send(self, method: str, payload: dict[str, Any]) -> Outcome:
        chat = int(payload["chat_id"])
        self.calls.append((self.clock.now().timestamp(), chat, payload["text"]))
        answers = self.script.get(chat)
        return answers.pop(0) if answers else Outcome(Result.SENT)


async def enqueue(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, *chats: int
) -> None:
    async with sessionmaker() as session:
        for n, chat in enumerate(chats):
            await outbox.enqueue(
                session,
                clock,
                key=f"test:{n}",
                channel="telegram",
                chat_id=chat,
                member_id=None,
                method="sendMessage",
                payload={"chat_id": chat, "text": f"tin {n}"},
            )
        await session.commit()


def sender_for(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    channel: Scripted,
    per_second: float = 30.0,
) -> Sender:
    limiter = MemoryLimiter(Limits(per_second=per_second), now=lambda: clock.now().timestamp())
    return Sender(sessionmaker, clock, channel, limiter)


async def statuses(session: AsyncSession) -> list[str]:
    session.expire_all()
    rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return [r.status.value for r in rows]


async def test_the_budget_spaces_sends_overall_and_per_chat_and_keeps_a_chats_order(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, session: AsyncSession
) -> None:
    chats = [*range(1, 61), 7, 7]  # 60 chats, then two more messages to chat 7
    await enqueue(sessionmaker, clock, *chats)
    channel = Scripted(clock)
    start = clock.now().timestamp()
    report = await sender_for(sessionmaker, clock, channel).drain()
    assert report.sent == 62 and report.attempted == 62
    times = sorted(t - start for t, _, _ in channel.calls)
    for first in times:  # no second holds more than 30
        assert sum(1 for t in times if first <= t < first + 1) <= 30
    sevens = [(t, text) for t, chat, text in channel.calls if chat == 7]
    assert [text for _, text in sevens] == ["tin 6", "tin 60", "tin 61"]
    assert all(b - a >= 1.0 for (a, _), (b, _) in itertools.pairwise(sevens))
    assert set(await statuses(session)) == {"sent"}


async def test_a_429_pauses_everyone_and_puts_the_row_back_uncounted(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, session: AsyncSession
) -> None:
    await enqueue(sessionmaker, clock, 1, 2, 3)
    channel = Scripted(clock, {1: [Outcome(Result.RATE_LIMITED, retry_after=20)]})
    sender = sender_for(sessionmaker, clock, channel)
    first = await sender.drain()
    assert first.rate_limited == 1
    row = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 1))
    assert row is not None and row.status is OutboxStatus.PENDING and row.attempts == 0
    clock.move(seconds=21)
    await sender.drain()
    assert set(await statuses(session)) == {"sent"}
    assert [chat for _, chat, _ in channel.calls].count(1) == 2


async def test_blocked_failed_and_unknown_are_final_and_transient_gives_up_after_8(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, session: AsyncSession
) -> None:
    await enqueue(sessionmaker, clock, 1, 2, 3, 4)
    channel = Scripted(
        clock,
        {
            1: [Outcome(Result.BLOCKED, error="Forbidden: bot was blocked by the user")],
            2: [Outcome(Result.FAILED, error="Bad Request: chat not found")],
            3: [Outcome(Result.UNKNOWN, error="Request timeout error")],
            4: [Outcome(Result.TRANSIENT, error="Internal Server Error")] * 20,
        },
    )
    sender = sender_for(sessionmaker, clock, channel)
    for _ in range(12):
        await sender.drain()
        clock.move(minutes=15)
    assert await statuses(session) == ["failed", "failed", "unknown", "failed"]
    assert [chat for _, chat, _ in channel.calls].count(4) == 8
    assert [chat for _, chat, _ in channel.calls].count(3) == 1


async def test_rows_left_sending_become_unknown_only_after_the_lease(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, session: AsyncSession
) -> None:
    await enqueue(sessionmaker, clock, 1)
    async with sessionmaker() as s:
        assert len(await outbox.claim(s, clock)) == 1  # a sender took it and then stopped
    async with sessionmaker() as s:
        assert await outbox.stuck_sending(s, clock) == 0  # another sender may still be on it
    clock.move(minutes=6)
    async with sessionmaker() as s:
        assert await outbox.stuck_sending(s, clock) == 1
    assert await statuses(session) == ["unknown"]
    async with sessionmaker() as s:
        counts = await outbox.counts(s, clock)
    assert counts.by_status["unknown"] == 1 and counts.oldest_pending is None


async def test_counts_give_the_oldest_due_row(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    due = clock.now()
    await enqueue(sessionmaker, clock, 1, 2)
    clock.move(minutes=3)
    async with sessionmaker() as s:
        counts = await outbox.counts(s, clock)
    assert counts.by_status["pending"] == 2
    assert counts.oldest_pending is not None
    assert abs(counts.oldest_pending - due) < timedelta(seconds=1)
