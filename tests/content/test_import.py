"""A Ban Tuyên giáo adds works, themes and lessons from Word, Excel or Markdown.

Everything is checked together with the whole content pack and added whole, or not at all.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from bot.catalog import CONTENT, Problem, load_catalog
from bot.cli import app
from bot.services import content_import as importer

TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "templates"

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
        "Toàn dân Việt Nam, trên dưới một lòng kiên quyết chống lại âm mưu của bọn thực dân Pháp.",
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


def test_a_sheet_with_only_its_headers_adds_nothing(root: Path, tmp_path: Path) -> None:
    plan = importer.plan_import(root, importer.read_records(xlsx(tmp_path / "b.xlsx", [])))
    assert plan.problems == ["Tệp không có dòng nào để thêm (chỉ có dòng tên cột)."]


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


# Works, themes, and several kinds in one run.

WORK_ID = "tac-pham-thu-1950"
WORK_TITLE = "Tác phẩm thử nghiệm"
SOURCE = "Hồ Chí Minh Toàn tập, NXB Chính trị quốc gia Sự thật, 2011, tập 6, tr. 10–12"
# Made-up test text, typed as a curator would: "ǎ" and two spaces are kept as they are.
PARAGRAPHS = [
    "Đoạn thứ nhất của văn bản thử nghiệm, gõ lại từ một cuốn sách  có hai dấu cách.",
    "Đoạn thứ hai viết chữ nǎm theo lối cũ.\nDòng này xuống dòng trong cùng một đoạn.",
    "[...]",
    "Đoạn cuối: chi bộ họp mỗi tháng một lần để kiểm điểm việc làm theo.",
]
FIELDS = [
    ("Mã", WORK_ID),
    ("Tên tác phẩm", WORK_TITLE),
    ("Năm", "1950"),
    ("Nguồn", SOURCE),
    ("Trích dẫn", "Hồ Chí Minh, Toàn tập, t.6, tr. 10–12"),
]
THEME_ID = "thanh-hoa-2026"
THEME_NAME = "Học tập và làm theo tên chuyên đề thử nghiệm của Tỉnh ủy"
THEME_HEADERS = ["Mã", "Loại", "Năm", "Cấp ủy", "Tên chuyên đề", "Nguồn"]
THEME_ROW = [
    THEME_ID,
    "năm",
    2026,
    "Tỉnh ủy Thanh Hóa",
    THEME_NAME,
    "Văn bản số 1; trang tin\nbáo",
]
VI_HEADERS = [
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


def files(root: Path) -> dict[str, bytes]:
    """Every file under the content folder, to show that nothing was written."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def work_docx(
    path: Path, fields: list[tuple[str, str]] = FIELDS, paragraphs: list[str] = PARAGRAPHS
) -> Path:
    document = docx.Document()
    document.add_paragraph("Hướng dẫn: phần này ở trên bảng và không được nhập.")
    table = document.add_table(rows=0, cols=2)
    for label, value in fields:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph("")  # a blank line between the table and the text
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def lesson_md(path: Path, lesson_id: str, work: str, citation: str, passage: str) -> Path:
    path.write_text(
        f"---\nid: {lesson_id}\ntheme: toan-khoa-xiii\norder: 40\ntitle: Họp chi bộ hằng tháng\n"
        f"work: {work}\ncitation: {citation}\n---\n\n## Đoạn trích\n{passage}\n\n"
        f"## Ghi chú\n{NOTE}\n\n## Câu hỏi liên hệ\nChi bộ đồng chí họp thế nào?\n",
        "utf-8",
    )
    return path


def new_lesson(tmp_path: Path) -> Path:
    return lesson_md(
        tmp_path / "bai.md",
        "hop-chi-bo-hang-thang",
        WORK_ID,
        f"Hồ Chí Minh, {WORK_TITLE} (1950)",
        PARAGRAPHS[3],
    )


def plan_for(root: Path, *paths: Path) -> importer.Plan:
    return importer.plan_import(root, [r for p in paths for r in importer.read_records(p)])


