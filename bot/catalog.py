"""The content pack (content/): works, themes and lessons, validated as a whole at load time.

Every problem is reported at once with its file and line, and nothing is returned unless all
of it is sound: a half-loaded catalog never reaches members. The models are in
bot.content_models; this module reads the files and checks what crosses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.content_models import GAP, Lesson, Status, Theme, Work
from bot.textnorm import nfc

__all__ = [
    "CONTENT",
    "PASSAGE_MAX",
    "UNCERTAIN",
    "Catalog",
    "ContentError",
    "Lesson",
    "Problem",
    "Theme",
    "Work",
    "check_catalog",
    "comparable",
    "load_catalog",
]

CONTENT = Path(__file__).resolve().parent.parent / "content"
PASSAGE_MAX = 900
UNCERTAIN = (
    "passage rests on a sentence whose copies disagree or that a source abridged"
    " (verification.uncertain); it cannot be quoted until it is checked against an edition"
)
_SPACES = re.compile(r"\s+")
_FRONT_MATTER = re.compile(r"^---\n(.*?)\n---[ \t]*(?:\n(.*))?\Z", re.DOTALL)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    file: str  # relative to the content folder's parent: "content/lessons/x/01.yaml"
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

    def lessons_for(self, theme_id: str) -> tuple[Lesson, ...]:
        """Return a theme's lessons in order (none for an unknown theme)."""
        return self.lessons.get(theme_id, ())

    def themes_for(self, year: int) -> tuple[Theme, ...]:
        """Return the themes studied in a year, national and chosen by committees."""
        return tuple(t for t in self.themes.values() if year in t.years)

    def at_least(self, minimum: Status) -> Catalog:
        """The catalog as members may see it when the operator requires `minimum` (Settings
        content_minimum_status): lessons on a withheld sentence or work are left out."""
        if minimum == "copy-only":
            return self
        works = {k: w.at_least(minimum) for k, w in self.works.items()}

        def shown(x: Lesson) -> bool:
            work = works[x.work]
            return work.quotable and work.status_of(x.passage) is not None

        lessons = {t: tuple(x for x in ls if shown(x)) for t, ls in self.lessons.items()}
        return Catalog(works, self.themes, {t: ls for t, ls in lessons.items() if ls})

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


