"""Importing lessons from a spreadsheet, a Word table or Markdown, without touching code.

The new lessons are written into a copy of the content pack and the whole copy is checked;
only if it is sound are the files written into content/, all of them or none.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.catalog import Problem, check_catalog
from bot.textnorm import fold
from bot.texts import content as t

COLUMNS = ("id", "theme", "order", "title", "work", "citation", "passage", "note", "question")
# Vietnamese headers a Ban Tuyên giáo may prefer in its spreadsheet.
ALIASES = {
    "ma": "id",
    "ma bai": "id",
    "chu de": "theme",
    "thu tu": "order",
    "tieu de": "title",
    "ten bai": "title",
    "tac pham": "work",
    "trich dan nguon": "citation",
    "nguon": "citation",
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


class ContentImportError(Exception):
    """A file that cannot be read as lessons; reported before anything is checked."""


@dataclass
class Record:
    row: str  # "dòng 4" / "bảng 1, dòng 3": where the person finds it in their file
    values: dict[str, Any]


@dataclass
class Plan:
    records: list[Record]
    files: dict[Path, str] = field(default_factory=dict)  # relative path → YAML text
    problems: list[str] = field(default_factory=list)


def read_records(path: Path) -> list[Record]:
    """Read lesson records from .xlsx, .docx (a table) or .md (front matter and sections)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _from_rows(_xlsx_rows(path), t.ROW)
    if suffix == ".docx":
        return _from_rows(_docx_rows(path), t.TABLE_ROW)
    if suffix == ".md":
        return [_from_markdown(path)]
    raise ContentImportError(t.unsupported_format(suffix))


def plan_import(root: Path, records: list[Record]) -> Plan:
    """Check the records together with the existing content; nothing is written."""
    plan = Plan(records)
    for record in records:
        missing = [c for c in COLUMNS if not str(record.values.get(c) or "").strip()]
        if missing:
            plan.problems.append(t.row_missing(record.row, missing))
            continue
        theme, lesson_id = str(record.values["theme"]).strip(), str(record.values["id"]).strip()
        relative = Path("lessons") / theme / f"{int(record.values['order']):02d}-{lesson_id}.yaml"
        if relative in plan.files or (root / relative).exists():
            plan.problems.append(t.file_exists(record.row, str(relative)))
            continue
        plan.files[relative] = _lesson_yaml(record.values)
    if plan.problems:
        return plan
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / "content"
        shutil.copytree(root, trial)
        for relative, text in plan.files.items():
            (trial / relative).parent.mkdir(parents=True, exist_ok=True)
            (trial / relative).write_text(text, "utf-8")
        rows = {
            str(Path("content") / rel): r.row for rel, r in zip(plan.files, records, strict=True)
        }
        plan.problems = [_where(p, rows) for p in check_catalog(trial)]
    return plan


def apply_import(root: Path, plan: Plan) -> None:
    """Write a sound plan's files: all are written to temporary names first, then renamed."""
    if plan.problems:
        raise ValueError("a plan with problems cannot be applied")
    staged: list[tuple[Path, Path]] = []
    for relative, text in plan.files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".importing")
        temporary.write_text(text, "utf-8")
        staged.append((temporary, target))
    for temporary, target in staged:
        temporary.replace(target)


def _where(problem: Problem, rows: dict[str, str]) -> str:
    row = rows.get(problem.file)
    return f"{row}: {problem.message}" if row else str(problem)


class _Block(str):
    """A string written as a YAML literal block, so a passage stays readable in the file."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Block, lambda d, data: d.represent_scalar("tag:yaml.org,2002:str", data, style="|")
)


def _lesson_yaml(values: dict[str, Any]) -> str:
    doc = {
        "id": str(values["id"]).strip(),
        "order": int(values["order"]),
        "title": str(values["title"]).strip(),
        "work": str(values["work"]).strip(),
        "citation": str(values["citation"]).strip(),
        "passage": _Block(str(values["passage"]).strip()),
        "note": str(values["note"]).strip(),
        "question": str(values["question"]).strip(),
    }
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=99)


def _header(cell: Any) -> str:
    name = fold(str(cell or ""))
    return ALIASES.get(name, name.replace(" ", "_"))


def _from_rows(rows: list[list[Any]], label: str) -> list[Record]:
    if not rows:
        raise ContentImportError(t.no_data())
    headers = [_header(c) for c in rows[0]]
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        raise ContentImportError(t.missing_columns(missing, COLUMNS))
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in row):
            continue
        values = {h: row[i] if i < len(row) else None for i, h in enumerate(headers)}
        records.append(Record(f"{label} {number}", values))
    return records


def _xlsx_rows(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise ContentImportError(t.unreadable("Excel", str(error))) from error
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _docx_rows(path: Path) -> list[list[Any]]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a non-docx file
        raise ContentImportError(t.unreadable("Word", str(error))) from error
    if not document.tables:
        raise ContentImportError(t.word_needs_table())
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def _from_markdown(path: Path) -> Record:
    text = path.read_text("utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.DOTALL)
    if match is None:
        raise ContentImportError(t.markdown_needs_front_matter())
    values = yaml.safe_load(match.group(1)) or {}
    if not isinstance(values, dict):
        raise ContentImportError(t.markdown_needs_front_matter())
    for part in re.split(r"^## ", match.group(2), flags=re.MULTILINE)[1:]:
        heading, _, body = part.partition("\n")
        key = MD_SECTIONS.get(fold(heading))
        if key:
            values[key] = body.strip()
    return Record(path.name, values)