def test_a_work_from_word_lands_as_a_work_file_with_the_typed_text(
    root: Path, tmp_path: Path
) -> None:
    plan = plan_for(root, work_docx(tmp_path / "tac-pham.docx"))
    assert plan.problems == []
    assert [(r.kind, r.values["id"]) for r in plan.records] == [("work", WORK_ID)]
    importer.apply_import(root, plan)
    work = load_catalog(root).works[WORK_ID]
    assert work.text == "\n\n".join(PARAGRAPHS)
    assert (work.title, work.year, work.retrieved_from) == (WORK_TITLE, 1950, SOURCE)
    assert work.citation == "Hồ Chí Minh, Toàn tập, t.6, tr. 10–12"
    assert work.completeness == "Toàn văn theo nguồn trên"
    assert work.quotable and len(work.paragraphs) == 3  # without the [...] note
    written = (root / "works" / f"{WORK_ID}.md").read_text("utf-8")
    assert written.startswith(f"---\nid: {WORK_ID}\ntitle: {WORK_TITLE}\nyear: 1950\n")
    assert "has_text: true\nattribution: confirmed\n" in written
    assert written.endswith("---\n" + "\n\n".join(PARAGRAPHS) + "\n")
    assert not list(root.rglob("*.importing"))


def test_english_labels_and_an_id_made_from_the_title(root: Path, tmp_path: Path) -> None:
    fields = [("Title", WORK_TITLE), ("Year", "1950"), ("Source", SOURCE), ("Field", "")]
    fields = [("Field", "Value"), *fields[:3], ("Completeness", "Hai đoạn đầu")]
    plan = plan_for(root, work_docx(tmp_path / "w.docx", fields))
    assert plan.problems == []
    importer.apply_import(root, plan)
    work = load_catalog(root).works["tac-pham-thu-nghiem-1950"]
    assert work.completeness == "Hai đoạn đầu" and work.citation is None


def test_a_lesson_citing_the_new_work_passes_in_the_same_run(root: Path, tmp_path: Path) -> None:
    lesson = new_lesson(tmp_path)
    assert plan_for(root, lesson).problems == [f"bai.md: no such work: {WORK_ID!r}"]
    plan = plan_for(root, work_docx(tmp_path / "w.docx"), lesson)
    assert plan.problems == []
    assert plan.counts() == (0, 1, 1)
    importer.apply_import(root, plan)
    found = load_catalog(root).lesson("hop-chi-bo-hang-thang")
    assert found is not None and found.work == WORK_ID


def test_a_lesson_citing_the_new_work_passes_after_it(root: Path, tmp_path: Path) -> None:
    importer.apply_import(root, plan_for(root, work_docx(tmp_path / "w.docx")))
    plan = plan_for(root, new_lesson(tmp_path))
    assert plan.problems == []
    # and the new work's text is checked word for word like any other
    wrong = lesson_md(
        tmp_path / "sai.md",
        "hop-chi-bo-sai",
        WORK_ID,
        f"Hồ Chí Minh, {WORK_TITLE}",
        "Chi bộ họp mỗi tuần một lần để kiểm điểm việc làm theo.",
    )
    assert plan_for(root, wrong).problems == [
        f"sai.md: passage is not found word for word in {WORK_ID!r}"
    ]


@pytest.mark.parametrize(
    ("themes", "lessons", "order"),
    [
        ("Chuyên đề", "Bài học", "themes first"),
        ("Chuyen de", "Lessons", "lessons first"),
        ("Themes", "Trang tính 1", "lessons first"),  # a sheet told by its lesson headers
    ],
)
def test_a_workbook_adds_a_theme_and_its_lessons_together(
    root: Path, tmp_path: Path, themes: str, lessons: str, order: str
) -> None:
    rows = [[*row[:1], THEME_ID, *row[2:]] for row in GOOD]
    sheets: dict[str, Sequence[Sequence[object]]] = {
        themes: [THEME_HEADERS, THEME_ROW],
        lessons: [VI_HEADERS, *rows],
        "Hướng dẫn": [["Xóa các dòng ví dụ trước khi nhập."]],
    }
    if order == "lessons first":
        sheets = {lessons: sheets[lessons], themes: sheets[themes]}
    plan = plan_for(root, workbook(tmp_path / "cd.xlsx", sheets))
    assert plan.problems == []
    assert [r.kind for r in plan.records] == ["theme", "lesson", "lesson"]
    importer.apply_import(root, plan)
    catalog = load_catalog(root)
    theme = catalog.themes[THEME_ID]
    assert (theme.kind, theme.years, theme.status, theme.name) == (
        "annual",
        (2026,),
        "found",
        THEME_NAME,
    )
    assert theme.owner == "Tỉnh ủy Thanh Hóa"
    assert theme.sources == ("Văn bản số 1", "trang tin", "báo")
    assert [x.id for x in catalog.lessons_for(THEME_ID)] == [
        "cuop-ruong-dat",
        "tren-duoi-mot-long",
    ]
    assert (
        (root / "themes" / f"{THEME_ID}.yaml")
        .read_text("utf-8")
        .startswith(f"id: {THEME_ID}\nkind: annual\nyears: [2026]\n")
    )


