"""Importing works, themes and lessons from Word, Excel or Markdown, without touching code.

What a file holds is told from its content:
- .docx: a first table of two columns (field | value) is a work, and the paragraphs after it are
  its text; a first table whose first row names the lesson columns holds lessons;
- .xlsx: a sheet "Chuyên đề" (or "Themes") holds themes, a sheet "Bài học" (or "Lessons", or
  the first other sheet) holds lessons; a sheet with another name is recognised by its headers;
- .md: front matter with `kind` is a theme, with `year` (and no lesson keys) a work, placed as
  it is; anything else is a lesson with ## sections.

The new files are written into a copy of the content pack and the whole copy is checked (works,
themes, lessons and the quiz banks); only if it is sound are the files written into content/,
all of them or none.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.catalog import Problem, check_catalog, load_catalog
from bot.content_models import ID
from bot.quizbank import check_banks
from bot.textnorm import fold
from bot.texts import content as t

Kind = Literal["theme", "work", "lesson"]

# The template's example rows and paragraphs start with this, so an unedited template is refused.
EXAMPLE = "[Ví dụ]"
YEARS = (1890, 1969)  # Work.year: the years Hồ Chí Minh wrote in
COMPLETENESS = "Toàn văn theo nguồn trên"
TEMPLATE_GAP = "…"  # the template's "tập …, tr. …": a blank the person must fill in

COLUMNS = ("id", "theme", "order", "title", "work", "citation", "passage", "note", "question")
# Vietnamese headers a Ban Tuyên giáo may prefer in its spreadsheet (folded: no diacritics).
ALIASES = {
    "ma": "id",
    "ma bai": "id",
    "chu de": "theme",
    "chuyen de": "theme",
    "thu tu": "order",
    "tieu de": "title",
    "ten bai": "title",
    "tac pham": "work",
    "trich dan nguon": "citation",
    "nguon": "citation",
    "trich dan": "citation",
    "doan trich": "passage",
    "trich doan": "passage",
    "ghi chu": "note",
    "cau hoi": "question",
    "cau hoi lien he": "question",
}
MD_SECTIONS = {
    "doan trich": "passage",
    "ghi chu": "note",
    "cau hoi lien he": "question",
    "cau hoi": "question",
}

THEME_COLUMNS = ("id", "kind", "years", "owner", "name", "sources")
THEME_ALIASES = {
    "ma": "id",
    "ma chuyen de": "id",
    "loai": "kind",
    "nam": "years",
    "year": "years",
    "cap uy": "owner",
    "ten chuyen de": "name",
    "ten": "name",
    "nguon": "sources",
    "source": "sources",
    "ghi chu": "notes",
}
THEME_KINDS = {
    "nam": "annual",
    "hang nam": "annual",
    "chuyen de nam": "annual",
    "annual": "annual",
    "nhiem ky": "term",
    "toan khoa": "term",
    "chuyen de toan khoa": "term",
    "term": "term",
}
THEME_SHEETS = {"chuyen de", "themes", "theme"}
LESSON_SHEETS = {"bai hoc", "lessons", "lesson"}
GUIDE_SHEETS = {"huong dan", "guide"}  # instructions in a template, never imported

# The rows of a work's table (folded label → Work field).
WORK_FIELDS = {
    "ma": "id",
    "ma tac pham": "id",
    "id": "id",
    "ten tac pham": "title",
    "ten": "title",
    "tieu de": "title",
    "title": "title",
    "nam": "year",
    "year": "year",
    "nguon": "retrieved_from",
    "source": "retrieved_from",
    "trich dan": "citation",
    "citation": "citation",
    "muc day du": "completeness",
    "completeness": "completeness",
    "duong dan": "source",
    "url": "source",
    "link": "source",
    "xuat ban": "published",
    "published": "published",
    "ghi chu": "notes",
    "notes": "notes",
}
WORK_LABELS = {
    "id": "Mã (id)",
    "title": "Tên tác phẩm (title)",
    "year": "Năm (year)",
    "retrieved_from": "Nguồn (source)",
    "citation": "Trích dẫn (citation)",
    "completeness": "Mức đầy đủ (completeness)",
    "source": "Đường dẫn (url)",
    "published": "Xuất bản (published)",
    "notes": "Ghi chú (notes)",
}
_TABLE_HEADERS = {"muc", "truong", "thong tin", "field", "noi dung", "gia tri", "value"}
_LESSON_ONLY = {"theme", "order", "title", "work", "passage", "note", "question"}
_THEME_ONLY = {"kind", "years", "owner", "name", "sources"}
_ID = re.compile(ID)
_FRONT_MATTER = re.compile(r"^---\n(.*?)\n---[ \t]*(?:\n(.*))?\Z", re.DOTALL)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")


class ContentImportError(Exception):
    """A file that cannot be read at all; reported before anything is checked."""


@dataclass
class Record:
    row: str  # "dòng 4" / "bảng thông tin": where the person finds it in their file
    values: dict[str, Any]
    kind: Kind = "lesson"
    fields: dict[str, str] = field(default_factory=dict)  # a work's field → its row
    raw: str | None = None  # a .md work or theme, placed as it is
    problems: list[str] = field(default_factory=list)  # found while reading


@dataclass(frozen=True)
class _Origin:
    """Where the lines of a written file come from in the person's file."""

    label: str
    lines: dict[int, str] = field(default_factory=dict)
    offset: int | None = None  # a file placed as it is: its line + offset is the person's line

    def where(self, line: int | None) -> str:
        if line is not None and line in self.lines:
            return self.lines[line]
        if line is not None and self.offset is not None:
            return t.file_line(self.label, line + self.offset)
        return self.label


