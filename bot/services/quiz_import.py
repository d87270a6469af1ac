"""A question bank from Excel or CSV: the good rows as questions, every bad row with its reason.

Columns are found by their header, in Vietnamese with or without diacritics or in English:
Câu hỏi | Phương án A … F (or A … F, or one column "Các phương án", one per line) | Đáp án |
Giải thích | Nguồn. Row numbers are the ones Excel shows. Nothing is written here; the bank
service stores the good rows as a draft (bot.services.quiz_banks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock_time
from typing import Any

from bot.quiz_lint import Finding, Item, lint
from bot.quiz_models import POLL_EXPLANATION_MAX, POLL_OPTION_MAX, POLL_QUESTION_MAX
from bot.services.quiz_banks import BankQuestion
from bot.services.quiz_sheets import Cells, FileRejected, read_table
from bot.textnorm import clean, fold
from bot.texts import quiz_import as t

__all__ = ["MAX_QUESTIONS", "FileRejected", "ParsedBank", "RowProblem", "parse_bank"]

MAX_QUESTIONS = 1000
LETTERS = "ABCDEF"
# The hard limits of the content banks (bot.quiz_models): twice a poll's, beyond which a text is
# too long to read in a chat. Up to them, a question that does not fit a poll is played as text
# with buttons. An explanation and a source are shown as text, so they may be longer.
QUESTION_MAX = 2 * POLL_QUESTION_MAX
OPTION_MAX = 2 * POLL_OPTION_MAX
EXPLANATION_MAX = 5 * POLL_EXPLANATION_MAX
SOURCE_MAX = 300

QUESTION = {"cau hoi", "question", "noi dung cau hoi", "noi dung"}
CORRECT = {
    "dap an",
    "dap an dung",
    "dap an chinh xac",
    "phuong an dung",
    "correct",
    "answer",
    "correct answer",
}
EXPLANATION = {"giai thich", "loi giai", "giai thich dap an", "explanation"}
SOURCE = {"nguon", "nguon trich dan", "trich dan", "tai lieu", "source"}
OPTION_LIST = {"cac phuong an", "phuong an", "lua chon", "cac lua chon", "options"}
_OPTION = re.compile(r"^(?:(?:phuong an|lua chon|option|dap an|pa) ?([a-f1-6])|([a-f]))$")
_ANSWER = re.compile(r"^(?:(?:dap an|phuong an|pa) ?)?([a-z]|[0-9]+)$")


@dataclass(frozen=True)
class RowProblem:
    row: int  # as Excel shows it
    reason: str  # in Vietnamese; several reasons of one row are joined with "; "


@dataclass(frozen=True)
class ParsedBank:
    questions: tuple[BankQuestion, ...]
    problems: tuple[RowProblem, ...]
    # The quiz linter's findings on the good rows (ids are row numbers): advice, not refusals.
    findings: tuple[Finding, ...] = ()

    @property
    def too_long_for_polls(self) -> int:
        """How many questions will be played as text with buttons, not as a poll."""
        return sum(1 for q in self.questions if not q.fits_poll)


@dataclass(frozen=True)
class _Columns:
    question: int
    correct: int
    options: tuple[int, ...]  # the A, B, … columns in letter order; empty with option_list
    option_list: int | None
    explanation: int | None
    source: int | None


def parse_bank(data: bytes, file_name: str) -> ParsedBank:
    """Read a bank from .xlsx or .csv bytes, or raise FileRejected for the whole file."""
    table = read_table(data, file_name, _is_header, MAX_QUESTIONS)
    columns = _columns(table.header[1])
    bad: dict[int, list[str]] = {}
    for merged in table.merged:
        if merged.last_row > table.header[0]:
            first = max(merged.first_row, table.header[0] + 1)
            bad.setdefault(first, []).append(t.merged(merged.ref, first, merged.last_row))
            for row in range(first + 1, merged.last_row + 1):
                bad.setdefault(row, [])  # reported once, at the range's first row
    questions: list[BankQuestion] = []
    rows: list[int] = []  # the row of each good question, for the linter's findings
    asked: dict[str, int] = {}  # folded question → the row that first asked it
    for number, cells in table.rows:
        if number in bad:
            continue
        reasons, text, question = _row(cells, columns)
        if text:
            if fold(text) in asked:
                reasons.append(t.duplicate(asked[fold(text)]))
            asked.setdefault(fold(text), number)
        if reasons or question is None:
            bad[number] = reasons
        else:
            questions.append(question)
            rows.append(number)
    problems = tuple(RowProblem(n, "; ".join(r)) for n, r in sorted(bad.items()) if r)
    items = [
        Item(str(n), q.text, q.options, q.correct) for n, q in zip(rows, questions, strict=True)
    ]
    return ParsedBank(tuple(questions), problems, tuple(lint(file_name, items)))


def _is_header(cells: Cells) -> bool:
    return any(fold(_text(c)) in QUESTION for c in cells)


def _columns(header: Cells) -> _Columns:
    found: dict[str, int] = {}
    letters: dict[int, int] = {}  # option number → column
    for index, cell in enumerate(header):
        name = fold(_text(cell))
        for key, names in (
            ("question", QUESTION),
            ("correct", CORRECT),
            ("explanation", EXPLANATION),
            ("source", SOURCE),
            ("list", OPTION_LIST),
        ):
            if name in names:
                found.setdefault(key, index)
        if match := _OPTION.match(name):
            token = match.group(1) or match.group(2)
            number = int(token) if token.isdigit() else ord(token) - ord("a") + 1
            letters.setdefault(number, index)
    options = []
    for number in range(1, len(LETTERS) + 1):
        if number not in letters:
            break
        options.append(letters[number])
    missing = [
        label
        for key, label in (("question", t.COL_QUESTION), ("correct", t.COL_CORRECT))
        if key not in found
    ]
    if len(options) < 2 and "list" not in found:
        missing.append(t.COL_OPTIONS)
    if missing:
        raise FileRejected(t.missing_columns(missing))
    skipped = sorted(n for n in letters if n > len(options) + 1)
    if skipped:  # A, B, D: the gap would shift every answer after it
        raise FileRejected(t.option_column_gap(LETTERS[len(options)], LETTERS[skipped[0] - 1]))
    return _Columns(
        found["question"],
        found["correct"],
        tuple(options),
        found.get("list") if len(options) < 2 else None,
        found.get("explanation"),
        found.get("source"),
    )


def _row(cells: Cells, columns: _Columns) -> tuple[list[str], str, BankQuestion | None]:
    """The row's problems, its question text, and the question if the row is sound."""

    def cell(index: int | None) -> Any:
        return cells[index] if index is not None and index < len(cells) else None

    reasons: list[str] = []
    question = clean(_text(cell(columns.question)))
    if not question:
        reasons.append(t.no_question())
    elif len(question) > QUESTION_MAX:
        reasons.append(t.question_too_long(len(question), QUESTION_MAX))
    options = _options(cell, columns, reasons)
    correct = _correct(_text(cell(columns.correct)), options, reasons) if options else None
    explanation = clean(_text(cell(columns.explanation)))
    if len(explanation) > EXPLANATION_MAX:
        reasons.append(t.explanation_too_long(len(explanation), EXPLANATION_MAX))
    source = clean(_text(cell(columns.source)))
    if len(source) > SOURCE_MAX:
        reasons.append(t.source_too_long(len(source), SOURCE_MAX))
    if reasons or correct is None:
        return reasons, question, None
    return reasons, question, BankQuestion(question, tuple(options), correct, explanation, source)


