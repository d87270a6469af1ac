"""The sender on its own: a scripted channel, a moved clock, the real outbox tables."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import outbox
from bot.delivery.ratelimit import Limits, MemoryLimiter
from bot.delivery.sender import Outcome, Report, Result, Sender
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


class Spy:
    """The real budget, noting the time it hands out for each chat."""

    def __init__(self, clock: FakeClock, limits: Limits) -> None:
        self.clock = clock
        self.inner = MemoryLimiter(limits, now=lambda: clock.now().timestamp())
        self.slots: list[tuple[int, float]] = []

    async def reserve(self, chat_id: int) -> float:
        wait = await self.inner.reserve(chat_id)
        self.slots.append((chat_id, self.clock.now().timestamp() + wait))
        return wait

    async def reserve_many(self, chat_ids: list[int]) -> list[float]:
        return [await self.reserve(chat_id) for chat_id in chat_ids]

    async def pause(self, seconds: float) -> None:
        await self.inner.pause(seconds)

    async def close(self) -> None:
        await self.inner.close()


async def test_nothing_goes_before_its_slot_and_a_chats_messages_keep_their_order(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, session: AsyncSession
) -> None:
    chats = [*range(1, 61), 7, 7]  # 60 chats, then two more messages to chat 7
    await enqueue(sessionmaker, clock, *chats)
    channel, spy = Scripted(clock), Spy(clock, Limits(per_second=30))
    report = await Sender(sessionmaker, clock, channel, spy).drain()
    assert report.sent == 62 and report.attempted == 62
    slots = sorted(at for _, at in spy.slots)
    for first in slots:  # the budget: no second holds more than 30
        assert sum(1 for at in slots if first <= at < first + 1) <= 30
    for chat in set(chats):  # each message went at or after its own slot, in order
        sent = [t for t, c, _ in channel.calls if c == chat]
        given = [at for c, at in spy.slots if c == chat]
        assert all(t >= at - 1e-6 for t, at in zip(sent, given, strict=True))
    sevens = [text for _, chat, text in channel.calls if chat == 7]
    assert sevens == ["tin 6", "tin 60", "tin 61"]
    assert [at for c, at in spy.slots if c == 7] == sorted(at for c, at in spy.slots if c == 7)
    assert set(await statuses(session)) == {"sent"}


async def test_a_crash_mid_batch_leaves_only_the_marked_window_unknown(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, session: AsyncSession
) -> None:
    await enqueue(sessionmaker, clock, *range(1, 41))

    class Crash(Scripted):
        """At the 11th request the process dies: the drain and every request with it."""

        drain: asyncio.Task[object] | None = None

        async def send(self, method: str, payload: dict[str, Any]) -> Outcome:
            if len(self.calls) >= 10:
                assert self.drain is not None
                self.drain.cancel()
                raise asyncio.CancelledError
            return await super().send(method, payload)

    limiter = MemoryLimiter(Limits(per_second=8), now=lambda: clock.now().timestamp())
    crash = Crash(clock)
    crash.drain = asyncio.create_task(Sender(sessionmaker, clock, crash, limiter).drain())
    with pytest.raises(asyncio.CancelledError):
        await crash.drain
    counts = dict.fromkeys(("pending", "sending", "sent"), 0)
    for status in await statuses(session):
        counts[status] += 1
    assert counts["sent"] >= 6  # recorded as they finished, a window at a time
    assert counts["sending"] <= 4  # the window under way: in doubt; the rest were only leased
    async with sessionmaker() as s:  # a lone process restarts
        await outbox.stuck_sending(s, clock, timedelta(0))
        await outbox.release_leases(s)
    channel = Scripted(clock)
    limiter = MemoryLimiter(Limits(per_second=8), now=lambda: clock.now().timestamp())
    await Sender(sessionmaker, clock, channel, limiter).drain()
    final = await statuses(session)
    assert final.count("unknown") == counts["sending"]
    assert final.count("sent") == 40 - counts["sending"]
    assert len(channel.calls) == len({chat for _, chat, _ in channel.calls})  # no duplicates


async def test_a_stopped_drain_leaves_no_request_running(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, session: AsyncSession
) -> None:
    await enqueue(sessionmaker, clock, *range(1, 41))

    class Hanging(Scripted):
        """Telegram stops answering after the third message."""

        out = asyncio.Event()  # six requests are out: three hang, later windows still open

        async def send(self, method: str, payload: dict[str, Any]) -> Outcome:
            if len(self.calls) >= 5:
                self.out.set()
            if len(self.calls) >= 3:
                self.calls.append((0.0, int(payload["chat_id"]), "hangs"))
                await asyncio.Event().wait()
            return await super().send(method, payload)

    channel = Hanging(clock)
    limiter = MemoryLimiter(Limits(per_second=8), now=lambda: clock.now().timestamp())
    drain = asyncio.create_task(Sender(sessionmaker, clock, channel, limiter).drain())
    await channel.out.wait()
    drain.cancel()
    with pytest.raises(asyncio.CancelledError):
        await drain
    await asyncio.sleep(0)  # let the cancelled requests unwind
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert [t for t in others if not t.done()] == []


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
        [row] = await outbox.claim(s, clock)
    async with sessionmaker() as s:
        await outbox.mark_sending(s, clock, [row])  # its request went, then it stopped
    async with sessionmaker() as s:
        assert await outbox.stuck_sending(s, clock) == 0  # another sender may still be on it
    clock.move(minutes=6)
    async with sessionmaker() as s:
        assert await outbox.stuck_sending(s, clock) == 1
    assert await statuses(session) == ["unknown"]
    async with sessionmaker() as s:
        counts = await outbox.counts(s, clock)
    assert counts.by_status["unknown"] == 1 and counts.oldest_pending is None


async def test_a_lapsed_lease_claimed_again_goes_out_from_the_newer_claim_only(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    await enqueue(sessionmaker, clock, 1, 2)
    async with sessionmaker() as s:
        first = await outbox.claim(s, clock)
    clock.move(seconds=31)  # the first sender stalled past its lease
    async with sessionmaker() as s:
        second = await outbox.claim(s, clock, limit=1)  # another takes one of the two back
    assert [row.row_id for row in second] == [first[0].row_id]
    async with sessionmaker() as s:
        await outbox.renew_leases(s, clock, first)  # renewing keeps only what is still its own
        assert await outbox.mark_sending(s, clock, first) == {first[1].row_id}
    async with sessionmaker() as s:
        assert await outbox.mark_sending(s, clock, second) == {second[0].row_id}
        assert await outbox.mark_sending(s, clock, second) == set()  # once, even from itself


class Meanwhile:
    """A sender's clock: once it wakes past `at`, another process drains, then it goes on."""

    def __init__(self, clock: FakeClock, at: float, other: Sender) -> None:
        self.clock, self.at, self.other = clock, clock.now() + timedelta(seconds=at), other
        self.report: Report | None = None

    def now(self) -> datetime:
        return self.clock.now()

    async def sleep(self, seconds: float) -> None:
        await self.sleep_until(self.clock.now() + timedelta(seconds=seconds))

    async def sleep_until(self, moment: datetime) -> None:
        await self.clock.sleep_until(moment)
        if self.report is None and self.clock.now() >= self.at:
            self.report = Report()  # drains once
            self.report = await self.other.drain()


