"""A secretary sends a question bank as a file; the bot reports it and publishes on a press."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.screens.quiz_import import DiscardBank, PublishBank
from bot.services import quiz_banks
from bot.texts import common
from bot.texts import quiz_import as t
from db.models import AuditEntry, BankStatus, QuizBank, QuizBankQuestion, Role
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import Pilot, PilotFactory, plain

HEADER = ["Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Phương án D", "Đáp án"]


def xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_AND_BAD = xlsx(
    [
        HEADER,
        ["Chỉ thị 05-CT/TW ban hành năm nào?", "2015", "2016", "2017", "2018", "B"],
        ["Câu thứ hai?", "a1", "a2", "a3", "a4", "G"],
        ["Câu thứ ba?", "Có", "Không", "", "", "a"],
    ]
)


async def upload(app: App, server: BotApiServer, user_id: int, data: bytes, name: str) -> None:
    update = await server.user_sends_document(user_id, data, name)
    await app.handle(update)


def alerts(server: BotApiServer) -> list[str]:
    return [c.params.get("text", "") for c in server.calls_to("answerCallbackQuery")]


async def statuses(session: AsyncSession) -> list[BankStatus]:
    return list(await session.scalars(select(QuizBank.status).order_by(QuizBank.id)))


async def test_a_secretary_imports_a_file_sees_each_bad_row_and_publishes(
    app: App, server: BotApiServer, session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("/start")
    await upload(app, server, 101, GOOD_AND_BAD, "bo-cau-hoi.xlsx")
    text = plain(thu.text())
    assert "Tệp «bo-cau-hoi.xlsx»: 2 câu hỏi hợp lệ, 1 dòng có lỗi:" in text
    assert "Dòng 3: đáp án «G» không có: câu này có 4 phương án (A–D)." in text
    assert "chưa được đối chiếu" in text  # never shown as verified content
    assert thu.buttons() == [t.PUBLISH, t.DISCARD]
    assert await statuses(session) == [BankStatus.DRAFT]
    assert await quiz_banks.published_banks(session, cast.chi_bo_1.id) == []
    await thu.press(t.PUBLISH)
    assert plain(thu.text()) == "Đã công bố «bo cau hoi» (2 câu) cho Chi bộ 1."
    assert await statuses(session) == [BankStatus.PUBLISHED]
    [bank] = await quiz_banks.published_banks(session, cast.chi_bo_1.id)
    assert [q.correct for q in bank.questions] == [2, 1]
    assert bank.id is not None
    await thu.forge(PublishBank(bank.id).pack())  # pressed again (the old button): no change
    assert alerts(server)[-1] == t.not_a_draft("published")


async def test_a_member_who_is_not_a_secretary_is_politely_refused(
    app: App, server: BotApiServer, session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await an.send("/start")
    await upload(app, server, 102, GOOD_AND_BAD, "bo.xlsx")
    assert an.text() == t.not_importer()
    assert await statuses(session) == []


async def test_another_cells_secretary_and_forged_buttons_change_nothing(
    app: App, server: BotApiServer, session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu, dung = pilot_for(101), pilot_for(105)
    await thu.send("/start")
    await upload(app, server, 101, GOOD_AND_BAD, "bo.xlsx")
    bank_id = await session.scalar(select(QuizBank.id))
    assert bank_id is not None
    await dung.send("/start")
    await dung.forge(PublishBank(bank_id).pack())
    await dung.forge(DiscardBank(bank_id).pack())
    assert alerts(server)[-2:] == [common.not_allowed(), common.not_allowed()]
    for data in (f"v1|qbpub|{bank_id}x", "v1|qbpub", "v1|qbdel|1|2"):
        await dung.forge(data)
        assert alerts(server)[-1] == common.button_expired()
    assert await statuses(session) == [BankStatus.DRAFT]
    refused = await session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused"))
    reasons = [e.detail.get("reason") for e in refused]
    assert reasons.count("may not manage this bank") == 2


async def test_discarding_a_draft_removes_it_and_a_stale_publish_finds_nothing(
    app: App, server: BotApiServer, session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("/start")
    await upload(app, server, 101, GOOD_AND_BAD, "bo.xlsx")
    bank_id = await session.scalar(select(QuizBank.id))
    assert bank_id is not None
    await thu.press(t.DISCARD)
    assert plain(thu.text()) == "Đã hủy bản nháp «bo». Không có câu hỏi nào được nhập."
    await thu.forge(PublishBank(bank_id).pack())  # a stale button of the discarded draft
    assert alerts(server)[-1] == common.not_found()
    assert await statuses(session) == []
    assert await session.scalar(select(func.count()).select_from(QuizBankQuestion)) == 0


async def test_a_renamed_pdf_is_refused_with_a_clear_message(
    app: App, server: BotApiServer, session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("/start")
    await upload(app, server, 101, b"%PDF-1.7\n1 0 obj\n", "bo.xlsx")
    assert plain(thu.text()).startswith(
        "Không nhập được «bo.xlsx»: «bo.xlsx» là tệp PDF được đổi tên"
    )
    assert await statuses(session) == []


async def test_a_long_report_is_cut_to_twenty_rows_and_fits_a_message(
    app: App, server: BotApiServer, session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    rows = [HEADER, ["Câu đúng?", "a", "b", "", "", "A"]]
    rows += [[f"Câu số {n}? " + "x" * 200, "a", "b", "", "", "Z"] for n in range(60)]
    thu = pilot_for(101)
    await thu.send("/start")
    await upload(app, server, 101, xlsx(rows), "dai.xlsx")
    texts = [plain(m["text"]) for m in thu.bot_messages()[-2:]]
    assert all(len(x) <= 4096 for x in texts)
    report = "\n".join(texts)
    assert report.count("Dòng ") == 20 and "… và 40 lỗi khác." in report
    assert thu.buttons() == [t.PUBLISH, t.DISCARD]


async def test_nothing_is_stored_when_no_row_is_good(
    app: App, server: BotApiServer, session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("/start")
    data = "Câu hỏi;A;B;Đáp án\nMột?;x;y;G\n".encode("utf-8-sig")
    await upload(app, server, 101, data, "bo.csv")
    assert "Dòng 2: đáp án «G» không có" in plain(thu.text())
    assert t.nothing_imported() in plain(thu.text())
    assert t.PUBLISH not in thu.buttons()
    assert await statuses(session) == []


async def test_the_cell_menu_explains_the_import_and_sends_the_template(
    server: BotApiServer, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu: Pilot = pilot_for(101)
    await thu.send("/start")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_IMPORT)
    assert "Nhập bộ câu hỏi cho Chi bộ 1" in plain(thu.text())
    await thu.press(t.TEMPLATE_XLSX)
    [sent] = server.calls_to("sendDocument")
    assert sent.params["document"]["filename"] == "quiz-bank.xlsx"
    assert sent.params["document"]["size"] > 4000


async def test_a_committee_admin_finds_the_import_in_the_main_menu(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    await factories.member(
        session, clock, cast.dang_bo, "Hoàng Văn Em", role=Role.COMMITTEE_ADMIN, user_id=900
    )
    em: Pilot = pilot_for(900)
    await em.send("/start")
    await em.press(t.MENU_IMPORT)
    assert "Đảng bộ phường 1" in plain(em.text())
    assert common.MENU_CELL not in em.buttons()  # a committee has no cell menu to go back to
    assert t.TEMPLATE_CSV in em.buttons()
