"""Retention: handled updates and finished sends go after RETENTION_DAYS, in batches; nothing
pending or recent is touched."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import inbox, outbox, retention
from bot.settings import Settings
from db.models import InboxStatus, InboxUpdate, OutboxMessage, OutboxStatus
from tests.delivery.test_inbox import text_update
from tests.fakes.clock import FakeClock

KEEP = timedelta(days=30)


async def handled(session: AsyncSession, clock: FakeClock, update_id: int) -> None:
    await inbox.store(session, clock, "telegram", text_update(update_id, 10))
    for claimed in await inbox.claim(session, clock):
        if claimed.payload["update_id"] == update_id:
            inbox.finish_on_commit(session, clock, claimed)
            await session.commit()
    await inbox.release_claims(session)


async def queued(session: AsyncSession, clock: FakeClock, key: str, status: OutboxStatus) -> None:
    await outbox.enqueue(
        session,
        clock,
        key=key,
        channel="telegram",
        chat_id=10,
        member_id=None,
        method="sendMessage",
        payload={"chat_id": 10, "text": "Bài học hôm nay"},
    )
    sent_at = clock.now() if status is OutboxStatus.SENT else None
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.key == key)
        .values(status=status, sent_at=sent_at)
    )
    await session.commit()


async def inbox_ids(session: AsyncSession) -> list[int]:
    return list(await session.scalars(select(InboxUpdate.update_id).order_by(InboxUpdate.id)))


async def outbox_keys(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(OutboxMessage.key).order_by(OutboxMessage.id)))


async def test_old_handled_and_sent_rows_go_pending_and_recent_ones_stay(
    sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession, clock: FakeClock
) -> None:
    await handled(session, clock, 1)
    await queued(session, clock, "old-sent", OutboxStatus.SENT)
    await queued(session, clock, "old-failed", OutboxStatus.FAILED)
    await queued(session, clock, "old-dropped", OutboxStatus.DROPPED)
    await queued(session, clock, "old-pending", OutboxStatus.PENDING)
    await inbox.store(session, clock, "telegram", text_update(2, 11))  # never handled
    clock.move(days=20)
    await handled(session, clock, 3)
    await queued(session, clock, "recent-sent", OutboxStatus.SENT)
    clock.move(days=11)  # the first rows are 31 days old, the others 11

    pruned = await retention.prune(sessionmaker, clock, KEEP)

    assert pruned == retention.Pruned(inbox=1, outbox=3)
    session.expire_all()
    assert await inbox_ids(session) == [2, 3]
    assert await outbox_keys(session) == ["old-pending", "recent-sent"]


async def test_a_large_backlog_goes_a_batch_at_a_time_over_several_ticks(
    sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession, clock: FakeClock
) -> None:
    batch = 10
    rows = batch * retention.MAX_BATCHES + 7
    session.add_all(
        InboxUpdate(
            channel="telegram",
            update_id=update_id,
            chat_id=10,
            payload=text_update(update_id, 10),
            status=InboxStatus.DONE,
            received_at=clock.now(),
            processed_at=clock.now(),
        )
        for update_id in range(rows)
    )
    await session.commit()
    clock.move(days=31)

    first = await retention.prune(sessionmaker, clock, KEEP, batch=batch)
    second = await retention.prune(sessionmaker, clock, KEEP, batch=batch)

    assert (first.inbox, second.inbox) == (rows - 7, 7)
    assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 0


def test_retention_is_thirty_days_unless_set_and_never_shorter() -> None:
    assert Settings(_env_file=None).retention == timedelta(days=30)
    assert Settings(_env_file=None, retention_days=90).retention == timedelta(days=90)
    try:
        Settings(_env_file=None, retention_days=7)
    except ValueError:
        return
    raise AssertionError("a week was accepted")