def test_a_term_theme_spans_its_years(root: Path, tmp_path: Path) -> None:
    row = ["toan-khoa-thu", "nhiệm kỳ", "2026–2030", "Tỉnh ủy Thanh Hóa", THEME_NAME, "Nghị quyết"]
    plan = plan_for(root, workbook(tmp_path / "t.xlsx", {"Chuyên đề": [THEME_HEADERS, row]}))
    assert plan.problems == []
    importer.apply_import(root, plan)
    theme = load_catalog(root).themes["toan-khoa-thu"]
    assert (theme.kind, theme.years) == ("term", (2026, 2027, 2028, 2029, 2030))


def test_a_lesson_for_a_theme_that_does_not_exist_fails(root: Path, tmp_path: Path) -> None:
    rows = [[*GOOD[0][:1], THEME_ID, *GOOD[0][2:]]]
    plan = plan_for(root, workbook(tmp_path / "b.xlsx", {"Bài học": [HEADERS, *rows]}))
    assert plan.problems == [f"dòng 2: folder names no theme: {THEME_ID!r}"]


@pytest.mark.parametrize(
    ("fields", "paragraphs", "messages"),
    [
        (
            [f for f in FIELDS if f[0] != "Nguồn"],
            PARAGRAPHS,
            [
                "bảng thông tin: thiếu Nguồn (source): ghi văn bản được chép từ đâu, ví dụ "
                "«Hồ Chí Minh Toàn tập, NXB Chính trị quốc gia Sự thật, 2011, tập 15, tr. "
                "611–627»"
            ],
        ),
        (
            [*FIELDS[:2], ("Năm", "2030"), *FIELDS[3:]],
            PARAGRAPHS,
            ["bảng thông tin, dòng 3: Năm (year) phải trong khoảng 1890–1969, không phải 2030"],
        ),
        (
            [*FIELDS[:2], ("Năm", "năm 1950"), *FIELDS[3:]],
            PARAGRAPHS,
            [
                "bảng thông tin, dòng 3: Năm (year) phải là một số, ví dụ 1949, không phải "
                "«năm 1950»"
            ],
        ),
        (
            [("Mã", "di-chuc-1969"), *FIELDS[1:]],
            PARAGRAPHS,
            [
                "bảng thông tin, dòng 1: đã có tác phẩm mã «di-chuc-1969» "
                "(works/di-chuc-1969.md); không ghi đè. Đặt mã khác, hoặc sửa trực tiếp tệp ấy."
            ],
        ),
        (
            [("Mã", "Tác Phẩm 1"), *FIELDS[1:]],
            PARAGRAPHS,
            [
                "bảng thông tin, dòng 1: mã «Tác Phẩm 1» không dùng được; mã chỉ gồm chữ thường "
                "không dấu, chữ số và dấu gạch ngang (ví dụ thanh-hoa-2026)"
            ],
        ),
        (
            [*FIELDS, ("Tác giả", "Hồ Chí Minh")],
            PARAGRAPHS,
            ["bảng thông tin, dòng 6: không rõ mục «Tác giả"],
        ),
        (
            [*FIELDS[:1], ("Tên tác phẩm", "X"), *FIELDS[2:]],
            PARAGRAPHS,
            ["bảng thông tin, dòng 2: title: String should have at least 2 characters"],
        ),
        (
            FIELDS,
            [],
            ["Không có văn bản tác phẩm sau bảng thông tin: dán toàn văn vào sau bảng"],
        ),
        (
            FIELDS,
            ["[Ví dụ] Dán toàn văn tác phẩm vào đây, mỗi đoạn một đoạn văn.", *PARAGRAPHS],
            ["văn bản sau bảng, đoạn 1: vẫn là đoạn ví dụ của mẫu"],
        ),
    ],
    ids=[
        "no-source",
        "year-2030",
        "year-words",
        "duplicate",
        "bad-id",
        "unknown",
        "short",
        "no-text",
        "example",
    ],
)
def test_a_bad_work_says_where_and_writes_nothing(
    root: Path,
    tmp_path: Path,
    fields: list[tuple[str, str]],
    paragraphs: list[str],
    messages: list[str],
) -> None:
    before = files(root)
    plan = plan_for(root, work_docx(tmp_path / "w.docx", fields, paragraphs))
    assert len(plan.problems) == len(messages), plan.problems
    for problem, message in zip(plan.problems, messages, strict=True):
        assert problem.startswith(message), problem
    with pytest.raises(ValueError, match="problems"):
        importer.apply_import(root, plan)
    assert files(root) == before