@dataclass
class Plan:
    records: list[Record]
    files: dict[Path, str] = field(default_factory=dict)  # relative path → text
    problems: list[str] = field(default_factory=list)
    origins: dict[str, _Origin] = field(default_factory=dict)  # "content/…" → origin

    def of(self, kind: Kind) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    def counts(self) -> tuple[int, int, int]:
        """How many themes, works and lessons the plan adds."""
        return len(self.of("theme")), len(self.of("work")), len(self.of("lesson"))


def read_records(path: Path, named: bool = False) -> list[Record]:
    """Read themes, works or lessons from .xlsx, .docx or .md (named: prefix the file name)."""
    if not path.is_file():
        raise ContentImportError(t.no_file(str(path)))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        records = _from_workbook(path)
    elif suffix == ".docx":
        records = _from_word(path)
    elif suffix == ".md":
        records = [_from_markdown(path)]
    else:
        raise ContentImportError(t.unsupported_format(suffix))
    if named:
        for record in records:
            record.row = f"{path.name}, {record.row}"
            record.fields = {k: f"{path.name}, {v}" for k, v in record.fields.items()}
    return records


def plan_import(root: Path, records: list[Record]) -> Plan:
    """Check the records together with the existing content; nothing is written."""
    plan = Plan(records)
    if not records:
        plan.problems.append(t.nothing_to_add())
    for record in records:
        plan.problems.extend(record.problems)
    if plan.problems:
        return plan
    for record in records:
        if any(EXAMPLE in str(v) for k, v in record.values.items() if k != "text"):
            plan.problems.append(t.example_left(record.row))
        elif record.kind == "theme":
            plan.problems.extend(_place_theme(root, record, plan))
        elif record.kind == "work":
            plan.problems.extend(_place_work(root, record, plan))
        else:
            plan.problems.extend(_place_lesson(root, record, plan))
    if plan.problems:
        return plan
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / "content"
        shutil.copytree(root, trial)
        for relative, text in plan.files.items():
            (trial / relative).parent.mkdir(parents=True, exist_ok=True)
            (trial / relative).write_text(text, "utf-8")
        problems = check_catalog(trial)
        if not problems:  # the quiz banks do not change, but they are checked against the works
            problems = check_banks(trial, load_catalog(trial))
        plan.problems = [_where(p, plan.origins) for p in problems]
    return plan


