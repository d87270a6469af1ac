"""Reading question banks from .xlsx and .csv, and storing them as drafts, all or nothing."""

from __future__ import annotations

import io
import time
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotAllowed
from bot.quizbank import load_banks
from bot.services import quiz_banks, quiz_template
from bot.services.quiz_banks import BankQuestion
from bot.services.quiz_import import FileRejected, parse_bank
from db.models import BankStatus, QuizBank, QuizBankQuestion, Role
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "templates"
HEADER = ["Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Phương án D", "Đáp án"]
GOOD = ["Chỉ thị 05-CT/TW ban hành năm nào?", "2015", "2016", "2017", "2018", "B"]


def xlsx(rows: list[list[Any]], merged: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref in merged:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reasons(data: bytes, name: str = "bank.xlsx") -> dict[int, str]:
    return {p.row: p.reason for p in parse_bank(data, name).problems}


def rejected(data: bytes, name: str = "bank.xlsx") -> str:
    with pytest.raises(FileRejected) as caught:
        parse_bank(data, name)
    return caught.value.reason


def test_good_rows_are_read_with_their_answer_in_any_spelling() -> None:
    rows: list[list[Any]] = [HEADER]
    answers: list[Any] = ["b", " C ", "4", 1.0, "Đáp án B", "2016"]
    for answer in answers:
        rows.append([f"Câu hỏi về {answer!r}?", "2015", "2016", "2017", "2018", answer])
    parsed = parse_bank(xlsx(rows), "bank.xlsx")
    assert parsed.problems == ()
    assert [q.correct for q in parsed.questions] == [2, 3, 4, 1, 2, 2]
    assert parsed.questions[0].options == ("2015", "2016", "2017", "2018")


def test_headers_without_diacritics_or_in_english_are_recognised() -> None:
    for header in (
        ["cau hoi", "a", "b", "c", "dap an", "giai thich", "nguon"],
        ["Question", "Option A", "Option B", "Option C", "Correct", "Explanation", "Source"],
        ["  CÂU HỎI ", "Đáp án A", "Đáp án B", "Đáp án C", "Đáp án đúng", "Lời giải", "Nguồn"],
    ):
        row = ["Hỏi gì đây?", "Một", "Hai", "Ba", "c", "Vì thế", "Sách, tr. 3"]
        parsed = parse_bank(xlsx([header, row]), "x.xlsx")
        assert parsed.questions == (
            BankQuestion("Hỏi gì đây?", ("Một", "Hai", "Ba"), 3, "Vì thế", "Sách, tr. 3"),
        ), header


def test_a_correct_answer_g_with_four_options_names_the_row_and_the_letter() -> None:
    data = xlsx([HEADER, GOOD, ["Câu thứ hai?", "a1", "a2", "a3", "a4", "G"]])
    assert reasons(data) == {3: "đáp án «G» không có: câu này có 4 phương án (A–D)"}
    assert len(parse_bank(data, "bank.xlsx").questions) == 1


def test_bad_rows_each_say_why_and_empty_rows_are_skipped_silently() -> None:
    rows: list[list[Any]] = [
        ["Bộ câu hỏi của chi bộ"],  # a title above the header
        HEADER,
        GOOD,
        [None] * 6,
        ["", "x", "y", "", "", "A"],
        ["Chỉ có một phương án?", "x", "", "", "", "A"],
        ["Phương án bỏ cách?", "x", "y", "", "z", "A"],
        ["Trùng phương án?", "x", "X ", "", "", "A"],
        ["Không có đáp án?", "x", "y", "", "", ""],
        ["Hai đáp án?", "x", "y", "", "", "A, B"],
        ["chỉ thị 05-CT/TW ban hành năm nào", "x", "y", "", "", "A"],
        ["Q" * 700, "x", "y", "", "", "A"],
        ["Phương án quá dài?", "x" * 250, "y", "", "", "A"],
    ]
    problems = reasons(xlsx(rows))
    assert problems == {
        5: "thiếu nội dung câu hỏi",
        6: "cần ít nhất 2 phương án, mới có 1",
        7: "phương án C để trống nhưng có phương án D; các phương án phải liền nhau",
        8: "phương án B trùng phương án A",
        9: "thiếu đáp án (ghi một chữ A–F)",
        10: "không hiểu đáp án «A, B»; ghi một chữ A–F (một đáp án đúng)",
        11: "câu hỏi trùng với dòng 3",
        12: "câu hỏi dài 700 ký tự; tối đa 600",
        13: "phương án A dài 250 ký tự; tối đa 200",
    }


def test_merged_cells_make_a_clear_error_for_the_rows_involved() -> None:
    rows = [HEADER, GOOD, ["Câu gộp?", "x", "y", "", "", "A"], ["", "z", "w", "", "", "B"]]
    rows.append(["Câu sau?", "x", "y", "", "", "A"])
    parsed = parse_bank(xlsx(rows, merged=("A3:A4",)), "bank.xlsx")
    assert [(p.row, p.reason.split(";")[0]) for p in parsed.problems] == [
        (3, "có ô gộp A3:A4 (dòng 3–4)")
    ]
    assert [q.text for q in parsed.questions] == [GOOD[0], "Câu sau?"]


def test_a_merged_title_above_the_header_is_fine() -> None:
    data = xlsx([["Bộ câu hỏi tháng 5", None, None], HEADER, GOOD], merged=("A1:F1",))
    assert parse_bank(data, "bank.xlsx").problems == ()


def test_options_longer_than_a_poll_are_kept_and_counted_for_the_button_form() -> None:
    data = xlsx([HEADER, GOOD, ["Câu dài?", "x" * 150, "y", "", "", "A"]])
    parsed = parse_bank(data, "bank.xlsx")
    assert [q.fits_poll for q in parsed.questions] == [True, False]
    assert parsed.too_long_for_polls == 1


def test_ten_thousand_rows_are_refused_quickly() -> None:
    rows = [HEADER] + [[f"Câu hỏi số {n}?", "a", "b", "c", "d", "A"] for n in range(10_000)]
    data = xlsx(rows)
    started = time.perf_counter()
    reason = rejected(data)
    assert time.perf_counter() - started < 3  # it stops reading at row 1,002
    assert reason.startswith("Tệp có hơn 1.000 câu hỏi")


def test_a_thousand_questions_are_accepted() -> None:
    rows = [HEADER] + [[f"Câu hỏi số {n}?", "a", "b", "c", "d", "A"] for n in range(1000)]
    assert len(parse_bank(xlsx(rows), "bank.xlsx").questions) == 1000


@pytest.mark.parametrize(
    ("data", "name", "start"),
    [
        (b"", "bank.xlsx", "Tệp trống"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "bank.xlsx", "«bank.xlsx» là tệp PDF"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 600
            + "EncryptionInfo".encode("utf-16-le"),
            "bank.xlsx",
            "Tệp Excel đang được đặt mật khẩu",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "bank.xls", "Đây là tệp Excel 97"),
        (b"\x89PNG\r\n\x1a\n....", "bank.csv", "«bank.csv» không phải tệp Excel"),
        (b"PK\x03\x04 not really a zip", "bank.xlsx", "Không đọc được tệp Excel"),
        (b"x" * (5 * 1024 * 1024 + 1), "bank.csv", "Tệp quá lớn"),
        ("Câu hỏi,A,B,Đáp án\n".encode(), "bank.docx", "«bank.docx» không phải"),
        ("Tên,Tuổi\nAn,30\n".encode(), "bank.csv", "Không tìm thấy dòng tên cột"),
        ("Câu hỏi,Ghi chú\nHỏi?,x\n".encode(), "bank.csv", "Thiếu cột: Đáp án; Phương án A"),
        ("Câu hỏi,A,B,D,Đáp án\nHỏi?,x,y,z,A\n".encode(), "b.csv", "Có cột Phương án D nhưng"),
    ],
)
def test_files_that_cannot_be_used_are_refused_whole(data: bytes, name: str, start: str) -> None:
    assert rejected(data, name).startswith(start)


def test_a_word_document_renamed_xlsx_is_refused() -> None:
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert rejected(buffer.getvalue()).startswith("Tệp là một gói nén nhưng không phải bảng tính")


def test_csv_with_or_without_bom_with_commas_or_semicolons() -> None:
    text = 'Câu hỏi;Phương án A;Phương án B;Đáp án\n"Hỏi; có dấu chấm phẩy?";Một;Hai;b\n'
    for data in (text.encode(), text.encode("utf-8-sig"), text.replace(";", ",").encode()):
        parsed = parse_bank(data, "bank.csv")
        assert [(q.options, q.correct) for q in parsed.questions] == [(("Một", "Hai"), 2)]
    assert parse_bank(text.encode(), "bank.csv").questions[0].text == "Hỏi; có dấu chấm phẩy?"


def test_csv_row_numbers_are_the_ones_excel_shows() -> None:
    text = "Câu hỏi,A,B,Đáp án\nMột?,x,y,A\n,,,\nHai?,x,y,C\n"
    assert reasons(text.encode(), "bank.csv") == {
        4: "đáp án «C» không có: câu này có 2 phương án (A–B)"
    }


@pytest.mark.parametrize(
    "data",
    [
        # cp1258 writes tones as combining marks (NFD); these letters need no other mark.
        unicodedata.normalize("NFD", "Cau hoi,A,B,Dap an\nHỏi gì?,Mà,Hai,A\n").encode("cp1258"),
        "Cau hoi,A\nCafé,x\n".encode("latin-1"),
    ],
    ids=["cp1258", "latin-1"],
)
def test_csv_not_in_utf8_is_refused_with_how_to_save_it(data: bytes) -> None:
    assert rejected(data, "bank.csv").startswith("Tệp CSV không ở bảng mã UTF-8 (lỗi từ dòng 2)")


def test_one_options_column_with_one_option_a_line() -> None:
    data = xlsx([["Câu hỏi", "Các phương án", "Đáp án"], ["Hỏi?", "A. Một\nB. Hai\nC. Ba", "C"]])
    assert parse_bank(data, "b.xlsx").questions[0].options == ("Một", "Hai", "Ba")


def test_dates_and_numbers_read_as_excel_shows_them() -> None:
    data = xlsx([[*HEADER[:4], "Đáp án"], ["Ngày nào?", datetime(2016, 5, 15), 1945, 2.5, "A"]])
    assert parse_bank(data, "b.xlsx").questions[0].options == ("15/5/2016", "1945", "2.5")


def test_the_shipped_templates_are_what_the_builder_makes_and_import_cleanly() -> None:
    banks = load_banks()
    csv_file = (TEMPLATES / "quiz-bank.csv").read_bytes()
    assert csv_file == quiz_template.build_csv(banks)
    xlsx_file = (TEMPLATES / "quiz-bank.xlsx").read_bytes()
    built = parse_bank(quiz_template.build_xlsx(banks), "quiz-bank.xlsx")
    assert parse_bank(xlsx_file, "quiz-bank.xlsx") == built
    assert parse_bank(csv_file, "quiz-bank.csv") == built
    assert len(built.questions) == len(quiz_template.EXAMPLES) == 3
    for question_id, question in zip(quiz_template.EXAMPLES, built.questions, strict=True):
        real = banks.question(question_id)  # a real question of the content, not invented
        assert real is not None
        assert (question.text, question.options) == (real.question, real.options)
        assert question.correct == real.correct


# Storing and publishing.

QUESTIONS = (
    BankQuestion("Hỏi một?", ("x", "y"), 1, "", "Sổ tay, tr. 2"),
    BankQuestion("Hỏi hai?", ("x", "y", "z"), 3, "Vì thế.", ""),
)


async def test_a_draft_holds_every_good_question_and_is_not_playable_until_published(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    draft = await quiz_banks.create_draft(
        session,
        clock,
        unit_id=cast.chi_bo_1.id,
        actor=cast.chi_thu,
        file_name="ngan-hang_cau-hoi.xlsx",
        questions=QUESTIONS,
    )
    assert (draft.title, draft.status, draft.questions) == (
        "ngan hang cau hoi",
        BankStatus.DRAFT,
        2,
    )
    assert await quiz_banks.published_banks(session, cast.chi_bo_1.id) == []
    published = await quiz_banks.publish(session, clock, cast.chi_thu, draft.id)
    assert published.status is BankStatus.PUBLISHED and published.published_at == clock.now()
    [bank] = await quiz_banks.published_banks(session, cast.chi_bo_1.id)
    assert (bank.title, bank.questions) == ("ngan hang cau hoi", QUESTIONS)
    assert await quiz_banks.published_banks(session, cast.chi_bo_2.id) == []  # another cell


async def test_committee_banks_reach_its_cells_but_cell_banks_stay_in_the_cell(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    admin = await factories.member(
        session, clock, cast.dang_bo, "Đỗ Thị Giang", role=Role.COMMITTEE_ADMIN, user_id=901
    )
    kinds = {}
    for unit, actor in ((cast.dang_bo, admin), (cast.chi_bo_1, cast.chi_thu)):
        draft = await quiz_banks.create_draft(
            session, clock, unit_id=unit.id, actor=actor, file_name="b.csv", questions=QUESTIONS
        )
        await quiz_banks.publish(session, clock, actor, draft.id)
        kinds[draft.id] = unit.name
    cell = await quiz_banks.published_banks(session, cast.chi_bo_1.id)
    assert [kinds[b.id] for b in cell] == ["Chi bộ 1", "Đảng bộ phường 1"]
    assert [kinds[b.id] for b in await quiz_banks.published_banks(session, cast.chi_bo_2.id)] == [
        "Đảng bộ phường 1"
    ]
    assert len(await quiz_banks.published_banks(session, cast.dang_bo.id)) == 1


async def test_only_the_secretary_of_that_cell_or_its_committee_may_import_or_publish(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    with pytest.raises(NotAllowed):
        await quiz_banks.create_draft(
            session,
            clock,
            unit_id=cast.chi_bo_1.id,
            actor=cast.an,
            file_name="b.csv",
            questions=QUESTIONS,
        )
    draft = await quiz_banks.create_draft(
        session,
        clock,
        unit_id=cast.chi_bo_1.id,
        actor=None,
        file_name="b.csv",
        questions=QUESTIONS,
    )
    for outsider in (cast.an, cast.dung):  # a member; the secretary of another cell
        with pytest.raises(NotAllowed):
            await quiz_banks.publish(session, clock, outsider, draft.id)
        with pytest.raises(NotAllowed):
            await quiz_banks.discard(session, clock, outsider, draft.id)
    assert await session.scalar(select(QuizBank.status)) is BankStatus.DRAFT
    await quiz_banks.publish(session, clock, cast.chi_thu, draft.id)
    with pytest.raises(quiz_banks.NotDraft):
        await quiz_banks.publish(session, clock, cast.chi_thu, draft.id)
    archived = await quiz_banks.archive(session, clock, cast.chi_thu, draft.id)
    assert archived.status is BankStatus.ARCHIVED
    assert await quiz_banks.published_banks(session, cast.chi_bo_1.id) == []


async def test_a_discarded_draft_leaves_nothing(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    draft = await quiz_banks.create_draft(
        session,
        clock,
        unit_id=cast.chi_bo_1.id,
        actor=cast.chi_thu,
        file_name="b.csv",
        questions=QUESTIONS,
    )
    await quiz_banks.discard(session, clock, cast.chi_thu, draft.id)
    assert await session.scalar(select(func.count()).select_from(QuizBank)) == 0
    assert await session.scalar(select(func.count()).select_from(QuizBankQuestion)) == 0


async def test_a_draft_that_fails_half_way_writes_nothing(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    broken = BankQuestion("Hỏi ba?", ("x", "y"), 1, "", None)  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - the database refuses the NULL
        await quiz_banks.create_draft(
            session,
            clock,
            unit_id=cast.chi_bo_1.id,
            actor=cast.chi_thu,
            file_name="b.csv",
            questions=(*QUESTIONS, broken),
        )
    assert await session.scalar(select(func.count()).select_from(QuizBank)) == 0
    assert await session.scalar(select(func.count()).select_from(QuizBankQuestion)) == 0
