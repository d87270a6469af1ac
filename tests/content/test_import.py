"""A Ban Tuyên giáo adds lessons from Excel, Word or Markdown: checked whole, added whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from bot.catalog import CONTENT, load_catalog
from bot.cli import app
from bot.services import content_import as importer

HEADERS = ["id", "theme", "order", "title", "work", "citation", "passage", "note", "question"]
NOTE = "Một ghi chú đủ dài về cách vận dụng lời Bác vào việc làm hằng ngày của đảng viên."
GOOD = [
    [
        "cuop-ruong-dat",
        "toan-khoa-xiii",
        29,
        "Chúng cướp không ruộng đất",
        "tuyen-ngon-doc-lap-1945",
        "Hồ Chí Minh, Tuyên ngôn Độc lập (2/9/1945)",
        "Chúng cướp không ruộng đất, hầm mỏ, nguyên liệu.",
        NOTE,
        "Đồng chí nghĩ gì?",
    ],
    [
        "tren-duoi-mot-long",
        "toan-khoa-xiii",
        30,
        "Trên dưới một lòng",
        "tuyen-ngon-doc-lap-1945",
        "Hồ Chí Minh, Tuyên ngôn Độc lập (2/9/1945)",
        "Toàn dân Việt Nam, trên dưới một lòng, kiên quyết chống lại âm mưu của bọn thực dân "
        "Pháp.",
        NOTE,
        "Chi bộ mình đã một lòng chưa?",
    ],
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def xlsx(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_good_rows_from_excel_are_added_and_load(root: Path, tmp_path: Path) -> None:
    plan = importer.plan_import(root, importer.read_records(xlsx(tmp_path / "b.xlsx", GOOD)))
    assert plan.problems == []
    importer.apply_import(root, plan)
    catalog = load_catalog(root)
    assert catalog.lesson_count == load_catalog().lesson_count + 2
    assert catalog.lesson("tren-duoi-mot-long") is not None


def test_one_bad_row_names_its_row_and_nothing_is_added(root: Path, tmp_path: Path) -> None:
    bad = [
        *GOOD[:1],
        [
            *GOOD[1][:6],
            "Toàn dân ta một lòng, Bác đã nói như vậy.",
            NOTE,
            "Chi bộ mình đã một lòng chưa?",
        ],
    ]
    before = sorted(root.rglob("*.yaml"))
    plan = importer.plan_import(root, importer.read_records(xlsx(tmp_path / "b.xlsx", bad)))
    assert plan.problems == [
        "dòng 3: passage is not found word for word in 'tuyen-ngon-doc-lap-1945'"
    ]
    with pytest.raises(ValueError, match="problems"):
        importer.apply_import(root, plan)
    assert sorted(root.rglob("*.yaml")) == before


def test_a_word_table_with_vietnamese_headers_is_read(root: Path, tmp_path: Path) -> None:
    document = docx.Document()
    headers = [
        "Mã bài",
        "Chủ đề",
        "Thứ tự",
        "Tiêu đề",
        "Tác phẩm",
        "Nguồn",
        "Đoạn trích",
        "Ghi chú",
        "Câu hỏi",
    ]
    table = document.add_table(rows=1, cols=len(headers))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    cells = table.add_row().cells
    for cell, value in zip(cells, GOOD[0], strict=True):
        cell.text = str(value)
    document.save(str(tmp_path / "b.docx"))
    plan = importer.plan_import(root, importer.read_records(tmp_path / "b.docx"))
    assert plan.problems == []
    assert [r.values["id"] for r in plan.records] == ["cuop-ruong-dat"]


def test_the_markdown_template_shape_is_read(root: Path, tmp_path: Path) -> None:
    lesson = tmp_path / "bai.md"
    lesson.write_text(
        "---\nid: cuop-ruong-dat\ntheme: toan-khoa-xiii\norder: 29\ntitle: Ruộng đất\n"
        "work: tuyen-ngon-doc-lap-1945\ncitation: Hồ Chí Minh, Tuyên ngôn Độc lập\n---\n\n"
        f"## Đoạn trích\n{GOOD[0][6]}\n\n## Ghi chú\n{NOTE}\n\n"
        "## Câu hỏi liên hệ\nVì sao Bác nói như vậy?\n",
        "utf-8",
    )
    plan = importer.plan_import(root, importer.read_records(lesson))
    assert plan.problems == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bai.csv", b"id,theme\n", "không được hỗ trợ"),
        ("bai.xlsx", b"this is not a spreadsheet", "Không đọc được tệp Excel"),
        ("bai.docx", b"PK\x03\x04 broken", "Không đọc được tệp Word"),
        ("bai.md", b"no front matter", "Tệp Markdown cần phần đầu"),
    ],
)
def test_a_wrong_file_gets_a_clear_answer(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(importer.ContentImportError, match=message):
        importer.read_records(tmp_path / name)


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "b.xlsx", [GOOD[0][:3]], headers=HEADERS[:3])
    with pytest.raises(importer.ContentImportError, match="Thiếu cột: title, work"):
        importer.read_records(path)


def test_the_command_previews_and_adds(root: Path, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "b.xlsx", GOOD)
    result = CliRunner().invoke(
        app, ["content", "import", str(path), "--yes", "--root", str(root)]
    )
    assert result.exit_code == 0, result.output
    assert "Sẽ thêm 2 bài học" in result.output and "Đã thêm 2 bài học" in result.output
    again = CliRunner().invoke(app, ["content", "import", str(path), "--yes", "--root", str(root)])
    assert again.exit_code == 1
    assert "đã có" in again.output
