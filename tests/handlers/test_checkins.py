"""The check-in through the bot: every step, the review, edits, history, the DOCX, /xoadulieu,
the secretary's view and rules, and every refusal."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from bot.screens.checkins import CellMonthView, Rate, StartCheckin, ViewCheckin
from bot.services import pledge_reviews
from bot.texts import checkins as t
from bot.texts import common
from db.models import AuditEntry, Checkin, Draft, Member
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import Pilot, PilotFactory, plain
from tests.services.test_checkins import NOV_25, SECOND
from tests.services.test_pledges import ACTION, MEASURE, write_pledge

DONE_2 = "Còn 2 hồ sơ trễ vì thiếu giấy tờ"
FIX_2 = "Gọi điện nhắc dân bổ sung sớm"


async def pledged(session: AsyncSession, clock: FakeClock, member: Member) -> None:
    await write_pledge(session, clock, member, [(ACTION, MEASURE), SECOND])
    clock.set(NOV_25)


async def answer_all(an: Pilot) -> None:
    """Item 1 Tốt without words, item 2 Chưa đạt with both texts, no note: the review."""
    await an.send("tu soi")
    await an.press(t.START)
    await an.send("tot")  # typed, without diacritics
    await an.press(t.SKIP)
    await an.press(t.SKIP)
    await an.press("Chưa đạt")
    assert t.SKIP not in an.buttons()  # "what I did" is required for Chưa đạt
    await an.send(DONE_2)
    assert t.SKIP not in an.buttons()
    await an.send(FIX_2)
    await an.press(t.SKIP)  # the overall note


async def checkin_row(session: AsyncSession, member_id: int) -> Checkin | None:
    await session.commit()
    return await session.scalar(
        select(Checkin)
        .where(Checkin.member_id == member_id)
        .execution_options(populate_existing=True)
    )


async def test_a_member_goes_through_every_step_reviews_edits_and_sends(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    await pledged(session, clock, cast.an)
    an = pilot_for(102)
    await an.send("menu")
    await an.press(t.MENU_CHECKIN)
    assert "Tự soi, tự sửa tháng 11/2026" in an.text() and "04/12/2026" in an.text()
    await an.press(t.START)
    assert "mục 1/2" in an.text() and an.buttons() == ["Tốt", "Đạt", "Chưa đạt", t.CANCEL]
    await an.press("Đạt")
    assert "Tháng này tôi đã làm gì?" in an.text() and t.SKIP not in an.buttons()
    await an.send("Đọc xong Di chúc")
    assert "Tôi sẽ sửa / làm tiếp" in an.text() and t.SKIP in an.buttons()
    await an.press(t.SKIP)
    await an.press("Chưa đạt")
    await an.send(DONE_2)
    await an.send(FIX_2)
    await an.send("Tháng này bận họp tổ dân phố")
    assert "Xem lại tự soi tháng 11/2026" in an.text()
    assert "Đọc xong Di chúc" in an.text() and FIX_2 in an.text()
    assert an.buttons() == [t.EDIT_ITEM, t.SEND, t.CANCEL]
    await an.press(t.EDIT_ITEM)
    await an.press(t.item_label(1))
    await an.press("Tốt")
    assert "Hiện ghi: «Đọc xong Di chúc»" in an.text()
    await an.press(t.KEEP)
    await an.press(t.SKIP)
    assert "Xem lại" in an.text()  # an edited item goes back to the review
    await an.press(t.SEND)
    assert plain(t.submitted("2026-11", False)) in an.text()
    saved = await checkin_row(session, cast.an.id)
    assert saved is not None and not saved.late
    assert [(a.rating, a.done) for a in saved.answers] == [
        ("tot", "Đọc xong Di chúc"),
        ("chua_dat", DONE_2),
    ]
    assert saved.note == "Tháng này bận họp tổ dân phố"

    clock.move(minutes=1)  # past the flood limit of 20 updates a minute
    await an.press(t.EDIT)  # before the deadline a submitted one can be changed
    await an.press(t.EDIT_ITEM)
    await an.press(t.NOTE_LABEL)
    await an.send("Đã họp xong tổ dân phố")
    await an.press(t.SEND)
    saved = await checkin_row(session, cast.an.id)
    assert saved is not None and saved.note == "Đã họp xong tổ dân phố"


async def test_a_stopped_checkin_continues_at_its_step_and_huy_asks_first(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    await pledged(session, clock, cast.an)
    an = pilot_for(102)
    await an.send("/tusoi")
    await an.press(t.START)
    await an.press("Đạt")
    await an.send("x" * 2001)
    assert an.text().startswith(plain(t.problem("long", 2001)))
    assert "Tháng này tôi đã làm gì?" in an.text()
    await an.send("Đọc xong hai bài")
    await an.send("menu")
    clock.move(days=1)  # tomorrow
    await an.send("Tu soi tu sua")
    assert "Tôi sẽ sửa / làm tiếp" in an.text() and "mục 1/2" in an.text()
    await an.press(t.CANCEL)
    assert an.text() == plain(t.confirm_cancel(False))
    await an.press(t.CANCEL_NO)
    assert "Tôi sẽ sửa / làm tiếp" in an.text()
    await an.press(t.CANCEL)
    await an.press(t.CANCEL_YES)
    assert plain(t.cancelled()) in an.text()
    await session.commit()
    assert await session.scalar(select(Draft.id).where(Draft.kind == "checkin")) is None


async def test_a_late_checkin_is_taken_and_a_stale_review_after_the_deadline_is_refused(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    await pledged(session, clock, cast.an)
    an = pilot_for(102)
    await answer_all(an)
    await an.press(t.SEND)
    await an.press(t.EDIT)
    clock.set(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))
    await an.press(t.SEND)  # the review screen from before the deadline
    assert plain(t.after_deadline("2026-11")) in an.text()
    refused = await session.scalar(
        select(AuditEntry.action).where(AuditEntry.action == "checkin.after_deadline")
    )
    assert refused == "checkin.after_deadline"

    await write_pledge(session, clock, cast.binh, [(ACTION, MEASURE)])
    binh = pilot_for(103)
    await binh.send("tu soi")
    assert "Đã qua hạn" in binh.text()
    await binh.press(t.START)
    await binh.press("Tốt")
    await binh.press(t.SKIP)
    await binh.press(t.SKIP)
    await binh.press(t.SKIP)
    assert "gửi muộn" in binh.text()
    await binh.press(t.SEND)
    assert plain(t.submitted("2026-11", True)) in binh.text()
    saved = await checkin_row(session, cast.binh.id)
    assert saved is not None and saved.late


async def test_forged_and_stale_checkin_buttons_are_refused_and_audited(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    await pledged(session, clock, cast.an)
    an = pilot_for(102)
    await answer_all(an)
    await an.press(t.SEND)
    saved = await checkin_row(session, cast.an.id)
    assert saved is not None
    await an.forge(Rate(202610, 1, "tot").pack())  # another month's rating
    await an.forge(StartCheckin(202601).pack())
    binh = pilot_for(103)
    await binh.send("menu")
    await binh.forge(ViewCheckin(saved.id).pack())  # another member's check-in
    dung = pilot_for(105)
    await dung.send("menu")
    await dung.forge(ViewCheckin(saved.id).pack())  # the secretary of another cell
    await dung.forge(CellMonthView(cast.chi_bo_1.id, 202611).pack())
    answers = [a.text for a in an.server.callback_answers()][-5:]
    assert answers == [plain(t.stale())] * 2 + [common.not_allowed()] * 3
    refused = list(
        await session.scalars(select(AuditEntry.action).where(AuditEntry.outcome == "refused"))
    )
    assert refused == ["checkin.stale", "checkin.stale", "refused", "refused", "refused"]


async def test_history_and_the_year_end_docx_with_the_members_own_words(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    pilot_for: PilotFactory,
    server: BotApiServer,
) -> None:
    await pledged(session, clock, cast.an)
    an = pilot_for(102)
    await answer_all(an)
    await an.press(t.SEND)
    await an.press(t.HISTORY)
    assert "Tháng 11/2026: 🟢 🔴" in an.text()
    await an.press(t.month_button("2026-11"))
    assert DONE_2 in an.text()
    await an.press(t.HISTORY)
    await an.press(t.YEAR_DOCX)
    sent = server.calls_to("sendDocument")
    assert len(sent) == 1
    message = an.bot_messages()[-1]
    assert message["caption"] == plain(t.docx_sent(2026))
    stored = server.world.files[message["document"]["file_id"]]
    assert stored.filename == "tu-soi-tu-sua-2026.docx"
    document = Document(io.BytesIO(stored.data))
    words = "\n".join(c.text for table in document.tables for r in table.rows for c in r.cells)
    assert DONE_2 in words and FIX_2 in words

    binh = pilot_for(103)
    await binh.send("tu soi")
    await binh.press(t.WRITE_PLEDGE)  # no pledge yet: the way to write one
    await binh.send("menu")
    await binh.press(t.MENU_CHECKIN)
    await binh.press(t.WRITE_PLEDGE)
    assert "Bản cam kết tu dưỡng" in binh.text()


async def test_xoadulieu_asks_then_erases_the_members_words_only(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    await pledged(session, clock, cast.an)
    an = pilot_for(102)
    await answer_all(an)
    await an.press(t.SEND)
    await an.send("/xoadulieu")
    assert an.text() == plain(t.confirm_erase())
    await an.press(t.ERASE_NO)
    assert plain(t.erase_kept()) in an.text()
    await an.send("xoa du lieu")
    await an.press(t.ERASE_YES)
    assert plain(t.erased()) in an.text()
    saved = await checkin_row(session, cast.an.id)
    assert saved is not None and saved.erased_at is not None
    assert [(a.item, a.rating, a.done) for a in saved.answers] == [("đã xóa", None, None)] * 2
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_CELL_CHECKINS)
    await thu.press(t.month_overview_label("2026-11"))
    # The name was not the secretary's (no invite): it goes with the member's words.
    assert "✅ (đã xóa tên) — đã gửi · đã xóa" in thu.text()
    assert "Nguyễn Văn An" not in thu.buttons()


async def test_the_secretary_sees_the_month_comments_and_sets_the_rules(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    await pledged(session, clock, cast.an)
    await answer_all(pilot_for(102))
    await pilot_for(102).press(t.SEND)
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_CELL_CHECKINS)
    assert "Họp chi bộ: ngày 5" in thu.text()
    await thu.press(t.month_overview_label("2026-11"))
    assert "Đã gửi: 1 · muộn: 0 · chưa gửi: 2 · quá hạn: 0" in thu.text()
    assert "✅ Nguyễn Văn An — đã gửi · 🟢 🔴" in thu.text()
    await thu.press("Nguyễn Văn An")
    assert DONE_2 in thu.text()
    await thu.press(t.COMMENT)
    await thu.send("Cần dứt điểm hồ sơ trễ")
    assert plain(t.commented()) in thu.text() and "Cần dứt điểm hồ sơ trễ" in thu.text()
    an = pilot_for(102)
    await an.send("tu soi")
    assert "Nhận xét của bí thư: «Cần dứt điểm hồ sơ trễ»" in an.text()

    clock.move(minutes=1)  # past the flood limit of 20 updates a minute
    await thu.press(t.MONTH_OVERVIEW)
    await thu.press(t.BACK_CELL)
    await thu.press(t.MEETING_DAY)
    await thu.send("31")
    assert thu.text() == plain(t.day_problem("day range", "meeting"))
    await thu.send("ngày 10")
    assert plain(t.days_set(25, 10)) in thu.text()
    await thu.press(t.skip_label("2026-11", False))
    assert plain(t.skip_set("2026-11", True)) in thu.text()
    await thu.press(t.skip_label("2026-11", True))
    clock.move(minutes=1)
    await thu.press(t.EXEMPTIONS)
    await thu.press(t.EXEMPT_ADD)
    await thu.press("Lê Thị Bình")
    await thu.press(t.months_label(3))
    await thu.send("Ốm dài ngày")
    assert plain(t.exempted("Lê Thị Bình", "2026-11", "2027-01")) in thu.text()
    await thu.press(t.EXEMPTIONS)
    assert "Lê Thị Bình: Ốm dài ngày" in thu.text()
    await thu.press(t.end_exemption_label("Lê Thị Bình"))
    assert "Chưa có đồng chí nào được miễn." in thu.text()
    await write_pledge(session, clock, cast.binh, [(ACTION, MEASURE)])
    binh = pilot_for(103)
    await binh.send("tu soi")
    assert t.START in binh.buttons()
    assert await pledge_reviews.pending(session, cast.chi_thu, cast.chi_bo_1.id)