def _options(cell: Any, columns: _Columns, reasons: list[str]) -> list[str]:
    if columns.option_list is not None:
        raw = _text(cell(columns.option_list))
        parts = raw.splitlines() if "\n" in raw else re.split(r"\s*[|;]\s*", raw)
        given = [clean(re.sub(r"^\s*[A-Fa-f][.)]\s+", "", p)) for p in parts]  # "A. …" → "…"
        given = [x for x in given if x]
    else:
        given = [clean(_text(cell(i))) for i in columns.options]
        while given and not given[-1]:
            given.pop()
        gaps = [LETTERS[i] for i, x in enumerate(given) if not x]
        if gaps:
            reasons.append(t.option_gap(gaps[0], LETTERS[len(given) - 1]))
            return []
    if len(given) < 2:
        reasons.append(t.too_few_options(len(given)))
        return []
    if len(given) > len(LETTERS):
        reasons.append(t.too_many_options(len(given)))
        return []
    for i, option in enumerate(given):
        if len(option) > OPTION_MAX:
            reasons.append(t.option_too_long(LETTERS[i], len(option), OPTION_MAX))
        earlier = [fold(x) for x in given[:i]]
        if fold(option) in earlier:
            reasons.append(t.option_repeated(LETTERS[i], LETTERS[earlier.index(fold(option))]))
    return given


def _correct(raw: str, options: Sequence[str], reasons: list[str]) -> int | None:
    if not raw:
        reasons.append(t.no_correct())
        return None
    folded = fold(raw)
    match = _ANSWER.match(folded)
    if match is not None:
        token = match.group(1)
        number = int(token) if token.isdigit() else ord(token) - ord("a") + 1
        if 1 <= number <= len(options):
            return number
    same = [n for n, option in enumerate(options, start=1) if fold(option) == folded]
    if len(same) == 1:  # the answer's own words, as some banks write it
        return same[0]
    if match is not None:
        token = match.group(1)
        label = token if token.isdigit() else token.upper()
        reasons.append(t.correct_not_an_option(label, len(options), LETTERS[len(options) - 1]))
    else:
        reasons.append(t.correct_unreadable(clean(raw)[:40]))
    return None


def _text(value: Any) -> str:
    """A cell as the person sees it in Excel: 1945 not 1945.0, 2/9/1945 not 1945-09-02."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == clock_time(0):
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value.day}/{value.month}/{value.year}"
    return str(value)
