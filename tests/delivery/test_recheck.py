"""Reminders are re-checked when they go out: what is no longer true is dropped with its reason,
dates are counted on the day they arrive, and what waited through the night comes as one
message. The real jobs, outbox, sender and database; a scripted channel; a moved clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import load_catalog
from bot.delivery import conditions, jobs, notices, outbox
from bot.delivery.ratelimit import Limits, MemoryLimiter
from bot.delivery.recheck import Recheck
from bot.delivery.sender import Outcome, Result, Sender
from bot.services import checkin_rules, checkins, lessons, pledge_reviews, reminders
from bot.services.holidays import HolidayCalendar
from db.models import ChannelIdentity, Member, MemberStatus, OutboxMessage, OutboxStatus
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.services.test_checkins import SECOND, TZ, fill
from tests.services.test_pledges import ACTION, MEASURE, write_pledge

CATALOG = load_catalog()
NO_HOLIDAYS = HolidayCalendar(removed=frozenset())
GIANG = 7001  # her chat


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


class Recording:
    """A channel that sends everything and keeps each payload whole (buttons included)."""

    def __init__(self) -> None:
        self.payloads: list[dict[str, Any]] = []

    async def send(self, method: str, payload: dict[str, Any]) -> Outcome:
        self.payloads.append(payload)
        return Outcome(Result.SENT)

    def to(self, chat: int) -> list[dict[str, Any]]:
        return [p for p in self.payloads if p["chat_id"] == chat]


def sender_for(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, channel: Recording
) -> Sender:
    limiter = MemoryLimiter(Limits(per_second=30), now=lambda: clock.now().timestamp())
    return Sender(sessionmaker, clock, channel, limiter, recheck=Recheck(clock, TZ))


async def turn(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, channel: Recording
) -> None:
    """One turn of the bot: the leader's tick, then the sender."""
    await jobs.schedule(sessionmaker, clock, TZ, CATALOG, NO_HOLIDAYS)
    await sender_for(sessionmaker, clock, channel).drain()


async def queue(
    session: AsyncSession,
    clock: FakeClock,
    key: str,
    chat: int,
    member_id: int | None,
    text: str,
    *,
    due_at: datetime | None = None,
    condition: conditions.Condition | None = None,
) -> None:
    """A row as the jobs write it: a text to a chat, and what must still hold."""
    await outbox.enqueue(
        session,
        clock,
        key=key,
        channel="telegram",
        chat_id=chat,
        member_id=member_id,
        method="sendMessage",
        payload={"chat_id": chat, "text": text},
        due_at=due_at,
        condition=condition,
    )


async def rows_of(session: AsyncSession, member_id: int) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.member_id == member_id)
    found = await session.scalars(
        query.order_by(OutboxMessage.id).execution_options(populate_existing=True)
    )
    return list(found)


async def test_the_morning_after_brings_only_what_is_still_true_in_one_message(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
) -> None:
    # 3 December, 22:00: Giang joins late in the evening and picks 06:30 for her lessons.
    clock.set(at(date(2026, 12, 3), 22, 0))
    giang = await factories.member(session, clock, cast.chi_bo_1, "Trần Thị Giang", user_id=GIANG)
    giang.lesson_time = time(6, 30)
    await session.commit()
    pledge = await write_pledge(session, clock, giang, [(ACTION, MEASURE), SECOND])
    thu = await session.get(Member, cast.chi_thu.id)
    assert thu is not None
    await pledge_reviews.decide(
        session,
        clock,
        thu,
        pledge.pledge_id,
        pledge.version,
        approve=True,
        tz=TZ,
        notify=notices.pledge_decided,
    )
    channel = Recording()
    clock.set(at(date(2026, 12, 3), 22, 5))
    await turn(sessionmaker, clock, channel)  # all of it is queued now, for 06:30
    kinds = sorted(r.key.split(":")[0] for r in await rows_of(session, giang.id))
    assert kinds == ["checkin-nudge", "checkin-open", "lesson", "pledge-approved"]
    assert channel.to(GIANG) == []  # quiet hours
    clock.set(at(date(2026, 12, 3), 22, 30))
    await fill(session, clock, giang)
    await checkins.submit(session, clock, giang, TZ, "2026-11")  # she sends it that night

    for minute in (30, 35):
        clock.set(at(date(2026, 12, 4), 6, minute))
        await turn(sessionmaker, clock, channel)
    clock.set(at(date(2026, 12, 4), 8, 0))  # the deadline reminder's hour: she has sent it
    await turn(sessionmaker, clock, channel)

    (morning,) = channel.to(GIANG)
    lesson = lessons.pick_lesson(
        CATALOG.lessons[await lessons.theme_of(session, CATALOG, giang.unit_id)], set()
    )
    assert morning["text"].splitlines() == [
        "🔔 Đồng chí có 2 việc cần lưu ý:",
        f"• Bài học hôm nay: <b>{lesson.lesson.title}</b>.",
        "• Bản cam kết năm 2026 của đồng chí đã được duyệt.",
    ]
    labels = [b["text"] for row in morning["reply_markup"]["inline_keyboard"] for b in row]
    assert labels[0] == "📖 Học bài"
    assert len(labels) == 2  # and the pledge's own button
    rows = {r.key.split(":")[0]: r for r in await rows_of(session, giang.id)}
    assert {k: r.reason for k, r in rows.items() if r.status is OutboxStatus.DROPPED} == {
        "checkin-open": "already submitted",
        "checkin-nudge": "already submitted",
        "lesson": "merged",  # into the notice's row, queued first
    }
    assert rows["pledge-approved"].status is OutboxStatus.SENT
    assert rows["pledge-approved"].payload == morning  # stored: a retry sends the same
    lessons_queued = [r.key for r in await rows_of(session, giang.id) if r.key[:6] == "lesson"]
    assert lessons_queued == [f"lesson:{giang.id}:2026-12-04"]  # the 3rd's became the 4th's


