"""The content pack (content/): works, themes and lessons, validated as a whole at load time.

Every problem is reported at once with its file and line, and nothing is returned unless all
of it is sound: a half-loaded catalog never reaches members.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.textnorm import nfc

CONTENT = Path(__file__).resolve().parent.parent / "content"
PASSAGE_MAX = 900
_ID = r"^[a-z0-9][a-z0-9-]{1,79}$"
_SPACES = re.compile(r"\s+")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


M = TypeVar("M", bound=_Model)


class Work(_Model):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=2)
    year: int = Field(ge=1890, le=1969)
    has_text: bool
    completeness: str
    source: str = ""
    retrieved_from: str = ""
    citation: str | None = None
    text: str = ""


class Theme(_Model):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=10)
    kind: str = Field(pattern=r"^(term|annual)$")
    years: tuple[int, ...] = Field(min_length=1)
    owner: str = Field(min_length=2)  # "national" or the committee that chose it
    sources: tuple[str, ...] = Field(min_length=1)
    variant: str | None = None


class Lesson(_Model):
    id: str = Field(pattern=_ID)
    order: int = Field(ge=1)
    title: str = Field(min_length=2, max_length=120)
    work: str
    citation: str = Field(min_length=5)
    passage: str = Field(min_length=20)
    note: str = Field(min_length=40, max_length=700)
    question: str = Field(min_length=10, max_length=300)
    theme: str = ""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class ContentError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Catalog:
    works: dict[str, Work]
    themes: dict[str, Theme]
    lessons: dict[str, tuple[Lesson, ...]] = field(default_factory=dict)  # by theme, in order

    def lesson(self, lesson_id: str) -> Lesson | None:
        """Return a lesson by id, or None if it was removed from the content."""
        return next((x for ls in self.lessons.values() for x in ls if x.id == lesson_id), None)

    @property
    def lesson_count(self) -> int:
        return sum(len(ls) for ls in self.lessons.values())


def comparable(text: str) -> str:
    """Normalise only what copies legitimately differ in: whitespace, Unicode form, ǎ → ă."""
    return _SPACES.sub(" ", nfc(text)).strip()


def load_catalog(root: Path = CONTENT) -> Catalog:
    """Load and check the whole content pack, or raise ContentError listing every problem."""
    catalog, problems = _load(root)
    if problems:
        raise ContentError(problems)
    return catalog


def check_catalog(root: Path = CONTENT) -> list[Problem]:
    """Return every problem in the content pack (empty when it is sound)."""
    return _load(root)[1]


def _load(root: Path) -> tuple[Catalog, list[Problem]]:
    problems: list[Problem] = []
    works = _load_works(root, problems)
    themes: dict[str, Theme] = {}
    for path in sorted((root / "themes").glob("*.yaml")):
        theme = _model(Theme, path, root, problems)
        if theme is not None:
            _unique(themes, theme, path, root, problems)
    lessons = _load_lessons(root, works, themes, problems)
    return Catalog(works, themes, lessons), problems


def _load_works(root: Path, problems: list[Problem]) -> dict[str, Work]:
    works: dict[str, Work] = {}
    for path in sorted((root / "works").glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        match = re.match(r"^---\n(.*?)\n---\n(.*)$", raw, re.DOTALL)
        if match is None:
            problems.append(Problem(_rel(path, root), 1, "missing the --- front matter ---"))
            continue
        data, lines = _yaml(match.group(1), path, root, problems)
        if data is None:
            continue
        data["text"] = match.group(2).rstrip("\n")
        work = _validate(Work, data, lines, path, root, problems)
        if work is None:
            continue
        if work.has_text != bool(work.text.strip()):
            problems.append(
                Problem(
                    _rel(path, root),
                    lines.get("has_text"),
                    "has_text does not match the text below the front matter",
                )
            )
        _unique(works, work, path, root, problems)
    return works


def _load_lessons(
    root: Path, works: dict[str, Work], themes: dict[str, Theme], problems: list[Problem]
) -> dict[str, tuple[Lesson, ...]]:
    found: dict[str, list[Lesson]] = {}
    seen_ids: dict[str, Lesson] = {}
    passages: dict[str, str] = {}
    for path in sorted((root / "lessons").glob("*/*.yaml")):
        theme_id = path.parent.name
        data, lines = _yaml(path.read_text(encoding="utf-8"), path, root, problems)
        if data is None:
            continue
        data["theme"] = theme_id
        lesson = _validate(Lesson, data, lines, path, root, problems)
        if lesson is None:
            continue
        where = _rel(path, root)
        if theme_id not in themes:
            problems.append(Problem(where, None, f"folder names no theme: {theme_id!r}"))
        if lesson.id in seen_ids:
            problems.append(Problem(where, lines.get("id"), f"duplicate lesson id {lesson.id!r}"))
            continue
        seen_ids[lesson.id] = lesson
        work = works.get(lesson.work)
        if work is None or not work.has_text:
            why = "no such work" if work is None else "that work has no verified text"
            problems.append(Problem(where, lines.get("work"), f"{why}: {lesson.work!r}"))
        elif comparable(lesson.passage) not in comparable(work.text):
            problems.append(
                Problem(
                    where,
                    lines.get("passage"),
                    f"passage is not found word for word in {work.id!r}",
                )
            )
        if len(lesson.passage) > PASSAGE_MAX:
            problems.append(
                Problem(
                    where,
                    lines.get("passage"),
                    f"passage is {len(lesson.passage)} characters; at most {PASSAGE_MAX}",
                )
            )
        key = comparable(lesson.passage)
        if key in passages:
            problems.append(
                Problem(
                    where,
                    lines.get("passage"),
                    f"passage already used by lesson {passages[key]!r}",
                )
            )
        passages.setdefault(key, lesson.id)
        found.setdefault(theme_id, []).append(lesson)
    return {t: tuple(sorted(ls, key=lambda x: x.order)) for t, ls in found.items()}


def _yaml(
    text: str, path: Path, root: Path, problems: list[Problem]
) -> tuple[dict[str, Any] | None, dict[str, int]]:
    """Parse YAML, remembering the line of each top-level key for error messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(Problem(_rel(path, root), line, f"not valid YAML: {error}".split("\n")[0]))
        return None, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        problems.append(Problem(_rel(path, root), 1, "expected key: value pairs"))
        return None, {}
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return data, lines


def _validate(
    model: type[M],
    data: dict[str, Any],
    lines: dict[str, int],
    path: Path,
    root: Path,
    problems: list[Problem],
) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else ""
            problems.append(
                Problem(_rel(path, root), lines.get(name), f"{name or 'file'}: {item['msg']}")
            )
        return None


def _model(model: type[M], path: Path, root: Path, problems: list[Problem]) -> M | None:
    data, lines = _yaml(path.read_text(encoding="utf-8"), path, root, problems)
    return None if data is None else _validate(model, data, lines, path, root, problems)


def _unique(
    into: dict[str, Any], item: Work | Theme, path: Path, root: Path, problems: list[Problem]
) -> None:
    if item.id in into:
        problems.append(Problem(_rel(path, root), None, f"duplicate id {item.id!r}"))
    else:
        into[item.id] = item


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
