"""The template bank file (.xlsx and .csv), built from real questions of content/quizzes/.

The bot sends it built in memory (docs/ is not in the image); docs/templates/ keeps a copy
written by docs/templates/make_quiz_bank_template.py, and a test keeps the two the same.
"""

from __future__ import annotations

import csv
import io

from bot.quizbank import QuizBanks
from bot.services.inert import csv_row, make_sheet_inert
from bot.texts import quiz_import as t

SHEET = "Câu hỏi"
GUIDE = "Hướng dẫn"
HEADER = (
    "Câu hỏi",
    *(f"Phương án {letter}" for letter in "ABCDEF"),
    "Đáp án",
    "Giải thích",
    "Nguồn",
)
# Questions about the practice (`work: facts`), so the template quotes no one; the source
# names the document the question is about.
EXAMPLES = {
    "thuc-hanh-01": "Chỉ thị 05-CT/TW ngày 15/5/2016 của Bộ Chính trị",
    "thuc-hanh-05": "Kết luận 01-KL/TW ngày 18/5/2021 của Bộ Chính trị",
    "thuc-hanh-07": "Quy định 37-QĐ/TW ngày 25/10/2021",
}


def example_rows(banks: QuizBanks) -> list[list[str]]:
    """The template's rows under the header, one a question."""
    rows = []
    for question_id, source in EXAMPLES.items():
        question = banks.question(question_id)
        if question is None:  # a test guards that they stay in the content
            continue
        options = [*question.options, *[""] * (6 - len(question.options))]
        letter = "ABCDEF"[question.correct - 1]
        rows.append([question.question, *options, letter, question.explanation, source])
    return rows


def build_xlsx(banks: QuizBanks) -> bytes:
    """Return the .xlsx template: a sheet of questions and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADER)
    for row in example_rows(banks):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"A": 60, "H": 10, "I": 50, "J": 40}
    for column in "ABCDEFGHIJ":
        sheet.column_dimensions[column].width = widths.get(column, 24)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"  # text: Excel must not turn 15/5/2016 into a date
    guide = book.create_sheet(GUIDE)
    for line in t.template_guide():
        guide.append([line])
    guide["A1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 100
    for made in (sheet, guide):
        make_sheet_inert(made)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_csv(banks: QuizBanks) -> bytes:
    """Return the .csv template: UTF-8 with a byte-order mark, so Excel reads the diacritics."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(csv_row(row) for row in example_rows(banks))
    return out.getvalue().encode("utf-8-sig")