async def test_a_nudge_counts_its_days_on_the_day_it_arrives(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
) -> None:
    clock.set(at(date(2026, 12, 2), 20, 0))
    deadline = date(2026, 12, 4)
    for member, day in ((cast.an, date(2026, 12, 3)), (cast.binh, deadline)):
        await queue(
            session,
            clock,
            f"{reminders.NUDGE_KEY}:{member.id}:2026-11",
            member.id + 9000,
            member.id,
            "written the evening before",
            due_at=at(day, 6, 30),
            condition=conditions.checkin(
                reminders.CHECKIN_NUDGE,
                member.id,
                member.unit_id,
                "2026-11",
                deadline,
                clock.now(),
            ),
        )
    await queue(  # Bình's deadline reminder at 08:00: the nudge already said it
        session,
        clock,
        f"{reminders.DEADLINE_KEY}:{cast.binh.id}:2026-11",
        cast.binh.id + 9000,
        cast.binh.id,
        "hạn chót",
        due_at=at(deadline, 8, 0),
        condition=conditions.checkin(
            reminders.CHECKIN_DEADLINE,
            cast.binh.id,
            cast.binh.unit_id,
            "2026-11",
            deadline,
            at(deadline, 8, 0),
        ),
    )
    await session.commit()
    channel = Recording()
    for moment in (at(date(2026, 12, 3), 6, 30), at(deadline, 6, 30), at(deadline, 8, 0)):
        clock.set(moment)
        await sender_for(sessionmaker, clock, channel).drain()
    texts = [p["text"] for p in channel.payloads]
    assert len(texts) == 2
    assert texts[0].startswith("🔔 Còn 1 ngày nữa là hạn nộp") and "(04/12)" in texts[0]
    assert texts[1].startswith("🔔 Hôm nay (04/12) là hạn chót")
    reasons = await session.scalars(
        select(OutboxMessage.reason).where(OutboxMessage.status == OutboxStatus.DROPPED)
    )
    assert list(reasons) == ["told today"]


