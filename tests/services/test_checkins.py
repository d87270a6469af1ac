"""The check-in service with a moved clock: the window, the steps, late, edits, the cell view,
exemptions, invitations, erasure and the year-end DOCX."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import checkin_jobs, notices
from bot.errors import Expired, InvalidInput, NotAllowed
from bot.services import (
    checkin_cell,
    checkin_months,
    checkin_rules,
    checkin_windows,
    checkins,
    erasure,
    yearend,
)
from bot.services.checkin_windows import Rules
from db.models import AuditEntry, Checkin, Member, OutboxMessage, Rating, ReminderRule
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.services.test_pledges import ACTION, MEASURE, write_pledge

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SECOND = ("Không để hồ sơ của dân quá hạn ngày nào", "Không hồ sơ nào quá hạn trong tháng")
NOV_25 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
# As the handler calls it: with the real notice.
comment = partial(checkin_cell.comment, notify=notices.checkin_commented)


async def ready_member(session: AsyncSession, clock: FakeClock, member: Member) -> None:
    await write_pledge(session, clock, member, [(ACTION, MEASURE), SECOND])
    clock.set(NOV_25)


async def fill(session: AsyncSession, clock: FakeClock, member: Member) -> checkins.CheckinStep:
    """Answer both items (Tốt without words; Chưa đạt with both texts) and the note."""
    await checkins.start(session, clock, member, TZ, "2026-11")
    await checkins.rate(session, clock, member, TZ, "2026-11", 1, Rating.GOOD)
    await checkins.write(session, clock, member, TZ, None)  # done: optional for Tốt
    await checkins.write(session, clock, member, TZ, None)  # fix: optional
    await checkins.rate(session, clock, member, TZ, "2026-11", 2, Rating.NOT_DONE)
    await checkins.write(session, clock, member, TZ, "Còn 2 hồ sơ trễ vì thiếu giấy tờ")
    await checkins.write(session, clock, member, TZ, "Gọi điện nhắc dân bổ sung sớm")
    return await checkins.write(session, clock, member, TZ, "Tháng bận họp tổ dân phố")


def test_the_window_opens_on_the_25th_and_closes_the_day_before_the_meeting() -> None:
    default = Rules(25, 5)
    assert checkin_windows.window("2026-11", default) == checkin_windows.Window(
        "2026-11", date(2026, 11, 25), date(2026, 12, 4)
    )
    assert checkin_windows.window("2026-12", default).deadline == date(2027, 1, 4)
    assert checkin_windows.window("2027-01", Rules(25, 1)).deadline == date(2027, 1, 31)
    assert checkin_windows.window("2027-01", Rules(20, 1)).opens == date(2027, 1, 20)
    assert checkin_windows.current_month(date(2026, 12, 3), default) == "2026-11"
    assert checkin_windows.current_month(date(2026, 12, 25), default) == "2026-12"
    assert checkin_windows.current_month(date(2027, 1, 2), default) == "2026-12"
    assert checkin_windows.from_code(202611) == "2026-11"
    with pytest.raises(Expired):
        checkin_windows.from_code(202613)


async def test_a_member_who_joined_after_the_deadline_waits_for_the_next_window(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await write_pledge(session, clock, cast.an, [(ACTION, MEASURE)])
    state = await checkins.open_checkin(session, clock, cast.an, TZ)  # 23/11: October is over
    assert isinstance(state, checkins.NotOpen) and state.window.month == "2026-11"
    clock.set(NOV_25)
    state = await checkins.open_checkin(session, clock, cast.an, TZ)
    assert isinstance(state, checkins.Ready)
    assert (state.month, state.items, state.late) == ("2026-11", (ACTION,), False)


async def test_each_step_is_kept_and_a_checkin_before_the_deadline_is_on_time(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await ready_member(session, clock, cast.an)
    await checkins.start(session, clock, cast.an, TZ, "2026-11")
    step = await checkins.rate(session, clock, cast.an, TZ, "2026-11", 1, Rating.DONE)
    assert (step.step, step.position) == ("done", 1)
    with pytest.raises(Expired):  # "what I did" is required for Đạt
        await checkins.write(session, clock, cast.an, TZ, None, month="2026-11")
    await checkins.write(session, clock, cast.an, TZ, "Đọc xong Di chúc, ghi 1 trang")

    # Another session (as after a restart) continues at the same step with the same words.
    async with sessionmaker() as fresh:
        member = await fresh.get(Member, cast.an.id)
        assert member is not None
        state = await checkins.open_checkin(fresh, clock, member, TZ)
    assert isinstance(state, checkins.CheckinStep)
    assert (state.step, state.position) == ("fix", 1)
    assert state.answers[0].done == "Đọc xong Di chúc, ghi 1 trang"

    await checkins.write(session, clock, cast.an, TZ, None)
    step = await checkins.rate(session, clock, cast.an, TZ, "2026-11", 2, Rating.NOT_DONE)
    await checkins.write(session, clock, cast.an, TZ, "Còn trễ 1 hồ sơ")
    with pytest.raises(Expired):  # "I will fix" is required for Chưa đạt
        await checkins.write(session, clock, cast.an, TZ, None)
    step = await checkins.write(session, clock, cast.an, TZ, "Nhắc dân từ đầu tuần")
    assert step.step == "note"
    step = await checkins.write(session, clock, cast.an, TZ, None)
    assert step.step == "review" and not step.late
    done = await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    assert not done.late and done.can_edit
    assert [a.rating for a in done.answers] == [Rating.DONE, Rating.NOT_DONE]
    assert done.answers[1].fix == "Nhắc dân từ đầu tuần"


async def test_late_checkin_is_marked_late(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await ready_member(session, clock, cast.an)
    clock.set(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))  # the deadline was the 4th
    state = await checkins.open_checkin(session, clock, cast.an, TZ)
    assert isinstance(state, checkins.Ready) and state.late
    step = await fill(session, clock, cast.an)
    assert step.late
    done = await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    assert done.late and not done.can_edit


async def test_a_submitted_checkin_is_edited_until_the_deadline_and_not_after(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await ready_member(session, clock, cast.an)
    await fill(session, clock, cast.an)
    await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    step = await checkins.start(session, clock, cast.an, TZ, "2026-11")
    assert step.step == "review" and step.resubmit
    await checkins.edit(session, clock, cast.an, TZ, "2026-11", 1)
    await checkins.rate(session, clock, cast.an, TZ, "2026-11", 1, Rating.DONE)
    await checkins.write(session, clock, cast.an, TZ, "Đọc thêm 2 bài")
    step = await checkins.write(session, clock, cast.an, TZ, None, keep=False)
    assert step.step == "review"  # an edited item goes back to the review
    edited = await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    assert edited.answers[0].rating is Rating.DONE and not edited.late

    await checkins.start(session, clock, cast.an, TZ, "2026-11")  # an edit left open…
    clock.set(datetime(2026, 12, 4, 18, 0, tzinfo=UTC))  # …past the deadline (01:00 on the 5th)
    with pytest.raises(Expired) as error:
        await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    assert error.value.kind == "deadline"
    with pytest.raises(Expired):
        await checkins.start(session, clock, cast.an, TZ, "2026-11")
    saved = await session.scalar(select(Checkin).where(Checkin.member_id == cast.an.id))
    assert saved is not None and saved.answers[0].done == "Đọc thêm 2 bài"
    refused = list(
        await session.scalars(select(AuditEntry.action).where(AuditEntry.outcome == "refused"))
    )
    assert refused == ["checkin.after_deadline", "checkin.stale"]


async def test_another_months_button_is_refused_and_audited(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await ready_member(session, clock, cast.an)
    await checkins.start(session, clock, cast.an, TZ, "2026-11")
    with pytest.raises(Expired):
        await checkins.rate(session, clock, cast.an, TZ, "2026-10", 1, Rating.GOOD)
    with pytest.raises(Expired):  # item 2 is not the step the member is on
        await checkins.rate(session, clock, cast.an, TZ, "2026-11", 2, Rating.GOOD)
    entries = list(
        await session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused"))
    )
    assert [(e.action, e.detail["month"]) for e in entries] == [
        ("checkin.stale", "2026-10"),
        ("checkin.stale", "2026-11"),
    ]


async def test_a_text_over_2000_characters_is_refused_and_the_draft_kept(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await ready_member(session, clock, cast.an)
    await checkins.start(session, clock, cast.an, TZ, "2026-11")
    await checkins.rate(session, clock, cast.an, TZ, "2026-11", 1, Rating.DONE)
    for text, reason in [("x" * 2001, "long"), ("\u200b tab\x1b", "control"), ("  ", "empty")]:
        with pytest.raises(InvalidInput) as error:
            await checkins.write(session, clock, cast.an, TZ, text)
        assert error.value.reason == reason
    state = await checkins.open_checkin(session, clock, cast.an, TZ)
    assert isinstance(state, checkins.CheckinStep) and state.step == "done"
    assert state.answers[0].rating is Rating.DONE
    step = await checkins.write(session, clock, cast.an, TZ, "x" * 2000)
    assert step.answers[0].done == "x" * 2000


async def test_exempt_members_and_skipped_months_are_not_asked_invited_or_late(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await ready_member(session, clock, cast.an)
    await write_pledge(session, clock, cast.binh, [(ACTION, MEASURE)])
    await checkin_rules.exempt(
        session, clock, cast.chi_thu, cast.chi_bo_1.id, cast.binh.id, 3, "Ốm dài ngày", TZ
    )
    state = await checkins.open_checkin(session, clock, cast.binh, TZ)
    assert state == checkin_windows.NotAsked("2026-11", "exempt", "Ốm dài ngày")
    invited = {i.member_id for i in await checkin_jobs.due_checkin_invitations(session, clock, TZ)}
    assert cast.an.id in invited and cast.binh.id not in invited
    assert cast.cuong.id in invited  # another cell, same default window

    clock.set(datetime(2026, 12, 6, 2, 0, tzinfo=UTC))
    month = await checkin_cell.cell_month(
        session, clock, cast.chi_thu, cast.chi_bo_1.id, "2026-11", TZ
    )
    statuses = {row.name: row.status for row in month.rows}
    assert statuses == {
        "Lê Thị Bình": "exempt",
        "Nguyễn Văn An": "missing",
        "Trần Thị Thư": "missing",
    }

    clock.set(datetime(2026, 12, 26, 2, 0, tzinfo=UTC))  # December's window is open
    assert await checkin_rules.toggle_skip(
        session, clock, cast.chi_thu, cast.chi_bo_1.id, "2026-12", TZ
    )
    state = await checkins.open_checkin(session, clock, cast.an, TZ)
    assert state == checkin_windows.NotAsked("2026-12", "skipped", None)
    invited = {i.member_id for i in await checkin_jobs.due_checkin_invitations(session, clock, TZ)}
    assert invited == {cast.cuong.id, cast.dung.id}
    with pytest.raises(Expired):  # a past month is history, not a plan
        await checkin_rules.toggle_skip(
            session, clock, cast.chi_thu, cast.chi_bo_1.id, "2026-10", TZ
        )
    assert await checkin_jobs.enqueue_checkin_invitations(sessionmaker, clock, TZ) == 2
    assert await checkin_jobs.enqueue_checkin_invitations(sessionmaker, clock, TZ) == 0


async def test_invitations_wait_for_quiet_hours_and_skip_paused_blocked_and_done(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # The committee sends invitations from midnight (its cells inherit it; the default is 08:00).
    session.add(
        ReminderRule(
            unit_id=cast.dang_bo.id,
            kind="checkin_open",
            enabled=True,
            at=time(0, 0),
            days_before=0,
            updated_at=clock.now(),
        )
    )
    await session.commit()
    clock.set(datetime(2026, 11, 24, 16, 0, tzinfo=UTC))  # 23:00 on the 24th: not yet open
    assert await checkin_jobs.due_checkin_invitations(session, clock, TZ) == []
    clock.set(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))  # 00:30 on the 25th, quiet hours
    due = {i.member_id: i for i in await checkin_jobs.due_checkin_invitations(session, clock, TZ)}
    assert due[cast.an.id].due_at == datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # 06:30
    assert due[cast.an.id].key == f"checkin-open:{cast.an.id}:2026-11"

    binh = await session.get(Member, cast.binh.id)
    assert binh is not None
    binh.paused_until = datetime(2026, 12, 1, tzinfo=UTC)
    from db.models import ChannelIdentity

    identity = await session.scalar(
        select(ChannelIdentity).where(ChannelIdentity.member_id == cast.cuong.id)
    )
    assert identity is not None
    identity.blocked_at = clock.now()
    await session.commit()
    await ready_member(session, clock, cast.an)
    await fill(session, clock, cast.an)
    await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    invited = {i.member_id for i in await checkin_jobs.due_checkin_invitations(session, clock, TZ)}
    assert invited == {cast.chi_thu.id, cast.dung.id}
    assert await checkin_jobs.enqueue_checkin_invitations(sessionmaker, clock, TZ) == 2
    row = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.key == f"checkin-open:{cast.dung.id}:2026-11")
    )
    assert row is not None and "04/12/2026" in row.payload["text"]


async def test_the_secretary_sees_the_month_and_comments_without_changing_the_words(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await ready_member(session, clock, cast.an)
    await fill(session, clock, cast.an)
    done = await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    month = await checkin_cell.cell_month(
        session, clock, cast.chi_thu, cast.chi_bo_1.id, "2026-11", TZ
    )
    an = next(r for r in month.rows if r.member_id == cast.an.id)
    assert (an.status, an.ratings) == ("on_time", (Rating.GOOD, Rating.NOT_DONE))
    assert month.count("waiting") == 2
    seen = await checkin_months.view(session, clock, cast.chi_thu, TZ, done.checkin_id)
    assert not seen.mine and not seen.can_edit
    commented = await comment(
        session, clock, cast.chi_thu, done.checkin_id, "Cố gắng giải quyết dứt điểm", TZ
    )
    assert commented.comment == "Cố gắng giải quyết dứt điểm"
    assert commented.answers == done.answers
    own = await checkin_months.view(session, clock, cast.an, TZ, done.checkin_id)
    assert own.mine and own.comment == "Cố gắng giải quyết dứt điểm"
    keys = list(await session.scalars(select(OutboxMessage.key)))
    assert any(k.startswith(f"checkin-comment:{done.checkin_id}:") for k in keys)

    for intruder in (cast.dung, cast.binh):  # another cell's secretary; another member
        with pytest.raises(NotAllowed):
            await checkin_months.view(session, clock, intruder, TZ, done.checkin_id)
        with pytest.raises(NotAllowed):
            await comment(session, clock, intruder, done.checkin_id, "Xem trộm", TZ)
    with pytest.raises(NotAllowed):
        await checkin_cell.cell_month(session, clock, cast.dung, cast.chi_bo_1.id, "2026-11", TZ)


async def test_meeting_day_must_exist_in_every_month_and_not_overlap_the_next_window(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    unit = cast.chi_bo_1.id
    assert checkin_rules.parse_day("ngày 10") == 10
    for kwargs, reason in [
        ({"meeting_day": 31}, checkin_rules.DAY_RANGE),
        ({"meeting_day": 0}, checkin_rules.DAY_RANGE),
        ({"open_day": 10}, checkin_rules.DAY_RANGE),
        ({"meeting_day": 26}, checkin_rules.OVERLAP),
    ]:
        with pytest.raises(InvalidInput) as error:
            await checkin_rules.set_days(session, clock, cast.chi_thu, unit, **kwargs)
        assert error.value.reason == reason
    rules = await checkin_rules.set_days(session, clock, cast.chi_thu, unit, meeting_day=10)
    assert rules == Rules(25, 10)
    assert checkin_windows.window("2027-01", rules).deadline == date(2027, 2, 9)
    with pytest.raises(NotAllowed):
        await checkin_rules.set_days(session, clock, cast.dung, unit, meeting_day=3)


async def test_erasing_keeps_the_cells_counts_and_removes_the_members_words(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await ready_member(session, clock, cast.an)
    await fill(session, clock, cast.an)
    done = await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    await comment(session, clock, cast.chi_thu, done.checkin_id, "Tốt lắm", TZ)
    assert (await erasure.erase_my_data(session, clock, cast.an)).rows == 2
    month = await checkin_cell.cell_month(
        session, clock, cast.chi_thu, cast.chi_bo_1.id, "2026-11", TZ
    )
    an = next(r for r in month.rows if r.member_id == cast.an.id)
    assert (an.status, an.erased, an.ratings) == ("on_time", True, (None, None))
    seen = await checkin_months.view(session, clock, cast.an, TZ, done.checkin_id)
    assert seen.erased and seen.note is None and seen.comment is None
    assert {a.item for a in seen.answers} == {erasure.ERASED}
    assert all(a.done is None and a.fix is None for a in seen.answers)
    summary = await yearend.year_summary(session, cast.an, 2026)
    assert summary.pledge == ()
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "member.erase"))
    assert entry is not None and entry.detail == {"checkins": 1, "pledges": 1}


async def test_the_year_end_docx_holds_the_members_own_words_and_invents_nothing(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await ready_member(session, clock, cast.an)
    await fill(session, clock, cast.an)
    await checkins.submit(session, clock, cast.an, TZ, "2026-11")
    summary = await yearend.year_summary(session, cast.an, 2026)
    document = Document(io.BytesIO(yearend.build_docx(summary)))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert "Nguyễn Văn An" in paragraphs and "Chi bộ 1" in paragraphs
    assert f"{ACTION} — Cách đo: {MEASURE}" in paragraphs
    assert "Còn 2 hồ sơ trễ vì thiếu giấy tờ" in cells
    assert "Chưa đạt" in cells and "Tốt" in cells
    assert "Số tháng đã tự soi: 1/12; trong đó gửi muộn: 0." in paragraphs
    assert "Gọi điện nhắc dân bổ sung sớm" in paragraphs  # what remains to fix
    assert "Ghi chú tháng 11/2026: Tháng bận họp tổ dân phố" in paragraphs
    empty = await yearend.year_summary(session, cast.binh, 2026)
    assert empty.empty
