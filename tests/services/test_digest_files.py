"""The digest's Excel (re-opened cell by cell), its chart (a real PNG) and the splitter."""

from __future__ import annotations

import io
import struct
import warnings
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from bot.screens.chunks import size, split_html
from bot.services import digest, digest_chart, digest_excel, digest_rollup
from db.models import Role
from tests import digest_seed, factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


async def _cell(session: AsyncSession, clock: FakeClock, cast: Cast) -> digest.CellDigest:
    await digest_seed.seed(session, clock, cast)
    clock.set(digest_seed.DIGEST_DAY)
    return await digest.cell_digest(session, clock, TZ, cast.chi_thu, cast.chi_bo_1.id)


async def test_the_cell_excel_has_a_sheet_a_topic_and_a_row_a_member(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    book = load_workbook(io.BytesIO(digest_excel.cell_workbook(await _cell(session, clock, cast))))
    assert book.sheetnames == ["Tự soi", "Học tập", "Ôn tập", "Hội thi", "Liên lạc"]
    sheet = book["Tự soi"]
    assert sheet["A1"].value == "Chi bộ 1 — tháng 11/2026 (lập ngày 03/12/2026)"
    assert [c.value for c in sheet[2]] == [
        "STT",
        "Họ và tên",
        "Tình trạng",
        "Mục chưa đạt",
        "Sẽ khắc phục",
    ]
    assert sheet["A2"].font.b and sheet.print_title_rows == "$1:$2"
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3)] == [
        [1, "Lê Thị Bình", "Chưa nộp (còn hạn)", 0, None],
        [2, "Nguyễn Văn An", "Đúng hạn", 1, f"2. Việc 2 → {digest_seed.FIX}"],
        [3, "Trần Thị Thư", "Đúng hạn", 0, None],
        [4, "Đỗ Thị Giang", "Chưa nộp (còn hạn)", 0, None],
    ]
    study = [[c.value for c in row] for row in book["Học tập"].iter_rows(min_row=3)]
    assert study[1] == [2, "Nguyễn Văn An", 3, 3]
    quiz = [[c.value for c in row] for row in book["Ôn tập"].iter_rows(min_row=3)]
    assert quiz[1] == [2, "Nguyễn Văn An", 1, 2, 1, 0.5, "Có"]
    night = [[c.value for c in row] for row in book["Hội thi"].iter_rows(min_row=3)]
    assert night == [[1, "Nguyễn Văn An", 900], [2, "Trần Thị Thư", 700], [3, "Khách 3", 400]]
    reach = [row[2].value for row in book["Liên lạc"].iter_rows(min_row=3)]
    assert reach == ["Nhận tin bình thường"] * 3 + ["Đã chặn bot"]


async def test_the_committee_excel_holds_numbers_and_no_members_words(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await digest_seed.seed(session, clock, cast)
    admin = await factories.member(
        session, clock, cast.dang_bo, "Ngô Văn Hải", role=Role.COMMITTEE_ADMIN
    )
    clock.set(digest_seed.DIGEST_DAY)
    rollup = await digest_rollup.committee_rollup(session, clock, TZ, admin, cast.dang_bo.id)
    book = load_workbook(io.BytesIO(digest_excel.rollup_workbook(rollup)))
    rows = [[c.value for c in row] for row in book["Tự soi"].iter_rows(min_row=3)]
    assert rows == [
        [1, "Chi bộ 2", "2026-11", 2, 2, 0, 0, 2, 0, 0],
        [2, "Chi bộ 1", "2026-11", 4, 4, 2, 0, 2, 0.5, 1],
    ]
    every = [
        str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value
    ]
    assert not any(digest_seed.FIX in v or "Việc 2" in v or "Nguyễn Văn An" in v for v in every)


async def test_the_chart_is_a_png_of_sensible_size(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    cell = await _cell(session, clock, cast)
    png = digest_chart.history_chart(cell.unit_name, cell.history)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (800, 450)
    assert 5_000 < len(png) < 200_000
    assert [p.month for p in cell.history][-1] == "2026-11" and len(cell.history) == 6


def test_vietnamese_labels_render_without_a_missing_glyph() -> None:
    point = digest.MonthPoint("2026-11", 4, 2, 4, 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        digest_chart.history_chart("Tự soi, tự sửa — Đã đọc bài ỗ ữ ặ Đ", (point,))
    assert [str(w.message) for w in caught if "missing" in str(w.message).lower()] == []
    assert not caught


def test_a_long_text_is_split_between_words_and_tags_stay_whole() -> None:
    text = "<b>Tiêu đề</b>\n" + "<i>" + " ".join(["khắc phục"] * 1500) + "</i>\n" + "dòng cuối"
    parts = split_html(text)
    assert len(parts) >= 4 and parts[0] == "<b>Tiêu đề</b>"
    for part in parts:
        assert size(part) <= 4096
        assert part.count("<i>") == part.count("</i>")
    for part in parts[1:-1]:  # the long line: cut between words, the tag closed and reopened
        assert part.startswith("<i>khắc ") and part.endswith(" phục</i>")
    words = " ".join(p.replace("<i>", "").replace("</i>", "") for p in parts).split()
    assert words.count("khắc") == 1500 and parts[-1].endswith("dòng cuối")


def test_a_short_text_is_one_part_and_emoji_count_double() -> None:
    assert split_html("một dòng") == ["một dòng"]
    assert size("🌾") == 2
    assert all(size(p) <= 10 for p in split_html("🌾🌾🌾🌾 🌾🌾🌾🌾", limit=10))