async def test_each_reason_to_drop_is_recorded_with_a_few_queries_for_the_claim(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
) -> None:
    clock.set(at(date(2026, 12, 2), 20, 0))
    yesterday = at(date(2026, 12, 1), 20, 0)
    people = {
        name: await factories.member(session, clock, cast.chi_bo_1, name, user_id=8000 + n)
        for n, name in enumerate(("Khánh", "Lan", "Minh", "Nga", "Oanh", "Phúc", "Quang", "Sơn"))
    }
    ids = {name: m.id for name, m in people.items()}
    lesson = CATALOG.lessons[await lessons.theme_of(session, CATALOG, cast.chi_bo_1.id)][0]
    today = date(2026, 12, 2)
    deadline = date(2026, 12, 4)

    def checkin(name: str, month: str = "2026-11", due: date = deadline) -> conditions.Condition:
        return conditions.checkin(
            reminders.CHECKIN_NUDGE, ids[name], cast.chi_bo_1.id, month, due, yesterday
        )

    wanted = {
        "Khánh": conditions.lesson(
            ids["Khánh"], today, time(20, 0), lesson.id, "l", yesterday
        ),  # read it
        "Lan": conditions.lesson(
            ids["Lan"], date(2026, 12, 1), time(20, 0), lesson.id, "l", yesterday
        ),
        "Minh": checkin("Minh"),  # exempt
        "Nga": checkin("Nga", month="2026-10", due=date(2026, 11, 4)),  # the window closed
        "Oanh": checkin("Oanh"),  # paused
        "Phúc": checkin("Phúc"),  # blocked the bot
        "Quang": checkin("Quang"),  # left the cell
        "Sơn": conditions.meeting(ids["Sơn"], date(2026, 12, 2), "m", yesterday),  # 20:00
    }
    for name, condition in wanted.items():
        chat = 8000 + list(wanted).index(name)
        await queue(session, clock, f"test:{name}", chat, ids[name], name, condition=condition)
    await session.commit()
    await lessons.mark_read(
        session, clock, TZ, CATALOG, people["Khánh"], lessons.lesson_key(lesson.id)
    )
    await checkin_rules.exempt(
        session, clock, cast.chi_thu, cast.chi_bo_1.id, ids["Minh"], 1, "Ốm dài ngày", TZ
    )
    people["Oanh"].paused_until = clock.now() + timedelta(days=3)
    people["Quang"].status = MemberStatus.INACTIVE
    identity = await session.scalar(
        select(ChannelIdentity).where(ChannelIdentity.member_id == ids["Phúc"])
    )
    assert identity is not None
    identity.blocked_at = clock.now()
    await session.commit()

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    async with sessionmaker() as probe:
        engine = probe.get_bind()
        claimed = await outbox.claim(probe, clock)
        event.listen(engine, "before_cursor_execute", count)
        try:
            kept = await Recheck(clock, TZ)(probe, claimed)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert kept == []
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= 7, reads
    found = {r.key[5:]: r.reason for r in await rows_of_all(session)}
    assert found == {
        "Khánh": "read today",
        "Lan": "lesson of another day",
        "Minh": "exempt",
        "Nga": "window closed",
        "Oanh": "paused",
        "Phúc": "identity blocked",
        "Quang": "member inactive",
        "Sơn": "meeting passed",
    }
    counts = await outbox.counts(session, clock)
    assert counts.by_status["dropped"] == 8 and counts.dropped_by_reason["paused"] == 1


async def rows_of_all(session: AsyncSession) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    return list(await session.scalars(query.execution_options(populate_existing=True)))


async def test_a_claim_dropped_whole_does_not_stop_the_sender_before_what_follows(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
) -> None:
    an = await session.get(Member, cast.an.id)
    assert an is not None
    an.status = MemberStatus.INACTIVE
    for n in range(3):
        notice = conditions.notice(cast.an.id, "x", clock.now())
        await queue(session, clock, f"test:{n}", 102, cast.an.id, f"tin {n}", condition=notice)
    later = clock.now() + timedelta(seconds=1)
    await queue(session, clock, "test:plain", 103, None, "sent as written", due_at=later)
    await session.commit()
    clock.move(seconds=2)
    channel = Recording()
    sender = sender_for(sessionmaker, clock, channel)
    sender.batch = 2  # the first claim holds only rows that are dropped
    report = await sender.drain()
    assert [p["text"] for p in channel.payloads] == ["sent as written"]
    assert report.sent == 1


async def test_what_waited_is_gathered_even_when_far_apart_in_the_queue(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    cast: Cast,
) -> None:
    clock.set(at(date(2026, 11, 23), 23, 0))
    morning = at(date(2026, 11, 24), 6, 30)
    order = [cast.an, cast.binh, cast.cuong, cast.binh, cast.an]  # An's two rows far apart
    for n, member in enumerate(order):
        notice = conditions.notice(member.id, f"việc {n}", clock.now())
        chat = member.id + 9000
        await queue(
            session,
            clock,
            f"test:{n}",
            chat,
            member.id,
            f"tin {n}",
            due_at=morning,
            condition=notice,
        )
    await session.commit()
    clock.set(morning)
    channel = Recording()
    sender = sender_for(sessionmaker, clock, channel)
    sender.batch = 2  # the first claim holds An's first row and Bình's, not An's last
    await sender.drain()
    assert sorted((p["chat_id"] - 9000, p["text"]) for p in channel.payloads) == sorted(
        [
            (cast.an.id, "🔔 Đồng chí có 2 việc cần lưu ý:\n• việc 0\n• việc 4"),
            (cast.binh.id, "🔔 Đồng chí có 2 việc cần lưu ý:\n• việc 1\n• việc 3"),
            (cast.cuong.id, "tin 2"),
        ]
    )