def apply_import(root: Path, plan: Plan) -> None:
    """Write a sound plan's files: all are written to temporary names first, then renamed."""
    if plan.problems:
        raise ValueError("a plan with problems cannot be applied")
    taken = [str(r) for r in plan.files if (root / r).exists()]
    if taken:  # added by someone else since the plan was checked
        raise FileExistsError(", ".join(taken))
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, text in plan.files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".importing")
            temporary.write_text(text, "utf-8")
            staged.append((temporary, target))
    except OSError:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        temporary.replace(target)


def preview(plan: Plan) -> list[str]:
    """The lines that say what a plan adds, in Vietnamese: themes, then works, then lessons."""
    lines = [t.preview(*plan.counts())]
    themes, works, lessons = plan.of("theme"), plan.of("work"), plan.of("lesson")
    if themes:
        lines.append(t.THEMES)
        for r in themes:
            v = r.values
            lines.append(t.theme_line(_text(v.get("id")), _text(v.get("name")), _owner_years(v)))
    if works:
        lines.append(t.WORKS)
        for r in works:
            v = r.values
            count = len([p for p in str(v.get("text") or "").split("\n\n") if p.strip()])
            title, year = _text(v.get("title")), _text(v.get("year"))
            lines.append(t.work_line(_text(v.get("id")), title, year, count))
            source = _text(v.get("retrieved_from")) or _text(v.get("source"))
            lines.append(t.work_source(source, _text(v.get("citation"))))
    if lessons:
        lines.append(t.LESSONS)
        for r in lessons:
            v = r.values
            lines.append(
                t.preview_line(_text(v.get("id")), _text(v.get("title")), _text(v["work"]))
            )
    return lines


# Placing each record: its file's path and text, or what is wrong with it.


def _place_lesson(root: Path, record: Record, plan: Plan) -> list[str]:
    values, row = record.values, record.row
    missing = [c for c in COLUMNS if _blank(values.get(c))]
    if missing:
        return [t.row_missing(row, missing)]
    theme, lesson_id = _text(values["theme"]), _text(values["id"])
    problems = [t.bad_id(row, x) for x in dict.fromkeys((lesson_id, theme)) if not _ID.match(x)]
    order = _integer(values["order"])
    if order is None or order < 1:
        problems.append(t.bad_order(row, _text(values["order"])))
    if problems or order is None:
        return problems
    relative = Path("lessons") / theme / f"{order:02d}-{lesson_id}.yaml"
    if relative in plan.files or (root / relative).exists():
        return [t.file_exists(row, str(relative))]
    doc = {
        "id": lesson_id,
        "order": order,
        "title": _text(values["title"]),
        "work": _text(values["work"]),
        "citation": _text(values["citation"]),
        "passage": _Block(_text(values["passage"])),
        "note": _text(values["note"]),
        "question": _text(values["question"]),
    }
    _add(plan, relative, _dump(doc), _Origin(row))
    return []


def _place_theme(root: Path, record: Record, plan: Plan) -> list[str]:
    if record.raw is not None:
        return _place_as_is(root, record, plan, "themes", ".yaml", offset=1)
    values, row = record.values, record.row
    if _blank(values.get("name")):
        return [t.theme_without_name(row)]
    missing = [c for c in THEME_COLUMNS if _blank(values.get(c))]
    if missing:
        return [t.row_missing(row, missing)]
    problems = []
    theme_id = _text(values["id"])
    if not _ID.match(theme_id):
        problems.append(t.bad_id(row, theme_id))
    kind = THEME_KINDS.get(fold(_text(values["kind"])))
    if kind is None:
        problems.append(t.bad_kind(row, _text(values["kind"])))
    years = _years(values["years"])
    if years is None:
        problems.append(t.bad_years(row, _text(values["years"])))
    sources = [s.strip() for s in re.split(r"[\n;]", _text(values["sources"])) if s.strip()]
    if problems or years is None:
        return problems
    relative = Path("themes") / f"{theme_id}.yaml"
    if relative in plan.files or (root / relative).exists():
        return [t.theme_exists(row, theme_id, str(relative))]
    doc: dict[str, Any] = {
        "id": theme_id,
        "kind": kind,
        "years": _Flow(years),
        "owner": _text(values["owner"]),
        "status": "found",
        "name": _text(values["name"]),
        "sources": sources,
    }
    if not _blank(values.get("notes")):
        doc["notes"] = _text(values["notes"])
    _add(plan, relative, _dump(doc), _Origin(row))
    return []


