"""The digests as Excel workbooks (openpyxl): one sheet a topic, ready to print for the meeting.

A cell's workbook has a row a member (the secretary's own cell: it holds the "will fix" lines);
a committee's has a row a cell and numbers only.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.services.digest import CellDigest
from bot.services.digest_rollup import Rollup
from bot.services.inert import make_sheet_inert
from bot.texts import digest as t

Row = Sequence[str | int | float | None]
WIDE, NARROW = 32, 14


def cell_workbook(d: CellDigest) -> bytes:
    """Return the .xlsx of a cell's month: check-ins, study, quiz, quiz night, delivery."""
    book = Workbook()
    title = t.excel_title(d.unit_name, d.month, d.today)
    fixes: dict[int, list[str]] = {}
    for item in d.not_done:
        fixes.setdefault(item.member_id, []).append(
            f"{item.position}. {item.item} → {item.fix or ''}"
        )
    members = d.active
    _sheet(
        book.active or book.create_sheet(),
        t.SHEET_CHECKINS,
        title,
        [t.COL_NO, t.COL_NAME, t.COL_STATUS, t.COL_NOT_DONE, t.COL_FIX],
        [
            [
                no,
                m.name,
                t.STATUS.get(m.checkin, m.checkin),
                len(fixes.get(m.member_id, ())),
                "\n".join(fixes.get(m.member_id, ())),
            ]
            for no, m in enumerate(members, start=1)
        ],
        widths=[6, WIDE, 20, NARROW, 60],
    )
    _sheet(
        book.create_sheet(),
        t.SHEET_STUDY,
        title,
        [t.COL_NO, t.COL_NAME, t.COL_LESSONS, t.COL_STREAK],
        [[no, m.name, m.lessons, m.streak] for no, m in enumerate(members, start=1)],
        widths=[6, WIDE, NARROW, NARROW],
    )
    _sheet(
        book.create_sheet(),
        t.SHEET_QUIZ,
        title,
        [
            t.COL_NO,
            t.COL_NAME,
            t.COL_ROUNDS,
            t.COL_ANSWERS,
            t.COL_CORRECT,
            t.COL_RATE,
            t.COL_PLAYED,
        ],
        [
            [
                no,
                m.name,
                m.rounds,
                m.answers,
                m.correct,
                _rate(m.correct, m.answers),
                t.YES if m.played_night else t.NO,
            ]
            for no, m in enumerate(members, start=1)
        ],
        widths=[6, WIDE, NARROW, NARROW, NARROW, NARROW, NARROW],
        percent=[6],
    )
    podium = d.night.podium if d.night else ()
    _sheet(
        book.create_sheet(),
        t.SHEET_NIGHT,
        title,
        [t.COL_RANK, t.COL_NAME, t.COL_SCORE],
        [[no, name, score] for no, (name, score) in enumerate(podium, start=1)],
        widths=[8, WIDE, NARROW],
    )
    _sheet(
        book.create_sheet(),
        t.SHEET_DELIVERY,
        title,
        [t.COL_NO, t.COL_NAME, t.COL_DELIVERY],
        [
            [no, m.name, _reach(m.joining, m.blocked_at is not None)]
            for no, m in enumerate(d.members, start=1)
        ],
        widths=[6, WIDE, 24],
    )
    return _save(book)


def rollup_workbook(r: Rollup) -> bytes:
    """Return the .xlsx of a committee's roll-up: a row a cell, counts and rates only."""
    book = Workbook()
    title = t.excel_title(r.unit_name, max((row.month for row in r.rows), default=""), r.today)
    rows = r.rows
    _sheet(
        book.active or book.create_sheet(),
        t.SHEET_CHECKINS,
        title,
        [
            t.COL_NO,
            t.COL_CELL,
            t.COL_MONTH,
            t.COL_MEMBERS,
            t.COL_ASKED,
            t.COL_SUBMITTED,
            t.COL_LATE,
            t.COL_MISSING,
            t.COL_SUBMIT_RATE,
            t.COL_NOT_DONE,
        ],
        [
            [
                no,
                c.name,
                c.month,
                c.members,
                c.asked,
                c.submitted,
                c.late,
                c.missing,
                c.submit_rate,
                c.not_done,
            ]
            for no, c in enumerate(rows, start=1)
        ],
        widths=[6, WIDE, 10, NARROW, NARROW, NARROW, NARROW, NARROW, NARROW, NARROW],
        percent=[9],
    )
    _sheet(
        book.create_sheet(),
        t.SHEET_STUDY,
        title,
        [t.COL_NO, t.COL_CELL, t.COL_MEMBERS, t.COL_READERS, t.COL_READ_RATE, t.COL_LESSONS],
        [
            [no, c.name, c.members, c.readers, c.read_rate, c.lessons]
            for no, c in enumerate(rows, start=1)
        ],
        widths=[6, WIDE, NARROW, NARROW, NARROW, NARROW],
        percent=[5],
    )
    _sheet(
        book.create_sheet(),
        t.SHEET_QUIZ,
        title,
        [t.COL_NO, t.COL_CELL, t.COL_PRACTISERS, t.COL_ANSWERS, t.COL_CORRECT, t.COL_RATE],
        [
            [no, c.name, c.practisers, c.answers, c.correct, _rate(c.correct, c.answers)]
            for no, c in enumerate(rows, start=1)
        ],
        widths=[6, WIDE, NARROW, NARROW, NARROW, NARROW],
        percent=[6],
    )
    _sheet(
        book.create_sheet(),
        t.SHEET_DELIVERY,
        title,
        [t.COL_NO, t.COL_CELL, t.COL_BLOCKED, t.COL_JOINING],
        [[no, c.name, c.blocked, c.joining] for no, c in enumerate(rows, start=1)],
        widths=[6, WIDE, NARROW, NARROW],
    )
    return _save(book)


def _sheet(
    sheet: Worksheet,
    name: str,
    title: str,
    headers: list[str],
    rows: Sequence[Row],
    *,
    widths: list[int],
    percent: Sequence[int] = (),
) -> None:
    """Row 1 the title, row 2 the bold headers (repeated on every printed page), then data."""
    sheet.title = name
    sheet.append([title])
    sheet.append(headers)
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(list(row))
    for column, width in enumerate(widths, start=1):
        letter = sheet.cell(row=2, column=column).column_letter
        sheet.column_dimensions[letter].width = width
        if column in percent:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=column, max_col=column):
                cell.number_format = "0%"
    for data_row in sheet.iter_rows(min_row=3):
        for cell in data_row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    make_sheet_inert(sheet)  # names and units are typed by people: never a formula
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _reach(joining: bool, blocked: bool) -> str:
    if blocked:
        return t.BLOCKED
    return t.JOINING if joining else t.REACHABLE


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
