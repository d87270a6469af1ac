from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import inbox, unit
from bot.delivery.worker import InboxWorker
from bot.services import invites
from db.models import AuditEntry, InboxStatus, InboxUpdate
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
        await inbox.retry_later(session, clock, claimed, "RuntimeError", transient=False)
        assert await inbox.claim(session, clock) == []  # not before its retry time
        clock.move(minutes=1)
    assert await inbox.counts(session) == {"failed": 1}
    row = await session.scalar(select(InboxUpdate))
    assert row is not None and (row.payload, row.error) == (None, "RuntimeError")


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
        assert row.error == "RuntimeError"  # the type only: a message may hold member text


async def test_a_reused_update_id_after_a_silent_week_is_a_new_update(
    session: AsyncSession, clock: FakeClock
) -> None:
    assert await inbox.store(session, clock, "telegram", text_update(7, 10, "cũ"))
    clock.move(hours=20)  # Telegram redelivers for at most a day: still the same update
    assert not await inbox.store(session, clock, "telegram", text_update(7, 10, "cũ"))
    clock.move(days=8)  # a week without updates: Telegram starts its ids again
    assert await inbox.store(session, clock, "telegram", text_update(7, 10, "mới"))
    assert not await inbox.store(session, clock, "telegram", text_update(7, 10, "mới"))
    texts = [c.payload["message"]["text"] for c in await inbox.claim(session, clock)]
    assert texts == ["cũ", "mới"]


async def test_a_handled_update_keeps_no_payload(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    async def handle(update: dict[str, Any]) -> None:
        return None

    async with sessionmaker() as session:
        await inbox.store(session, clock, "telegram", text_update(1, 10, "Đã làm: dọn đường"))
    await InboxWorker(sessionmaker, clock, handle).run_once()
    async with sessionmaker() as session:
        row = await session.scalar(select(InboxUpdate))
    assert row is not None
    assert (row.status, row.payload, row.kind, row.chat_id) == (
        InboxStatus.DONE,
        None,
        "message",
        10,
    )
    assert row.processed_at is not None


async def test_a_deep_link_code_is_stored_only_as_its_hash(
    session: AsyncSession, clock: FakeClock
) -> None:
    await inbox.store(session, clock, "telegram", text_update(1, 10, "/start AB12-CD34"))
    await inbox.store(session, clock, "telegram", text_update(2, 10, "/start"))
    rows = list(await session.scalars(select(InboxUpdate).order_by(InboxUpdate.id)))
    stored = rows[0].payload
    assert stored is not None
    text = stored["message"]["text"]
    assert "AB12" not in text and "CD34" not in text
    command, code = text.split(" ")
    assert command == "/start" and invites.hash_code(code) == invites.hash_code("ab12cd34")
    assert rows[1].payload is not None and rows[1].payload["message"]["text"] == "/start"


async def test_a_passing_database_fault_is_retried_soon_and_keeps_the_chat_in_order(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    seen: list[int] = []
    faults = [1]  # the first try of update 1 meets a locked database

    async def handle(update: dict[str, Any]) -> None:
        if update["update_id"] in faults:
            faults.remove(update["update_id"])
            raise OperationalError("UPDATE", {}, Exception("database is locked"))
        seen.append(update["update_id"])

    async with sessionmaker() as session:
        for update_id, chat in [(1, 10), (2, 20), (3, 10)]:
            await inbox.store(session, clock, "telegram", text_update(update_id, chat))
    worker = InboxWorker(sessionmaker, clock, handle)
    assert await worker.run_once() == 3
    assert seen == [2]  # update 3 waits behind update 1 of the same chat
    assert await worker.run_once() == 0  # the retry is not due yet
    clock.move(seconds=2)
    await worker.run_once()
    await worker.run_once()
    assert seen == [2, 1, 3]
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(InboxUpdate).order_by(InboxUpdate.id)))
    # The fault was not counted as a try: the update still has all of its tries.
    assert [(r.status, r.attempts, r.hiccups) for r in rows] == [
        (InboxStatus.DONE, 1, 1),
        (InboxStatus.DONE, 1, 0),
        (InboxStatus.DONE, 1, 0),
    ]


async def test_a_poison_update_is_set_aside_without_blocking_its_chat(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[int] = []

    async def handle(update: dict[str, Any]) -> None:
        if "message" not in update:
            raise inbox.Poison("ValidationError")
        seen.append(update["update_id"])

    async with sessionmaker() as session:
        await inbox.store(
            session, clock, "telegram", {"update_id": 1, "weird": {"from": {"id": 10}}}
        )
        await inbox.store(session, clock, "telegram", text_update(2, 10, "bí mật"))
    with caplog.at_level(logging.INFO):
        await InboxWorker(sessionmaker, clock, handle).run_once()
    assert seen == [2]
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(InboxUpdate).order_by(InboxUpdate.id)))
    assert [(r.status, r.payload, r.error) for r in rows] == [
        (InboxStatus.FAILED, None, "unparseable"),
        (InboxStatus.DONE, None, None),
    ]
    assert any(r.__dict__.get("update_id") == 1 for r in caplog.records)
    assert not any("bí mật" in r.getMessage() for r in caplog.records)


async def test_an_update_that_always_fails_stops_holding_its_chat_after_its_tries(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    seen: list[int] = []

    async def handle(update: dict[str, Any]) -> None:
        if update["update_id"] == 1:
            raise RuntimeError("a bug")
        seen.append(update["update_id"])

    async with sessionmaker() as session:
        await inbox.store(session, clock, "telegram", text_update(1, 10))
        await inbox.store(session, clock, "telegram", text_update(2, 10))
    worker = InboxWorker(sessionmaker, clock, handle)
    for _ in range(inbox.MAX_ATTEMPTS - 1):
        await worker.run_once()
        assert seen == []
        clock.move(minutes=1)
    await worker.run_once()  # the last try fails too: set aside, and its chat goes on
    assert seen == [2]
    async with sessionmaker() as session:
        assert await inbox.counts(session) == {"failed": 1, "done": 1}


class Crash(BaseException):
    """The process dies: nothing after this line runs."""


async def test_the_done_mark_commits_with_the_handlers_change(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    async def handle(update: dict[str, Any]) -> None:
        session = unit.current_session()
        assert session is not None
        session.add(AuditEntry(at=clock.now(), action="effect", outcome="ok", detail={}))
        await session.commit()
        raise Crash  # killed right after the commit

    async with sessionmaker() as session:
        await inbox.store(session, clock, "telegram", text_update(1, 10))
    with pytest.raises(Crash):
        await InboxWorker(sessionmaker, clock, handle).run_once()
    async with sessionmaker() as session:
        await inbox.release_claims(session)  # the restart
        assert await inbox.claim(session, clock) == []  # the effect is in: not handled again
        assert await inbox.counts(session) == {"done": 1}


async def test_a_worker_whose_lease_was_taken_commits_nothing(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    async with sessionmaker() as session:
        await inbox.store(session, clock, "telegram", text_update(1, 10))
        (slow,) = await inbox.claim(session, clock)
        clock.move(minutes=3)
        (fast,) = await inbox.claim(session, clock)  # the slow worker's lease ran out
    async with sessionmaker() as session:
        inbox.finish_on_commit(session, clock, slow)
        session.add(AuditEntry(at=clock.now(), action="effect", outcome="ok", detail={}))
        with pytest.raises(inbox.LeaseLost):
            await session.commit()
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        inbox.finish_on_commit(session, clock, fast)
        await session.commit()
        assert await inbox.counts(session) == {"done": 1}