class Reader:
    """Reads the files of one content folder, collecting problems instead of raising."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def problem(self, path: Path, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, message))

    def rel(self, path: Path) -> str:
        parent = self.root.parent
        return str(path.relative_to(parent)) if path.is_relative_to(parent) else str(path)

    def text(self, path: Path) -> str | None:
        try:  # utf-8-sig: Windows editors may start the file with a byte-order mark
            return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError as error:
            self.problem(path, None, f"not UTF-8 text (byte {error.start}); save it as UTF-8")
            return None

    def mapping(
        self, text: str, path: Path, offset: int = 0
    ) -> tuple[dict[str, Any] | None, dict[str, int]]:
        """Parse YAML key: value pairs and the line of each key (offset: lines above it)."""
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 + offset if mark is not None else None
            self.problem(path, line, f"not valid YAML: {error}".split("\n")[0])
            return None, {}
        if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
            self.problem(path, 1 + offset, "expected key: value pairs")
            return None, {}
        lines: dict[str, int] = {}
        for key, _ in node.value:
            line = key.start_mark.line + 1 + offset
            if str(key.value) in lines:
                self.problem(path, line, f"{key.value!r} is given twice")
            lines.setdefault(str(key.value), line)
        return data, lines

    def model(
        self, model: type[M], data: dict[str, Any], lines: dict[str, int], path: Path
    ) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as error:
            for item in error.errors():
                loc = [str(x) for x in item["loc"]]  # ("variants", 2) → "variants[2]"
                name = loc[0] + "".join(f"[{x}]" for x in loc[1:]) if loc else ""
                message = item["msg"].removeprefix("Value error, ")
                line = lines.get(loc[0]) if loc else None
                self.problem(path, line, f"{name}: {message}" if name else message)
            return None

    def named_after_id(self, path: Path, item_id: str, lines: dict[str, int]) -> bool:
        if path.stem == item_id:
            return True
        self.problem(path, lines.get("id"), f"the file must be named {item_id}{path.suffix}")
        return False


def _load(root: Path) -> tuple[Catalog, list[Problem]]:
    reader = Reader(root)
    for folder in ("works", "themes", "lessons"):
        if not (root / folder).is_dir():
            reader.problem(root / folder, None, "folder not found")
    works = _load_works(reader)
    themes = _load_themes(reader)
    lessons = _load_lessons(reader, works, themes)
    return Catalog(works, themes, lessons), reader.problems


def _load_works(reader: Reader) -> dict[str, Work]:
    works: dict[str, Work] = {}
    for path in sorted((reader.root / "works").glob("*.md")):
        raw = reader.text(path)
        if raw is None:
            continue
        match = _FRONT_MATTER.match(raw)
        if match is None:
            reader.problem(path, 1, "expected a front matter between two '---' lines")
            continue
        data, lines = reader.mapping(match.group(1), path, offset=1)
        if data is None:
            continue
        if "text" in data:
            reader.problem(path, lines["text"], "text: goes below the front matter, not in it")
        data["text"] = (match.group(2) or "").rstrip("\n")
        work = reader.model(Work, data, lines, path)
        if work is None or not reader.named_after_id(path, work.id, lines):
            continue
        if work.has_text != bool(work.paragraphs):
            why = "true but there is no" if work.has_text else "false but there is"
            reader.problem(path, lines.get("has_text"), f"has_text is {why} text below it")
        works[work.id] = work  # the file name is the id, so two files cannot share one
    return works


def _load_themes(reader: Reader) -> dict[str, Theme]:
    themes: dict[str, Theme] = {}
    for path in sorted((reader.root / "themes").glob("*.yaml")):
        raw = reader.text(path)
        data, lines = reader.mapping(raw, path) if raw is not None else (None, {})
        theme = reader.model(Theme, data, lines, path) if data is not None else None
        if theme is not None and reader.named_after_id(path, theme.id, lines):
            themes[theme.id] = theme
    return themes


def _load_lessons(
    reader: Reader, works: dict[str, Work], themes: dict[str, Theme]
) -> dict[str, tuple[Lesson, ...]]:
    found: dict[str, list[Lesson]] = {}
    files: dict[str, Path] = {}
    checker = _PassageChecker(reader, works)
    for path in sorted((reader.root / "lessons").glob("*/*.yaml")):
        raw = reader.text(path)
        data, lines = reader.mapping(raw, path) if raw is not None else (None, {})
        if data is None:
            continue
        theme_id = path.parent.name
        if data.setdefault("theme", theme_id) != theme_id:
            reader.problem(path, lines.get("theme"), f"theme: the file is in {theme_id!r}/")
            data["theme"] = theme_id
        lesson = reader.model(Lesson, data, lines, path)
        if lesson is None:
            continue
        theme = themes.get(theme_id)
        if theme is None:
            reader.problem(path, None, f"folder names no theme: {theme_id!r}")
        elif not theme.found:
            reader.problem(path, None, f"theme {theme_id!r} has no official name yet")
        if lesson.id in files:
            where = reader.rel(files[lesson.id])
            reader.problem(path, lines.get("id"), f"duplicate lesson id {lesson.id!r} ({where})")
            continue
        files[lesson.id] = path
        checker.check(lesson, lines, path)
        found.setdefault(theme_id, []).append(lesson)
    return {t: tuple(sorted(ls, key=lambda x: (x.order, x.id))) for t, ls in found.items()}


class _PassageChecker:
    """Checks a lesson against its work and against every passage already used."""

    def __init__(self, reader: Reader, works: dict[str, Work]) -> None:
        self.reader, self.works = reader, works
        self.texts = {w.id: comparable(w.text) for w in works.values()}
        self.used: dict[str, str] = {}  # comparable passage → lesson id
        self.spans: dict[str, list[tuple[int, int, str]]] = {}  # work id → used spans

    def check(self, lesson: Lesson, lines: dict[str, int], path: Path) -> None:
        def report(key: str, message: str) -> None:
            self.reader.problem(path, lines.get(key), message)

        work = self.works.get(lesson.work)
        if work is None or not work.quotable:
            why = "no such work" if work is None else "that work has no verified text"
            if work is not None and work.has_text:
                why = "that work's attribution is provisional"
            report("work", f"{why}: {lesson.work!r}")
            return
        if comparable(work.title) not in comparable(lesson.citation):
            report("citation", f"citation does not name the work {work.title!r}")
        passage = comparable(lesson.passage)
        if len(lesson.passage) > PASSAGE_MAX:
            report(
                "passage", f"passage is {len(lesson.passage)} characters; at most {PASSAGE_MAX}"
            )
        start = self.texts[work.id].find(passage)
        if GAP in passage:
            report("passage", f"passage includes the mark {GAP} of missing material")
        elif start < 0:
            report("passage", f"passage is not found word for word in {work.id!r}")
        elif work.status_of(passage) is None:
            report("passage", UNCERTAIN)
        elif passage in self.used:
            report("passage", f"passage already used by lesson {self.used[passage]!r}")
        else:
            end = start + len(passage)
            spans = self.spans.setdefault(work.id, [])
            other = next((i for s, e, i in spans if s < end and start < e), None)
            if other is not None:
                report("passage", f"passage overlaps the passage of lesson {other!r}")
            spans.append((start, end, lesson.id))
        self.used.setdefault(passage, lesson.id)