def test_the_same_work_twice_in_one_run_is_refused(root: Path, tmp_path: Path) -> None:
    first, second = work_docx(tmp_path / "a.docx"), work_docx(tmp_path / "b.docx")
    plan = plan_for(root, first, second)
    assert plan.problems == [
        f"bảng thông tin, dòng 1: đã có tác phẩm mã «{WORK_ID}» (works/{WORK_ID}.md); không ghi "
        "đè. Đặt mã khác, hoặc sửa trực tiếp tệp ấy."
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            [*THEME_ROW[:4], "", THEME_ROW[5]],
            "trang «Chuyên đề», dòng 2: thiếu Tên chuyên đề (name). Chép đúng tên trong văn bản "
            "chính thức của cấp ủy; tên chuyên đề không bao giờ được tự đặt",
        ),
        (
            [THEME_ID, "quý", *THEME_ROW[2:]],
            "trang «Chuyên đề», dòng 2: Loại (kind) «quý» không rõ; ghi «năm» (annual) hoặc "
            "«nhiệm kỳ» (term)",
        ),
        (
            [*THEME_ROW[:2], "năm nay", *THEME_ROW[3:]],
            "trang «Chuyên đề», dòng 2: Năm (years) «năm nay» không đọc được; ghi «2025» hoặc "
            "«2021-2025»",
        ),
        (
            [*THEME_ROW[:5], ""],
            "trang «Chuyên đề», dòng 2: thiếu sources",
        ),
        (
            [*THEME_ROW[:4], "Tên ngắn", THEME_ROW[5]],
            "trang «Chuyên đề», dòng 2: a found theme needs its official name (at least 10 "
            "characters)",
        ),
        (
            ["toan-khoa-xiii", *THEME_ROW[1:]],
            "trang «Chuyên đề», dòng 2: đã có chuyên đề mã «toan-khoa-xiii» "
            "(themes/toan-khoa-xiii.yaml); không ghi đè. Đặt mã khác.",
        ),
    ],
    ids=["no-name", "bad-kind", "bad-years", "no-source", "short-name", "duplicate"],
)
def test_a_bad_theme_says_where_and_nothing_is_added(
    root: Path, tmp_path: Path, row: list[object], message: str
) -> None:
    before = files(root)
    rows = [[*r[:1], row[0], *r[2:]] for r in GOOD]
    sheets: dict[str, Sequence[Sequence[object]]] = {
        "Chuyên đề": [THEME_HEADERS, row],
        "Bài học": [HEADERS, *rows],
    }
    path = workbook(tmp_path / "cd.xlsx", sheets)
    args = ["content", "import", str(path), "--yes", "--root", str(root)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == message
    assert lines[-1].endswith("lỗi; chưa có gì được thêm.")  # the lessons may fail with it
    assert files(root) == before


def test_a_lesson_id_cannot_leave_the_lessons_folder(root: Path, tmp_path: Path) -> None:
    bad = [[GOOD[0][0], "../../works", *GOOD[0][2:]]]
    plan = plan_for(root, xlsx(tmp_path / "b.xlsx", bad))
    assert plan.problems == [
        "dòng 2: mã «../../works» không dùng được; mã chỉ gồm chữ thường không dấu, chữ số và "
        "dấu gạch ngang (ví dụ thanh-hoa-2026)"
    ]


def test_a_work_and_a_theme_in_markdown_are_placed_as_they_are(root: Path, tmp_path: Path) -> None:
    work = (
        f"---\nid: {WORK_ID}\ntitle: {WORK_TITLE}\nyear: 1950\nhas_text: true\n"
        f"completeness: Toàn văn\nretrieved_from: {SOURCE}\n---\n" + "\n\n".join(PARAGRAPHS) + "\n"
    )
    theme = (
        f"---\nid: {THEME_ID}\nkind: annual\nyears: [2026]\nowner: Tỉnh ủy Thanh Hóa\n"
        f"status: found\nname: {THEME_NAME}\nsources:\n  - Văn bản số 1\n---\n"
    )
    (tmp_path / "tac-pham.md").write_text(work, "utf-8")
    (tmp_path / "chuyen-de.md").write_text(theme, "utf-8")
    plan = plan_for(root, tmp_path / "tac-pham.md", tmp_path / "chuyen-de.md")
    assert plan.problems == []
    assert plan.counts() == (1, 1, 0)
    importer.apply_import(root, plan)
    assert (root / "works" / f"{WORK_ID}.md").read_text("utf-8") == work
    catalog = load_catalog(root)
    assert catalog.works[WORK_ID].text == "\n\n".join(PARAGRAPHS)
    assert catalog.themes[THEME_ID].name == THEME_NAME


def test_a_markdown_work_is_checked_at_its_own_lines(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "tac-pham.md"
    path.write_text(
        f"---\nid: {WORK_ID}\ntitle: {WORK_TITLE}\nyear: 2030\nhas_text: true\n"
        "completeness: Toàn văn\n---\nMột đoạn văn bản.\n",
        "utf-8",
    )
    before = files(root)
    plan = plan_for(root, path)
    assert plan.problems == [
        "tac-pham.md, dòng 4: year: Input should be less than or equal to 1969"
    ]
    assert files(root) == before


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "ban-scan.docx",
            lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
            "Không đọc được tệp Word: «ban-scan.docx» không phải tệp Word (.docx): đây là một tệp "
            "PDF được đổi tên. Hãy mở nó bằng Word rồi «Lưu thành» (Save As) tệp .docx.",
        ),
        (
            "cu.docx",
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
            "Không đọc được tệp Word: «cu.docx» không phải tệp Word (.docx): đây là tệp Word "
            "97–2003 (.doc).",
        ),
        (
            "trong.docx",
            lambda p: p.write_bytes(b""),
            "không phải tệp Word (.docx): tệp trống (0 byte).",
        ),
        (
            "trong.docx",
            lambda p: docx.Document().save(str(p)),
            "Tệp Word «trong.docx» trống: không có bảng, không có chữ.",
        ),
        (
            "chu.docx",
            lambda p: _text_only_docx(p),
            "Tệp Word cần một bảng: bảng thông tin tác phẩm (hai cột: mục | nội dung)",
        ),
        (
            "b.xlsx",
            lambda p: workbook(p, {"Sheet1": [["Họ tên", "Điện thoại"], ["A", "1"]]}),
            "Không nhận ra trang tính nào trong tệp Excel (các trang: «Sheet1»).",
        ),
        ("khong-co.docx", lambda p: None, "Không tìm thấy tệp"),
    ],
    ids=["pdf", "doc", "zero-bytes", "empty", "no-table", "no-sheet", "missing"],
)
def test_a_file_that_cannot_be_read_gets_a_clear_answer_and_nothing_is_written(
    root: Path, tmp_path: Path, name: str, make: object, message: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    before = files(root)
    result = CliRunner().invoke(app, ["content", "import", str(path), "--root", str(root)])
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert files(root) == before


def _text_only_docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Chỉ có chữ, không có bảng.")
    document.save(str(path))


def test_the_quiz_banks_are_checked_too(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> list[Problem]:
        return [Problem("content/quizzes/x.yaml", 3, "a question lost its passage")]

    monkeypatch.setattr(importer, "check_banks", broken)
    plan = plan_for(root, work_docx(tmp_path / "w.docx"))
    assert plan.problems == ["content/quizzes/x.yaml:3: a question lost its passage"]


def test_nothing_is_written_if_a_file_appeared_since_the_check(root: Path, tmp_path: Path) -> None:
    plan = plan_for(root, work_docx(tmp_path / "w.docx"), new_lesson(tmp_path))
    assert plan.problems == []
    (root / "works" / f"{WORK_ID}.md").write_text("someone else's", "utf-8")
    before = files(root)
    with pytest.raises(FileExistsError):
        importer.apply_import(root, plan)
    assert files(root) == before


def test_the_command_adds_a_work_a_theme_and_lessons_in_one_run(
    root: Path, tmp_path: Path
) -> None:
    rows = [[*r[:1], THEME_ID, *r[2:]] for r in GOOD]
    book = workbook(
        tmp_path / "cd.xlsx",
        {"Chuyên đề": [THEME_HEADERS, THEME_ROW], "Bài học": [HEADERS, *rows]},
    )
    work = work_docx(tmp_path / "w.docx")
    args = ["content", "import", str(work), str(book), "--root", str(root)]
    asked = CliRunner().invoke(app, args, input="n\n")
    assert asked.exit_code == 1 and "Đã hủy" in asked.output
    result = CliRunner().invoke(app, [*args, "--yes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Sẽ thêm 1 chuyên đề, 1 tác phẩm, 2 bài học:"
    assert f"  • {THEME_ID} — «{THEME_NAME}» (Tỉnh ủy Thanh Hóa, 2026)" in lines
    assert f"  • {WORK_ID} — {WORK_TITLE} (1950), 4 đoạn" in lines
    assert "  • cuop-ruong-dat — Chúng cướp không ruộng đất (tuyen-ngon-doc-lap-1945)" in lines
    assert lines[-1].startswith("Đã thêm 1 chuyên đề, 1 tác phẩm, 2 bài học.")
    catalog = load_catalog(root)
    assert WORK_ID in catalog.works and len(catalog.lessons_for(THEME_ID)) == 2


def test_a_problem_in_one_of_several_files_names_the_file(root: Path, tmp_path: Path) -> None:
    bad = work_docx(tmp_path / "w.docx", [*FIELDS[:2], ("Năm", "2030"), *FIELDS[3:]])
    args = ["content", "import", str(xlsx(tmp_path / "b.xlsx", GOOD)), str(bad)]
    result = CliRunner().invoke(app, [*args, "--root", str(root)])
    assert result.exit_code == 1
    assert "w.docx, bảng thông tin, dòng 3: Năm (year) phải trong khoảng" in result.output


# The templates in docs/templates/ have the shapes the import reads.


def test_the_work_template_is_refused_until_its_example_is_replaced(
    root: Path, tmp_path: Path
) -> None:
    template = TEMPLATES / "tac-pham.docx"
    plan = plan_for(root, template)
    assert plan.problems == [
        "văn bản sau bảng, đoạn 1: vẫn là đoạn ví dụ của mẫu («[Ví dụ]»); xóa các đoạn ví dụ rồi "
        "dán văn bản tác phẩm"
    ]
    document = docx.Document(str(template))
    examples = [p for p in document.paragraphs if p.text.startswith("[Ví dụ]")]
    assert len(examples) == 2
    for paragraph, text in zip(examples, PARAGRAPHS, strict=False):
        paragraph.text = text
    document.save(str(tmp_path / "filled.docx"))
    plan = plan_for(root, tmp_path / "filled.docx")
    assert [p.split(":")[0] for p in plan.problems] == [
        "bảng thông tin, dòng 4",  # the template's "tập …, tr. …"
        "bảng thông tin, dòng 5",
    ]
    table = document.tables[0]
    table.rows[3].cells[1].text, table.rows[4].cells[1].text = SOURCE, ""
    document.save(str(tmp_path / "filled.docx"))
    plan = plan_for(root, tmp_path / "filled.docx")
    assert plan.problems == []
    importer.apply_import(root, plan)
    work = load_catalog(root).works[plan.records[0].values["id"]]
    assert work.text == "\n\n".join(PARAGRAPHS[:2])


def test_the_theme_template_is_refused_until_its_examples_are_replaced(root: Path) -> None:
    plan = plan_for(root, TEMPLATES / "chuyen-de.xlsx")
    assert [r.kind for r in plan.records] == ["theme", "lesson"]
    assert [p.split(":")[0] for p in plan.problems] == [
        "trang «Chuyên đề», dòng 2",
        "trang «Bài học», dòng 2",
    ]


def test_the_lesson_template_is_still_read_as_lessons(root: Path) -> None:
    records = importer.read_records(TEMPLATES / "bai-hoc.xlsx")
    assert [(r.kind, r.row, r.values["id"]) for r in records] == [
        ("lesson", "dòng 2", "vi-du-bai-moi")
    ]
