"""The daily lesson arrives once at the member's time: across ticks, restarts and faults."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.services import preferences
from bot.settings import Settings
from db.models import AuditEntry, ChannelIdentity, Member, OutboxMessage, OutboxStatus
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import PilotFactory


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


async def test_a_bot_that_was_down_at_20_00_catches_up_later_that_evening(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast
) -> None:
    clock.set(at(21, 10))
    await app.tick()
    assert len(lessons_to(server, 102)) == 1
    clock.set(at(23, 50))
    await app.tick()
    assert len(lessons_to(server, 102)) == 1


async def test_a_catch_up_inside_quiet_hours_waits_for_their_end_and_comes_once(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast
) -> None:
    clock.set(at(23, 50))  # back after 20:00 but inside the default quiet hours 21:30–06:30
    await app.tick()
    assert lessons_to(server, 102) == []
    clock.set(at(0, 30, day=24))  # past midnight: yesterday's lesson is still waiting, not lost
    await app.tick()
    assert lessons_to(server, 102) == []
    clock.set(at(6, 30, day=24))
    await app.tick()
    assert len(lessons_to(server, 102)) == 1
    clock.set(at(19, 59, day=24))
    await app.tick()
    assert len(lessons_to(server, 102)) == 1  # the new day's lesson waits for 20:00


async def test_a_paused_member_gets_no_lesson_until_the_pause_ends(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast, session: AsyncSession
) -> None:
    clock.set(at(9, 0))
    binh = await session.get(Member, cast.binh.id)
    assert binh is not None
    await preferences.pause(session, clock, ZoneInfo("Asia/Ho_Chi_Minh"), binh, 7)
    for day in range(23, 30):
        clock.set(at(20, 0, day=day))
        await app.tick()
    assert lessons_to(server, 103) == []
    assert len(lessons_to(server, 102)) == 7  # the others are not paused
    clock.set(at(20, 0, day=30))
    await app.tick()
    assert len(lessons_to(server, 103)) == 1


async def test_a_member_in_another_time_zone_gets_the_lesson_at_their_own_20_00(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast, session: AsyncSession
) -> None:
    binh = await session.get(Member, cast.binh.id)
    assert binh is not None
    await preferences.set_zone(
        session, clock, ZoneInfo("Asia/Ho_Chi_Minh"), binh, preferences.parse_zone("Europe/Berlin")
    )
    clock.set(at(20, 0))  # 14:00 in Berlin
    await app.tick()
    assert lessons_to(server, 103) == []
    berlin = datetime(2026, 11, 23, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    clock.set(berlin)  # 02:00 the next day in Hà Nội: quiet there, but not for Bình
    await app.tick()
    assert len(lessons_to(server, 103)) == 1
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
    assert app.outbox_channel is not None
    # The answer comes after the client gave up: it may have arrived.
    app.outbox_channel.timeout = 0.2
    server.faults.fail("sendMessage", "slow", chat_id=102, delay=1.0)
    clock.set(at(20, 0))
    await app.tick()
    clock.move(minutes=10)
    await app.tick()
    row = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 102))
    assert row is not None and row.status is OutboxStatus.UNKNOWN
    assert row.attempts == 1


async def test_a_server_error_is_retried_with_backoff_and_sent_once(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast, session: AsyncSession
) -> None:
    server.faults.fail("sendMessage", "500", chat_id=102, times=2)
    clock.set(at(20, 0))
    await app.tick()
    row = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 102))
    assert row is not None and row.status is OutboxStatus.PENDING and row.attempts == 1
    clock.move(seconds=4)
    await app.tick()
    assert lessons_to(server, 102) == []  # the first backoff is 5 s
    clock.move(seconds=2)
    await app.tick()  # second failure: the next try 10 s later
    assert lessons_to(server, 102) == []
    clock.move(seconds=11)
    await app.tick()
    assert len(lessons_to(server, 102)) == 1
    session.expire_all()
    sent = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 102))
    assert sent is not None and sent.status is OutboxStatus.SENT and sent.attempts == 3


async def test_a_member_who_blocked_the_bot_is_marked_and_sent_nothing_more(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast, session: AsyncSession
) -> None:
    server.faults.block_bot(102)
    clock.set(at(20, 0))
    await app.tick()
    identity = await session.scalar(
        select(ChannelIdentity).where(ChannelIdentity.member_id == cast.an.id)
    )
    assert identity is not None and identity.blocked_at is not None
    row = await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == 102))
    assert row is not None and row.status is OutboxStatus.FAILED
    assert (
        await session.scalar(
            select(AuditEntry.actor_member_id).where(AuditEntry.action == "member.blocked_bot")
        )
        == cast.an.id
    )
    clock.set(at(20, 0, day=24))
    await app.tick()
    rows = await session.scalars(select(OutboxMessage.key).where(OutboxMessage.chat_id == 102))
    assert len(list(rows)) == 1  # no lesson queued for a blocked identity
    assert len(lessons_to(server, 103)) == 2  # the others go on


async def test_typed_answers_press_the_buttons_of_a_pushed_lesson(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    clock.set(at(20, 0))
    await app.tick()
    binh = pilot_for(103)
    await binh.send("da doc")
    assert "Đồng chí đã học 1/" in binh.text()
