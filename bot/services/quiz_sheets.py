"""Reading a question bank file: tell what it is from its bytes, then give its rows.

The kind of a file is told from its first bytes, not its name: a renamed PDF, an old .xls, a
password-protected workbook and a zip bomb are refused before anything is parsed. A workbook is
read in openpyxl's read-only mode and the merged ranges are taken from the sheet's XML, so a
sheet of 10,000 rows is refused after reading the first thousand, not after loading them all.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from bot.textnorm import fold
from bot.texts import quiz_import as t

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024  # an .xlsx is a zip; a few MB may unpack to gigabytes
MAX_COLUMNS = 30  # a bank needs 10 columns; a sheet formatted to column XFD is not read to it
HEADER_WITHIN = 10  # the header row is among the first rows that have anything in them
GUIDE_SHEETS = {"huong dan", "guide"}  # the template's instructions, never imported

Cells = tuple[Any, ...]
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003, and encrypted Office 2007+ files
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted .xlsx carries
_OTHER = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


class FileRejected(Exception):
    """The whole file cannot be used; `reason` says why, in Vietnamese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Merged:
    ref: str  # "A3:A4", as Excel names the range
    first_row: int
    last_row: int


@dataclass(frozen=True)
class Table:
    """The header row and every non-empty row after it, each with its number in the file."""

    header: tuple[int, Cells]
    rows: tuple[tuple[int, Cells], ...]
    merged: tuple[Merged, ...] = ()


def read_table(
    data: bytes, file_name: str, is_header: Callable[[Cells], bool], max_rows: int
) -> Table:
    """Return the table of an .xlsx or .csv file, or raise FileRejected saying why not."""
    if not data:
        raise FileRejected(t.empty_file())
    if len(data) > MAX_BYTES:
        raise FileRejected(t.too_large(len(data), MAX_BYTES))
    if data.startswith(b"PK\x03\x04"):
        return _workbook(data, is_header, max_rows)
    if data.startswith(_OLE):
        raise FileRejected(t.encrypted() if _ENCRYPTED in data else t.old_excel())
    if data.startswith(b"%PDF"):
        raise FileRejected(t.pdf(file_name))
    if any(data.startswith(magic) for magic in _OTHER) or b"\x00" in data[:4096]:
        raise FileRejected(t.not_a_table(file_name))
    if PurePath(file_name).suffix.lower() not in (".csv", ".txt"):
        raise FileRejected(t.not_a_table(file_name))
    return _csv(data, is_header, max_rows)


def _workbook(data: bytes, is_header: Callable[[Cells], bool], max_rows: int) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise FileRejected(t.unreadable_excel()) from error
    if "xl/workbook.xml" not in names:  # a .docx, .pptx or plain zip renamed
        raise FileRejected(t.not_excel())
    if unpacked > MAX_UNPACKED:
        raise FileRejected(t.too_large(unpacked, MAX_BYTES))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise FileRejected(t.unreadable_excel()) from error
    try:
        for sheet in book.worksheets:
            if fold(sheet.title) in GUIDE_SHEETS:
                continue
            rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
            found = _scan(rows, is_header, max_rows)
            if found is not None:
                # Read-only sheets do not parse merged ranges; the sheet's XML lists them.
                merged = _merged_ranges(data, sheet._worksheet_path)
                return Table(found[0], tuple(found[1:]), merged)
    except FileRejected:
        raise
    except Exception as error:
        raise FileRejected(t.unreadable_excel()) from error
    finally:
        book.close()
    raise FileRejected(t.no_header())


def _merged_ranges(data: bytes, path: str) -> tuple[Merged, ...]:
    from openpyxl.utils import range_boundaries

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(path)
    tail = xml[max(0, xml.rfind(b"</sheetData>")) :]  # <mergeCells> follows the rows
    found = []
    for match in _MERGED.finditer(tail):
        ref = match.group(1).decode()
        _, first, _, last = range_boundaries(ref)
        found.append(Merged(ref, int(first), int(last)))
    return tuple(found)


def _csv(data: bytes, is_header: Callable[[Cells], bool], max_rows: int) -> Table:
    try:  # utf-8-sig: Excel's "CSV UTF-8" starts the file with a byte-order mark
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRejected(t.not_utf8(data.count(b"\n", 0, error.start) + 1)) from error
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in a Vietnamese locale saves ";" (the comma is the decimal mark there).
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        found = _scan((tuple(row) for row in reader), is_header, max_rows)
    except csv.Error as error:
        raise FileRejected(t.unreadable_csv(reader.line_num)) from error
    if found is None:
        raise FileRejected(t.no_header())
    return Table(found[0], tuple(found[1:]))


def _scan(
    rows: Iterable[Sequence[Any]], is_header: Callable[[Cells], bool], max_rows: int
) -> list[tuple[int, Cells]] | None:
    """The header and the non-empty rows after it; None if no header is found near the top."""
    found: list[tuple[int, Cells]] = []
    seen = 0
    for number, row in enumerate(rows, start=1):
        cells = tuple(row)
        if is_blank(cells):
            continue
        if not found:
            seen += 1
            if is_header(cells):
                found.append((number, cells))
            elif seen >= HEADER_WITHIN:
                return None
            continue
        found.append((number, cells))
        if len(found) - 1 > max_rows:  # stop reading: the answer is already known
            raise FileRejected(t.too_many_rows(max_rows))
    return found or None


def is_blank(cells: Sequence[Any]) -> bool:
    """Tell whether a row has nothing in it but empty cells and spaces."""
    return all(c is None or not str(c).strip() for c in cells)
