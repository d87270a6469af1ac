"""Values written to spreadsheets stay text: a name like `=HYPERLINK(...)` never runs.

Excel, LibreOffice and Google Sheets treat a cell that begins with = + - @ (and, in CSV, a tab
or a carriage return before them) as a formula. Members' names, units' names and quiz guests'
Telegram names are typed by anyone, so every export stores such values as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is loaded only by the exports that use it
    from openpyxl.worksheet.worksheet import Worksheet

RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: object) -> bool:
    """Tell whether a spreadsheet would read `value` as the start of a formula."""
    return isinstance(value, str) and value.startswith(RISKY_START)


def make_sheet_inert(sheet: Worksheet) -> None:
    """Store every risky value of `sheet` as a text cell, shown as typed (Excel's ' prefix)."""
    for row in sheet.iter_rows():
        for cell in row:
            if is_risky(cell.value):
                cell.data_type = "s"  # openpyxl made it a formula ("f") on assignment
                cell.quotePrefix = True  # stays text when someone edits the cell in Excel


def csv_row(values: Iterable[object]) -> Sequence[object]:
    """Return `values` for csv.writer, each risky one prefixed with an apostrophe."""
    return [f"'{v}" if is_risky(v) else v for v in values]