async def test_a_batch_waiting_for_far_slots_keeps_its_leases(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    await enqueue(sessionmaker, clock, 1, 2, 3)
    limiter = MemoryLimiter(Limits(per_second=30), now=lambda: clock.now().timestamp())
    await limiter.pause(45)  # Telegram asked the bot to wait: every slot is 45 s away
    channel, others = Scripted(clock), Scripted(clock)
    other = sender_for(sessionmaker, clock, others)  # a second process, its budget free
    meanwhile = Meanwhile(clock, 31, other)  # past a lease taken at the start
    waiting = Sender(sessionmaker, meanwhile, channel, limiter)

    report = await waiting.drain()

    assert (report.sent, report.taken_over) == (3, 0)
    assert meanwhile.report is not None and meanwhile.report.attempted == 0
    assert sorted(text for _, _, text in channel.calls) == ["tin 0", "tin 1", "tin 2"]
    assert others.calls == []


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


class Stalling(Scripted):
    """A channel whose first send stalls the process for a second, as a busy CPU would."""

    async def send(self, method: str, payload: dict[str, Any]) -> Outcome:
        outcome = await super().send(method, payload)
        if len(self.calls) == 1:
            self.clock.move(seconds=1)
        return outcome


@pytest.mark.parametrize("paced", [True, False])
async def test_after_a_stall_the_overdue_sends_are_spaced_not_burst(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, paced: bool
) -> None:
    await enqueue(sessionmaker, clock, *range(1, 41))
    channel = Stalling(clock)
    limiter = MemoryLimiter(Limits(per_second=30), now=lambda: clock.now().timestamp())
    sender = Sender(sessionmaker, clock, channel, limiter, per_second=30 if paced else None)

    report = await sender.drain()

    assert report.sent == 40
    times = [t for t, _, _ in channel.calls]
    densest = max(sum(1 for t in times if start <= t < start + 0.2) for start in times)
    # 0.2 s of the rate is 6 sends, plus the 0.05 s burst allowance (1.5).
    assert (densest <= 8) is paced


async def test_the_recheck_hook_sees_each_claim_before_its_sends_and_what_it_returns_goes(
    sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession, clock: FakeClock
) -> None:
    await enqueue(sessionmaker, clock, 1, 2, 3)
    seen: list[list[int]] = []

    async def recheck(checking: AsyncSession, rows: list[outbox.Claimed]) -> list[outbox.Claimed]:
        seen.append([row.chat_id for row in rows])
        assert await statuses(checking) == ["pending"] * 3  # nothing sent before the check
        await outbox.drop(checking, [(rows[1], "no longer true")])
        await checking.commit()
        return [replace(rows[0], payload={"chat_id": 1, "text": "viết lại"}), rows[2]]

    channel = Scripted(clock)
    limiter = MemoryLimiter(Limits(per_second=30), now=lambda: clock.now().timestamp())
    report = await Sender(sessionmaker, clock, channel, limiter, recheck=recheck).drain()
    assert seen == [[1, 2, 3]]
    assert [(chat, text) for _, chat, text in channel.calls] == [(1, "viết lại"), (3, "tin 2")]
    assert report.sent == 2
    assert await statuses(session) == ["sent", "dropped", "sent"]
