"""Names, units and "will fix" lines that look like formulas stay text in every export."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.quizbank import load_banks
from bot.services import digest, digest_excel, digest_rollup, quiz_template, yearend
from bot.services.inert import csv_row
from db.models import CheckinAnswer, Member, Role, Unit
from db.models.quiz_nights import QuizNightPlayer
from tests import digest_seed, factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The usual injection strings: formulas, DDE, and the prefixes Excel strips before a formula.
INJECTIONS = [
    '=HYPERLINK("http://x","y")',
    "+1+2",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
    "=1+2",
]


def formulas_and_texts(data: bytes) -> tuple[int, list[str]]:
    """Count the formula elements in every sheet of an .xlsx, and list its string cells."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = b"".join(book.read(n) for n in sheets)
    book_ = load_workbook(io.BytesIO(data))
    texts = [
        str(c.value)
        for s in book_.worksheets
        for row in s.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    risky = [
        c for s in book_.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"
    ]
    return len(re.findall(rb"<f[ >]", xml)) + len(risky), texts


async def named_like_formulas(session: AsyncSession, clock: FakeClock, cast: Cast) -> None:
    await digest_seed.seed(session, clock, cast)
    people = [cast.an, cast.binh, cast.chi_thu, cast.cuong, cast.dung]
    for member, name in zip(people, INJECTIONS, strict=False):
        await session.execute(update(Member).where(Member.id == member.id).values(full_name=name))
    await session.execute(update(Unit).where(Unit.id == cast.chi_bo_1.id).values(name="=1+2"))
    await session.execute(update(Unit).where(Unit.id == cast.chi_bo_2.id).values(name="@A1"))
    await session.execute(
        update(QuizNightPlayer)
        .where(QuizNightPlayer.member_id.is_(None))
        .values(display_name='=HYPERLINK("http://x","y")')
    )
    await session.execute(update(CheckinAnswer).values(fix="=cmd|' /C calc'!A0", item="-1"))
    await session.commit()
    clock.set(digest_seed.DIGEST_DAY)


async def test_the_cell_workbook_keeps_every_injection_as_text(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await named_like_formulas(session, clock, cast)
    cell = await digest.cell_digest(session, clock, TZ, cast.chi_thu, cast.chi_bo_1.id)
    data = digest_excel.cell_workbook(cell)
    formulas, texts = formulas_and_texts(data)
    assert formulas == 0
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:  # every sheet names people: each holds the injections as text
        values = {c.value for row in sheet.iter_rows(min_row=3) for c in row}
        assert '=HYPERLINK("http://x","y")' in values, sheet.title
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r":
                    assert (c.data_type, c.quotePrefix) == ("s", True), (sheet.title, c.value)
    assert "2. -1 → =cmd|' /C calc'!A0" in texts


async def test_the_committee_rollup_keeps_unit_names_as_text(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await named_like_formulas(session, clock, cast)
    admin = await factories.member(
        session, clock, cast.dang_bo, "=Ngô Văn Hải", role=Role.COMMITTEE_ADMIN
    )
    rollup = await digest_rollup.committee_rollup(session, clock, TZ, admin, cast.dang_bo.id)
    data = digest_excel.rollup_workbook(rollup)
    formulas, _ = formulas_and_texts(data)
    assert formulas == 0
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        names = {row[1].value: row[1] for row in sheet.iter_rows(min_row=3)}
        assert set(names) == {"=1+2", "@A1"}, sheet.title
        assert all(c.data_type == "s" and c.quotePrefix for c in names.values())


@pytest.mark.parametrize("value", INJECTIONS)
def test_csv_values_get_an_apostrophe(value: str) -> None:
    out = io.StringIO(newline="")
    csv.writer(out).writerow(csv_row([value, "Nguyễn Văn An", 3, None]))
    [read] = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert read == [f"'{value}", "Nguyễn Văn An", "3", ""]


def test_the_quiz_bank_templates_hold_no_formula() -> None:
    formulas, texts = formulas_and_texts(quiz_template.build_xlsx(load_banks()))
    assert formulas == 0 and texts
    rows = csv.reader(io.StringIO(quiz_template.build_csv(load_banks()).decode("utf-8-sig")))
    assert not any(v[:1] in ("=", "+", "-", "@", "\t", "\r") for row in rows for v in row if v)


async def test_the_year_end_docx_writes_formula_like_names_as_plain_text(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    # Word has no cell formulas; what could run is a field code, and the DOCX must hold none.
    await session.execute(update(Unit).where(Unit.id == cast.chi_bo_1.id).values(name="=1+2"))
    await session.execute(
        update(Member).where(Member.id == cast.an.id).values(full_name=INJECTIONS[0])
    )
    await session.commit()
    summary = await yearend.year_summary(session, cast.an, 2026)
    with zipfile.ZipFile(io.BytesIO(yearend.build_docx(summary))) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert INJECTIONS[0] in xml and "=1+2" in xml
    assert not re.search(r"<w:(fldSimple|instrText|fldChar)\b", xml)
