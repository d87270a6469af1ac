"""The daily lesson arrives once at the member's time: across ticks, restarts and faults."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.settings import Settings
from db.models import OutboxMessage, OutboxStatus
from tests.conftest import Cast
from tests.fakes.clock import FakeClock


def at(hour: int, minute: int, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def lessons_to(server: BotApiServer, chat_id: int) -> list[str]:
    return [
        m["text"]
        for m in server.messages(chat_id)
        if m["from"]["is_bot"] and m.get("text", "").startswith("📖 Bài")
    ]


async def test_a_lesson_arrives_once_at_20_00_and_not_again_after_a_restart(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast, settings: Settings
) -> None:
    clock.set(at(19, 59))
    await app.tick()
    assert lessons_to(server, 102) == []
    clock.set(at(20, 0))
    await app.tick()
    assert len(lessons_to(server, 102)) == 1
    assert lessons_to(server, 102)[0].startswith("📖 Bài 1/")
    clock.set(at(20, 1))
    await app.tick()

    restarted = App(settings, clock)
    await restarted.open_bot()
    clock.set(at(20, 5))
    await restarted.tick()
    await restarted.stop()
    assert len(lessons_to(server, 102)) == 1
    # Every active member with a 20:00 time got exactly one, too.
    assert [len(lessons_to(server, uid)) for uid in (101, 103, 104, 105)] == [1, 1, 1, 1]


async def test_a_bot_that_was_down_at_20_00_catches_up_the_same_day_only(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast
) -> None:
    clock.set(at(23, 50))
    await app.tick()
    assert len(lessons_to(server, 102)) == 1
    clock.set(at(0, 30, day=24))  # past midnight: the new day's 20:00 has not come yet
    await app.tick()
    assert len(lessons_to(server, 102)) == 1


async def test_telegrams_429_waits_retry_after_and_sends_once(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast, session: AsyncSession
) -> None:
    server.faults.fail("sendMessage", "429", retry_after=30, chat_id=102)
    clock.set(at(20, 0))
    await app.tick()
    assert lessons_to(server, 102) == []
    clock.move(seconds=10)
    await app.tick()
    assert lessons_to(server, 102) == []  # still inside retry_after
    clock.move(seconds=25)
    await app.tick()
    assert len(lessons_to(server, 102)) == 1


async def test_an_unknown_outcome_is_never_sent_blindly_again(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast, session: AsyncSession
) -> None:
    server.faults.fail("sendMessage", "500", chat_id=102)
    clock.set(at(20, 0))
    await app.tick()
    clock.move(minutes=10)
    await app.tick()
    row = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 102))
    assert row is not None and row.status is OutboxStatus.UNKNOWN
    assert lessons_to(server, 102) == []
