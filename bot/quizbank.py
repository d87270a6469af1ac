"""The quiz banks (content/quizzes/<bank-id>.yaml), checked as a whole against the works.

Every question names the passage that settles its answer; the passage must be word for word in
its work (content/works/, through bot.catalog) or in content/facts.md (`work: facts`). Every
problem is reported at once with its file and line, the line of the question's own key where
there is one, and nothing is returned unless all of it is sound. The models are in
bot.quiz_models.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from bot.catalog import (
    CONTENT,
    PASSAGE_MAX,
    UNCERTAIN,
    Catalog,
    ContentError,
    Problem,
    Reader,
    comparable,
    load_catalog,
)
from bot.content_models import GAP, Work
from bot.quiz_lint import Finding, Item, leaking_pairs, lint
from bot.quiz_models import FACTS, Bank, Question, matchable

__all__ = [
    "FACTS_FILE",
    "QUIZZES",
    "Bank",
    "Question",
    "QuizBanks",
    "check_banks",
    "load_banks",
]

QUIZZES = "quizzes"  # the folder under content/
FACTS_FILE = "facts.md"  # under content/: facts about the practice, cited as `work: facts`
_QUOTED = re.compile(r"«([^»]*)»")
# A gap to fill in a quoted sentence, or " / " for a line break in quoted verse.
_BLANK = re.compile(r"…|\.\.\.|_{2,}|\s/\s")


@dataclass(frozen=True)
class QuizBanks:
    banks: dict[str, Bank]  # by id, in file order

    def question(self, question_id: str) -> Question | None:
        """Return a question by id, or None if it was removed from the content."""
        return next(
            (q for b in self.banks.values() for q in b.questions if q.id == question_id), None
        )

    def bank_of(self, question_id: str) -> Bank | None:
        """Return the bank that holds a question, or None."""
        return next(
            (b for b in self.banks.values() if any(q.id == question_id for q in b.questions)), None
        )

    def questions_for_work(self, work_id: str) -> tuple[Question, ...]:
        """Return every question citing a work ("facts" for the practice), bank by bank."""
        return tuple(q for b in self.banks.values() for q in b.questions if q.work == work_id)

    def shown_with(self, catalog: Catalog) -> QuizBanks:
        """The banks as members may see them with a catalog filtered by Catalog.at_least:
        a question on a withheld sentence or work is left out (reference facts stay)."""

        def shown(q: Question) -> bool:
            work = catalog.works.get(q.work)
            if q.is_reference:
                return True
            return work is not None and work.quotable and work.status_of(q.passage) is not None

        kept = {
            k: b.model_copy(update={"questions": tuple(q for q in b.questions if shown(q))})
            for k, b in self.banks.items()
        }
        return QuizBanks({k: b for k, b in kept.items() if b.questions})

    def lint(self) -> list[Finding]:
        """The quiz linter's findings, bank by bank (none for the shipped banks)."""
        return [
            f for b in self.banks.values() for f in lint(b.id, [_item(q) for q in b.questions])
        ]

    @cached_property
    def apart(self) -> frozenset[frozenset[str]]:
        """Pairs of questions of one bank where one stem gives the other's answer away: a round
        never holds both."""
        return frozenset(
            frozenset((a, b))
            for bank in self.banks.values()
            for a, b, _ in leaking_pairs([_item(q) for q in bank.questions])
        )

    @property
    def question_count(self) -> int:
        return sum(len(b.questions) for b in self.banks.values())


def _item(q: Question) -> Item:
    return Item(q.id, q.question, q.options, q.correct)


def load_banks(root: Path = CONTENT, catalog: Catalog | None = None) -> QuizBanks:
    """Load and check every quiz bank, or raise ContentError listing every problem.

    Pass the catalog if it is already loaded; otherwise the works are loaded from `root`.
    """
    banks, problems = _load(root, catalog)
    if problems:
        raise ContentError(problems)
    return banks


def check_banks(root: Path = CONTENT, catalog: Catalog | None = None) -> list[Problem]:
    """Return every problem in the quiz banks (empty when they are sound)."""
    return _load(root, catalog)[1]


def _load(root: Path, catalog: Catalog | None) -> tuple[QuizBanks, list[Problem]]:
    reader = Reader(root)
    folder = root / QUIZZES
    if not folder.is_dir():
        reader.problem(folder, None, "folder not found")
    for path in sorted(folder.glob("*.yml")):
        reader.problem(path, None, f"name the file {path.stem}.yaml")
    checker = _Checker(reader, _works(reader, catalog), _facts(reader))
    banks: dict[str, Bank] = {}
    for path in sorted(folder.glob("*.yaml")):
        bank = _load_bank(reader, checker, path)
        if bank is not None:
            banks[bank.id] = bank  # the file name is the id, so two files cannot share one
    return QuizBanks(banks), reader.problems


def _works(reader: Reader, catalog: Catalog | None) -> dict[str, Work] | None:
    if catalog is not None:
        return catalog.works
    try:
        return load_catalog(reader.root).works
    except ContentError as error:
        reader.problem(
            reader.root / "works",
            None,
            f"the content pack has {len(error.problems)} problem(s) (see `hocbac content check`),"
            " so no quiz question was checked against its work",
        )
        return None


def _facts(reader: Reader) -> str | None:
    path = reader.root / FACTS_FILE
    text = reader.text(path) if path.is_file() else None
    return comparable(text) if text is not None else None


