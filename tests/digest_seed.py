"""A small cell with a month of everything, for the digest tests (services and handlers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    ChannelIdentity,
    Checkin,
    CheckinAnswer,
    LessonRead,
    Member,
    QuizAnswer,
    QuizRound,
    Rating,
)
from db.models.quiz_nights import QuizNight, QuizNightPlayer
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

# 08:00 in Hà Nội on 3 December 2026: two days before the meeting on the 5th; the
# November check-in's deadline is the 4th.
DIGEST_DAY = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
FIX = "Sắp xếp thời gian đọc sách mỗi tối, không để việc cơ quan lấn át."


def checkin(
    member: Member, month: str, at: datetime, answers: list[tuple[Rating, str | None]]
) -> Checkin:
    return Checkin(
        member_id=member.id,
        unit_id=member.unit_id,
        month=month,
        note=None,
        first_submitted_at=at,
        submitted_at=at,
        late=False,
        answers=[
            CheckinAnswer(position=n, item=f"Việc {n}", rating=r, done="Đã làm", fix=fix)
            for n, (r, fix) in enumerate(answers, start=1)
        ],
    )


async def seed(session: AsyncSession, clock: FakeClock, cast: Cast) -> Member:
    """Fill chi_bo_1 (Thư, An, Bình) and return Giang, who blocked the bot."""
    submitted = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    session.add(
        checkin(cast.an, "2026-11", submitted, [(Rating.GOOD, None), (Rating.NOT_DONE, FIX)])
    )
    session.add(checkin(cast.chi_thu, "2026-11", submitted, [(Rating.DONE, None)]))
    late = checkin(cast.chi_thu, "2026-10", submitted - timedelta(days=20), [(Rating.DONE, None)])
    late.late = True
    session.add(late)
    binh = await session.get(Member, cast.binh.id)
    assert binh is not None
    binh.joined_at = datetime(2026, 9, 1, tzinfo=UTC)  # asked in October too: two months missed
    for n, day in enumerate((date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3))):
        session.add(
            LessonRead(
                member_id=cast.an.id,
                lesson_id=f"bai-{n}",
                read_on=day,
                read_at=datetime.combine(day, datetime.min.time(), UTC),
            )
        )
    session.add(
        LessonRead(
            member_id=cast.chi_thu.id,
            lesson_id="bai-0",
            read_on=date(2026, 11, 20),
            read_at=datetime(2026, 11, 20, 13, tzinfo=UTC),
        )
    )
    started = datetime(2026, 12, 1, 12, tzinfo=UTC)
    practice = QuizRound(
        member_id=cast.an.id,
        scope="theme",
        scope_id="toan-khoa-xiii",
        size=2,
        position=2,
        started_at=started,
        asked_at=started,
        finished_at=started,
        abandoned=False,
    )
    session.add(practice)
    await session.flush()
    for position, correct in ((0, True), (1, False)):
        session.add(
            QuizAnswer(
                round_id=practice.id,
                position=position,
                question_id=f"q{position}",
                chosen=1,
                correct=correct,
                skipped=False,
                answered_at=started,
            )
        )
    night = QuizNight(
        unit_id=cast.chi_bo_1.id,
        channel="telegram",
        chat_id=-1001,
        host_member_id=cast.chi_thu.id,
        bank_key="bank",
        title="Hội thi tháng 11",
        question_count=5,
        seconds=20,
        allow_guests=True,
        show_names=True,
        status="finished",
        position=5,
        created_at=started,
        started_at=started,
        finished_at=datetime(2026, 11, 30, 13, tzinfo=UTC),
        podium_message_id=77,  # its end was posted in the group
        interrupted=False,
        resumed_count=0,
    )
    session.add(night)
    await session.flush()
    for seq, (user, member_id, name, score) in enumerate(
        [
            (102, cast.an.id, "Nguyễn Văn An", 900),
            (101, cast.chi_thu.id, "Trần Thị Thư", 700),
            (999, None, "Khách 3", 400),
        ],
        start=1,
    ):
        session.add(
            QuizNightPlayer(
                night_id=night.id,
                user_id=user,
                member_id=member_id,
                seq=seq,
                display_name=name,
                joined_at=started,
                first_position=1,
                score=score,
                correct_count=score // 100,
                answered_count=5,
            )
        )
    await session.commit()
    giang = await factories.member(session, clock, cast.chi_bo_1, "Đỗ Thị Giang", user_id=901)
    await session.execute(
        update(ChannelIdentity)
        .where(ChannelIdentity.member_id == giang.id)
        .values(blocked_at=datetime(2026, 12, 1, 10, tzinfo=UTC))
    )
    await factories.invite(
        session,
        clock,
        cast.chi_bo_1,
        actor=cast.chi_thu,
        full_name="Hoàng Văn Em",
        ttl=timedelta(days=30),
    )
    await session.commit()
    return giang