def _place_work(root: Path, record: Record, plan: Plan) -> list[str]:
    if record.raw is not None:
        return _place_as_is(root, record, plan, "works", ".md", offset=0)
    values, row = record.values, record.row

    def at(key: str) -> str:
        return record.fields.get(key, row)

    problems = []
    title = _text(values.get("title"))
    if not title:
        problems.append(t.work_missing(row, WORK_LABELS["title"]))
    year = _integer(values.get("year"))
    if _blank(values.get("year")):
        problems.append(t.work_missing(row, WORK_LABELS["year"]))
    elif year is None:
        problems.append(t.bad_year(at("year"), _text(values["year"])))
    elif not YEARS[0] <= year <= YEARS[1]:
        problems.append(t.year_out_of_range(at("year"), year, *YEARS))
    if _blank(values.get("retrieved_from")):
        problems.append(t.work_without_source(row))
    for key in ("retrieved_from", "citation"):  # the template's "tập …, tr. …" left unfilled
        if TEMPLATE_GAP in _text(values.get(key)):
            problems.append(t.template_gap_left(at(key), WORK_LABELS[key], key == "citation"))
    work_id = _text(values.get("id")) or (_slug(title, year) if title and year else "")
    if work_id and not _ID.match(work_id):
        problems.append(t.bad_id(at("id"), work_id))
    text = str(values.get("text") or "")
    if not text.strip():
        problems.append(t.work_without_text())
    if problems:
        return problems
    values["id"] = work_id
    relative = Path("works") / f"{work_id}.md"
    if relative in plan.files or (root / relative).exists():
        return [t.work_exists(at("id"), work_id, str(relative))]
    doc: dict[str, Any] = {
        "id": work_id,
        "title": title,
        "year": year,
        "has_text": True,
        "attribution": "confirmed",
        "completeness": _text(values.get("completeness")) or COMPLETENESS,
    }
    for key in ("published", "source", "retrieved_from"):
        if not _blank(values.get(key)):
            doc[key] = _text(values[key])
    doc["citation"] = _text(values.get("citation")) or None
    notes = [_text(values["notes"])] if not _blank(values.get("notes")) else []
    doc["notes"] = [*notes, t.work_note(values.get("file", ""))]
    front = _dump(doc)
    node = yaml.compose(front, Loader=yaml.SafeLoader)
    lines = {  # the front matter starts on line 2, below the first "---"
        key.start_mark.line + 2: at(str(key.value)) for key, _ in getattr(node, "value", [])
    }
    _add(plan, relative, f"---\n{front}---\n{text}\n", _Origin(row, lines))
    return []


def _place_as_is(
    root: Path, record: Record, plan: Plan, folder: str, suffix: str, offset: int
) -> list[str]:
    item_id = _text(record.values.get("id"))
    if not _ID.match(item_id):
        return [t.bad_id(record.row, item_id)]
    relative = Path(folder) / f"{item_id}{suffix}"
    if relative in plan.files or (root / relative).exists():
        exists = t.work_exists if record.kind == "work" else t.theme_exists
        return [exists(record.row, item_id, str(relative))]
    _add(plan, relative, record.raw or "", _Origin(record.row, offset=offset))
    return []


def _add(plan: Plan, relative: Path, text: str, origin: _Origin) -> None:
    plan.files[relative] = text
    plan.origins[str(Path("content") / relative)] = origin


def _where(problem: Problem, origins: dict[str, _Origin]) -> str:
    origin = origins.get(problem.file)
    return f"{origin.where(problem.line)}: {problem.message}" if origin else str(problem)


# Values as people type them.