def _load_bank(reader: Reader, checker: _Checker, path: Path) -> Bank | None:
    raw = reader.text(path)
    data, lines = reader.mapping(raw, path) if raw is not None else (None, {})
    if raw is None or data is None:
        return None
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        reader.model(Bank, data, lines, path)  # reports what is wrong with `questions`
        return None
    places = _item_lines(reader, raw, path)
    questions = [
        (question, where)
        for number, (item, where) in enumerate(zip(items, places, strict=True), 1)
        if (question := _question(reader, item, where, path, number)) is not None
    ]
    for question, where in questions:
        checker.check(question, where, path)
    if len(questions) < len(items):
        return None
    bank = reader.model(Bank, {**data, "questions": [q for q, _ in questions]}, lines, path)
    if bank is None or not reader.named_after_id(path, bank.id, lines):
        return None
    return bank


def _item_lines(reader: Reader, raw: str, path: Path) -> list[dict[str, int]]:
    """The line of each key of each question (and "-" for the item itself)."""
    root = yaml.compose(raw, Loader=yaml.SafeLoader)  # it parsed once already
    found: list[dict[str, int]] = []
    if not isinstance(root, yaml.MappingNode):
        return found
    given = [v for k, v in root.value if k.value == "questions"]  # the last one counts
    sequence = given[-1] if given else None
    if not isinstance(sequence, yaml.SequenceNode):
        return found
    for item in sequence.value:
        lines = {"-": item.start_mark.line + 1}
        if isinstance(item, yaml.MappingNode):
            for key, _ in item.value:
                line = key.start_mark.line + 1
                if str(key.value) in lines:
                    reader.problem(path, line, f"{key.value!r} is given twice in one question")
                lines.setdefault(str(key.value), line)
        found.append(lines)
    return found


def _question(
    reader: Reader, item: object, lines: dict[str, int], path: Path, number: int
) -> Question | None:
    """Validate one question; its problems name it and point at its own lines."""
    if not isinstance(item, dict):
        reader.problem(path, lines.get("-"), f"question {number}: expected key: value pairs")
        return None
    data: dict[str, Any] = item
    before = len(reader.problems)
    question = reader.model(Question, data, lines, path)
    label = data.get("id") or f"{number}"
    reader.problems[before:] = [
        replace(
            p,
            line=p.line or lines.get("id", lines.get("-")),
            message=f"question {label}: {p.message}",
        )
        for p in reader.problems[before:]
    ]
    return question


class _Checker:
    """Checks each question against its work and against every question already read."""

    def __init__(self, reader: Reader, works: dict[str, Work] | None, facts: str | None) -> None:
        self.reader, self.works, self.facts = reader, works, facts
        self.texts = {w.id: comparable(w.text) for w in (works or {}).values() if w.quotable}
        self.titles = {matchable(w.title) for w in (works or {}).values()}  # «Dân vận» is no quote
        self.ids: dict[str, str] = {}  # question id → "file:line"
        self.asked: dict[str, str] = {}  # matchable question text → question id

    def check(self, question: Question, lines: dict[str, int], path: Path) -> None:
        def report(key: str, message: str) -> None:
            line = lines.get(key, lines.get("id"))
            self.reader.problem(path, line, f"question {question.id}: {message}")

        where = f"{self.reader.rel(path)}:{lines.get('id')}"
        if question.id in self.ids:
            report("id", f"duplicate question id (also at {self.ids[question.id]})")
        self.ids.setdefault(question.id, where)
        asked = matchable(question.question)
        if asked in self.asked:
            report("question", f"the same question is asked by {self.asked[asked]!r}")
        self.asked.setdefault(asked, question.id)

        text = self._source(question, report)
        passage = comparable(question.passage)
        if GAP in passage:
            report("passage", f"passage includes the mark {GAP} of missing material")
        elif len(question.passage) > PASSAGE_MAX:
            report(
                "passage", f"passage is {len(question.passage)} characters; at most {PASSAGE_MAX}"
            )
        elif text is not None and passage not in text:
            report("passage", f"passage is not found word for word in {question.work!r}")
        elif text is not None and self._uncertain(question):
            report("passage", UNCERTAIN)
        said = matchable(passage)
        if question.key is not None and matchable(question.key) not in said:
            report("key", f"the key {question.key!r} is not in the passage")
        quoting = (("question", question.question), ("explanation", question.explanation))
        for field, words in quoting if self.works is not None else ():  # titles unknown
            for quoted in _QUOTED.findall(words):
                if matchable(quoted) in self.titles:
                    continue
                parts = [matchable(x) for x in _BLANK.split(quoted) if x.strip(" ,.;:!?")]
                if not parts or any(x not in said for x in parts):
                    report(field, f"«{quoted}» is quoted but is not word for word in the passage")
        if question.reasoning and not _QUOTED.search(question.explanation):
            report(
                "explanation", "reasoning: true, so the explanation must quote («…») the passage"
            )

    def _uncertain(self, question: Question) -> bool:
        work = (self.works or {}).get(question.work)
        return work is not None and work.status_of(question.passage) is None

    def _source(self, question: Question, report: Callable[[str, str], None]) -> str | None:
        """The comparable text the passage must be in (None: cannot be checked)."""
        if question.work == FACTS:
            if self.facts is None:
                report("work", f"work: {FACTS}, but content/{FACTS_FILE} is missing")
            return self.facts
        if self.works is None:
            return None  # the works did not load; that problem is reported once, above
        work = self.works.get(question.work)
        if work is None or not work.quotable:
            why = "no such work" if work is None else "that work has no verified text"
            if work is not None and work.has_text:
                why = "that work's attribution is provisional"
            report("work", f"{why}: {question.work!r}")
            return None
        return self.texts[work.id]
