"""The monthly digest goes two days before the meeting, the weekly one on its morning; once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import digest_jobs, outbox
from bot.delivery.recheck import Recheck
from bot.services import digest_settings
from db.models import Member, OutboxMessage
from tests import digest_seed
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


async def _rows(session: AsyncSession) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    return list(await session.scalars(query.execution_options(populate_existing=True)))


async def _send_turn(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> list[outbox.Claimed]:
    """What the sender does with a claim just before sending it: the digests are built now."""
    async with sessionmaker() as session:
        rows = await outbox.claim(session, clock)
        return await Recheck(clock, TZ)(session, rows)


async def test_the_monthly_digest_goes_to_each_secretary_two_days_before_the_meeting(
    sessionmaker: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
) -> None:
    await digest_seed.seed(session, clock, cast)
    for cell in (cast.chi_bo_1, cast.chi_bo_2):  # weekly off: only the monthly is tested here
        await digest_settings.set_weekly(
            session, clock, cast.chi_thu if cell is cast.chi_bo_1 else cast.dung, cell.id, on=False
        )
    clock.set(digest_seed.DIGEST_DAY - timedelta(days=1))  # 2 December: three days before
    assert await digest_jobs.enqueue_digests(sessionmaker, clock, TZ) == 0
    clock.set(digest_seed.DIGEST_DAY - timedelta(hours=1))  # 3 December, 07:00: too early
    assert await digest_jobs.enqueue_digests(sessionmaker, clock, TZ) == 0
    clock.set(digest_seed.DIGEST_DAY)
    assert await digest_jobs.enqueue_digests(sessionmaker, clock, TZ) == 2  # one a cell
    assert await digest_jobs.enqueue_digests(sessionmaker, clock, TZ) == 0  # never twice
    queued = await _rows(session)
    assert all("text" not in r.payload for r in queued)  # what to compute, not what it was
    assert {r.condition["period"] for r in queued if r.condition} == {"month"}
    clock.move(days=1)  # the sender was down: the digest goes the next morning
    assert await digest_jobs.enqueue_digests(sessionmaker, clock, TZ) == 0
    sent = await _send_turn(sessionmaker, clock)
    assert len(sent) == 2 and all("04/12" in r.payload["text"] for r in sent)  # built today
    rows = await _rows(session)
    assert {(r.key, r.chat_id) for r in rows} == {
        (f"digest:{cast.chi_bo_1.id}:2026-11:chart", 101),
        (f"digest:{cast.chi_bo_1.id}:2026-11", 101),
        (f"digest:{cast.chi_bo_2.id}:2026-11:chart", 105),
        (f"digest:{cast.chi_bo_2.id}:2026-11", 105),
    }
    first, chart = [r for r in rows if r.chat_id == 101]  # the text, then the picture
    assert chart.method == "sendPhoto" and "photo" not in chart.payload  # made when sent
    made = await digest_jobs.make_chart(sessionmaker, clock, TZ, {"unit_id": cast.chi_bo_1.id})
    assert made.data.startswith(b"\x89PNG\r\n\x1a\n") and made.content_type == "image/png"
    assert "Báo cáo chi bộ: Chi bộ 1" in first.payload["text"]
    labels = [b["text"] for row in first.payload["reply_markup"]["inline_keyboard"] for b in row]
    assert labels[:3] == ["📥 Tải Excel", "🔔 Nhắc người chưa nộp", "📈 Biểu đồ 6 tháng"]


async def test_quiet_hours_hold_the_digest_and_the_weekly_one_follows_its_day(
    sessionmaker: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
) -> None:
    thu = await session.get(Member, cast.chi_thu.id)
    assert thu is not None
    thu.quiet_start, thu.quiet_end = time(6, 0), time(9, 0)
    await session.commit()
    await digest_settings.set_weekly(session, clock, cast.dung, cast.chi_bo_2.id, on=False)
    await digest_settings.set_weekly(session, clock, cast.chi_thu, cast.chi_bo_1.id, weekday=3)
    clock.set(datetime(2026, 11, 25, 1, 0, tzinfo=UTC))  # a Wednesday: not its day
    assert await digest_jobs.enqueue_digests(sessionmaker, clock, TZ) == 0
    clock.move(days=1)  # Thursday 08:00
    assert await digest_jobs.enqueue_digests(sessionmaker, clock, TZ) == 1
    (row,) = await _rows(session)
    assert row.key == f"digest-week:{cast.chi_bo_1.id}:2026-W48"
    assert row.due_at == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 09:00, after quiet hours
    assert await _send_turn(sessionmaker, clock) == []  # not due yet
    clock.move(hours=1)
    (sent,) = await _send_turn(sessionmaker, clock)
    assert sent.payload["text"].count("\n") == 3
    (row,) = await _rows(session)
    assert row.payload == sent.payload  # stored: a retry sends the same