def _blank(value: Any) -> bool:
    return not str(value if value is not None else "").strip()


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 2025 as 2025.0
    return str(value if value is not None else "").strip()


def _integer(value: Any) -> int | None:
    text = _text(value)
    return int(text) if text.isdigit() else None


def _years(value: Any) -> list[int] | None:
    text = _text(value)
    if match := _YEAR_RANGE.match(text):
        first, last = int(match.group(1)), int(match.group(2))
        return list(range(first, last + 1)) if first <= last <= first + 10 else None
    parts = [p.strip() for p in re.split(r"[,;\s]+", text) if p.strip()]
    if parts and all(len(p) == 4 and p.isdigit() for p in parts):
        return sorted({int(p) for p in parts})
    return None


def _slug(title: str, year: int | None) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")
    return f"{words[:70].rstrip('-')}-{year}"


def _owner_years(values: dict[str, Any]) -> str:
    years = values.get("years")
    if isinstance(years, list | tuple):
        years = ", ".join(str(y) for y in years)
    return f"{_text(values.get('owner'))}, {_text(years)}"


class _Block(str):
    """A string written as a YAML literal block, so a passage stays readable in the file."""


class _Flow(list[int]):
    """A list written on one line: `years: [2025]`, as the shipped themes have it."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # "  - item", as the shipped files have it


_Dumper.add_representer(
    _Block, lambda d, data: d.represent_scalar("tag:yaml.org,2002:str", data, style="|")
)
_Dumper.add_representer(
    _Flow, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def _dump(doc: dict[str, Any]) -> str:
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=99)


# Reading the files.


def _header(cell: Any, aliases: dict[str, str]) -> str:
    name = fold(str(cell or ""))
    return aliases.get(name, name.replace(" ", "_"))


def _from_rows(
    rows: list[list[Any]],
    label: str,
    kind: Kind = "lesson",
    sheet: str | None = None,
) -> list[Record]:
    columns, aliases = (THEME_COLUMNS, THEME_ALIASES) if kind == "theme" else (COLUMNS, ALIASES)
    start = next((i for i, row in enumerate(rows) if any(not _blank(c) for c in row)), None)
    if start is None:
        raise ContentImportError(t.no_data())
    headers = [_header(c, aliases) for c in rows[start]]
    missing = [c for c in columns if c not in headers]
    if missing:
        raise ContentImportError(t.missing_columns(missing, columns, sheet))
    records = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        if all(_blank(c) for c in row):
            continue
        values = {h: row[i] if i < len(row) else None for i, h in enumerate(headers) if h}
        records.append(Record(f"{label} {number}", values, kind))
    return records


def _check_office_file(path: Path, kind: str) -> None:
    """Refuse a file that is not a zip package, saying what it seems to be."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        return
    if not head:
        what = t.EMPTY_FILE
    elif head.startswith(b"%PDF"):
        what = t.PDF_FILE
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what = t.OLD_OFFICE_FILE[kind]
    else:
        what = ""
    raise ContentImportError(t.not_office_file(kind, path.name, what))


