from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import inbox
from bot.delivery.worker import InboxWorker
from db.models import InboxStatus, InboxUpdate
from tests.fakes.clock import FakeClock


def text_update(update_id: int, chat_id: int, text: str = "xin chào") -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "An"},
            "text": text,
        },
    }


async def test_a_duplicate_update_is_stored_once(session: AsyncSession, clock: FakeClock) -> None:
    assert await inbox.store(session, clock, "telegram", text_update(1, 10))
    assert not await inbox.store(session, clock, "telegram", text_update(1, 10))
    assert await inbox.store(session, clock, "local", text_update(1, 10))
    assert await inbox.counts(session) == {"pending": 2}


async def test_claims_are_leased_and_released_after_a_crash(
    session: AsyncSession, clock: FakeClock
) -> None:
    await inbox.store(session, clock, "telegram", text_update(1, 10))
    first = await inbox.claim(session, clock)
    assert [c.payload["update_id"] for c in first] == [1]
    assert await inbox.claim(session, clock) == []  # leased to the first worker
    clock.move(minutes=3)
    again = await inbox.claim(session, clock)  # the first worker died: the lease ran out
    assert [c.attempts for c in again] == [2]
    assert await inbox.release_claims(session) == 1
    assert len(await inbox.claim(session, clock)) == 1


async def test_an_update_that_keeps_failing_is_kept_as_failed(
    session: AsyncSession, clock: FakeClock
) -> None:
    await inbox.store(session, clock, "telegram", text_update(1, 10))
    for _ in range(inbox.MAX_ATTEMPTS):
        (claimed,) = await inbox.claim(session, clock)
        await inbox.give_up_or_retry(session, clock, claimed, "boom")
        clock.move(minutes=3)
    assert await inbox.counts(session) == {"failed": 1}


async def test_the_worker_keeps_each_chat_in_order(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    seen: list[tuple[int, int]] = []

    async def handle(update: dict[str, Any]) -> None:
        await asyncio.sleep(0)
        seen.append((update["message"]["chat"]["id"], update["update_id"]))

    async with sessionmaker() as session:
        for update_id, chat in [(1, 10), (2, 20), (3, 10), (4, 20), (5, 10)]:
            await inbox.store(session, clock, "telegram", text_update(update_id, chat))
    worker = InboxWorker(sessionmaker, clock, handle)
    assert await worker.run_once() == 5
    assert [u for c, u in seen if c == 10] == [1, 3, 5]
    assert [u for c, u in seen if c == 20] == [2, 4]
    async with sessionmaker() as session:
        statuses = set(await session.scalars(select(InboxUpdate.status)))
    assert statuses == {InboxStatus.DONE}


async def test_a_handler_crash_leaves_the_update_for_a_retry(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    async def crash(update: dict[str, Any]) -> None:
        raise RuntimeError("database went away")

    async with sessionmaker() as session:
        await inbox.store(session, clock, "telegram", text_update(1, 10))
    await InboxWorker(sessionmaker, clock, crash).run_once()
    async with sessionmaker() as session:
        row = await session.scalar(select(InboxUpdate))
        assert row is not None
        assert (row.status, row.attempts) == (InboxStatus.PENDING, 1)
        assert row.error is not None and "database went away" in row.error