def _from_workbook(path: Path) -> list[Record]:
    from openpyxl import load_workbook

    _check_office_file(path, "Excel")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheets = [
            (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
            for sheet in book.worksheets
        ]
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise ContentImportError(t.unreadable("Excel", str(error))) from error
    chosen: dict[Kind, tuple[str, list[list[Any]]]] = {}
    for title, rows in sheets:  # sheets named for what they hold come first
        name = fold(title)
        kind: Kind | None = (
            "theme" if name in THEME_SHEETS else "lesson" if name in LESSON_SHEETS else None
        )
        if kind is not None:
            chosen.setdefault(kind, (title, rows))
    for title, rows in sheets:  # then the first other sheet whose headers tell what it holds
        if fold(title) in THEME_SHEETS | LESSON_SHEETS | GUIDE_SHEETS:
            continue
        guess = _guess_sheet(rows)
        if guess is not None and guess not in chosen:
            chosen[guess] = (title, rows)
    if not chosen:
        raise ContentImportError(t.no_sheet([title for title, _ in sheets]))
    records: list[Record] = []
    for kind in ("theme", "lesson"):  # themes first: the lessons may be for a new theme
        if kind in chosen:
            title, rows = chosen[kind]
            label = t.sheet_row(title) if len(chosen) > 1 else t.ROW
            records += _from_rows(rows, label, kind, title if len(sheets) > 1 else None)
    return records


def _guess_sheet(rows: list[list[Any]]) -> Kind | None:
    """Tell a sheet with another name by its header row: lesson or theme columns, or neither."""
    first = next((row for row in rows if any(not _blank(c) for c in row)), [])
    lesson = {_header(c, ALIASES) for c in first} & _LESSON_ONLY
    theme = {_header(c, THEME_ALIASES) for c in first} & _THEME_ONLY
    if not lesson and not theme:
        return None
    return "theme" if len(theme) > len(lesson) else "lesson"


def _from_word(path: Path) -> list[Record]:
    import docx
    from docx.text.paragraph import Paragraph

    _check_office_file(path, "Word")
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a non-docx file
        raise ContentImportError(t.unreadable("Word", str(error))) from error
    if not document.tables:
        if not any(p.text.strip() for p in document.paragraphs):
            raise ContentImportError(t.word_empty(path.name))
        raise ContentImportError(t.word_needs_table())
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    if len(table.columns) != 2:
        return _from_rows(rows, t.TABLE_ROW)
    # A work: the paragraphs after its table are the text (the instructions above it are not).
    paragraphs: list[str] = []
    after, tables = False, 0
    for item in document.iter_inner_content():
        if not isinstance(item, Paragraph):
            tables += 1
            after = True
        elif after and item.text.strip():
            paragraphs.append(item.text)
    record = _work_from_table(rows, paragraphs, path.name)
    if tables > 1:
        record.problems.append(t.work_second_table())
    return [record]


def _work_from_table(rows: list[list[str]], paragraphs: list[str], name: str) -> Record:
    record = Record(t.WORK_TABLE, {}, "work")
    for number, row in enumerate(rows, start=1):
        label, value = row[0], row[1] if len(row) > 1 else ""
        if number == 1 and fold(label) in _TABLE_HEADERS:
            continue
        if _blank(label) and _blank(value):
            continue
        where = t.work_row(number)
        key = WORK_FIELDS.get(fold(label))
        if key is None:
            record.problems.append(t.unknown_work_field(where, label.strip(), WORK_LABELS))
        elif key in record.fields:
            record.problems.append(t.work_field_twice(where, label.strip(), record.fields[key]))
        else:
            record.fields[key] = where
            record.values[key] = value
    for number, paragraph in enumerate(paragraphs, start=1):
        if paragraph.lstrip().startswith(EXAMPLE):
            record.problems.append(t.example_paragraph(number))
            break
    record.values["text"] = "\n\n".join(paragraphs)
    record.values["file"] = name
    return record


def _from_markdown(path: Path) -> Record:
    try:  # utf-8-sig: Windows editors may start the file with a byte-order mark
        text = path.read_text("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise ContentImportError(t.not_utf8(path.name, error.start)) from error
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ContentImportError(t.markdown_needs_front_matter())
    try:
        values = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise ContentImportError(t.markdown_bad_yaml(path.name, line)) from error
    if not isinstance(values, dict):
        raise ContentImportError(t.markdown_needs_front_matter())
    body = match.group(2) or ""
    if "kind" in values:  # a theme, as in content/themes/*.yaml
        record = Record(path.name, values, "theme", raw=match.group(1) + "\n")
        if body.strip():
            record.problems.append(t.theme_markdown_body(path.name))
        return record
    if "year" in values and not values.keys() & {"theme", "work", "passage", "order"}:
        values["text"] = body
        return Record(path.name, values, "work", raw=text)
    for part in re.split(r"^## ", body, flags=re.MULTILINE)[1:]:
        heading, _, section = part.partition("\n")
        key = MD_SECTIONS.get(fold(heading))
        if key:
            values[key] = section.strip()
    return Record(path.name, values)
