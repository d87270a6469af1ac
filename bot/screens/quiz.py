"""Solo practice screens: the practice page, a question, its answer, the passage, the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.actions import Action
from bot.screens.base import Button, Screen, column, esc
from bot.screens.menus import OpenMenu, OpenQuiz
from bot.services.quiz import Asked, BankChoice, Checked, Cited, Home, Result
from bot.texts import common
from bot.texts import quiz as t

SHORT = 80  # characters of a question shown in the round's summary


@dataclass(frozen=True)
class StartQuiz(Action, prefix="qs"):
    kind: Literal["t", "b", "w", "d"]  # theme, bank, work, what is due
    key: str = ""  # lesson_key of the bank or work


@dataclass(frozen=True)
class ChooseBank(Action, prefix="qw"):
    pass


@dataclass(frozen=True)
class AnswerQuiz(Action, prefix="qa"):
    round_id: int
    index: int  # 0-based place of the question in the round
    option: int  # 1-based, as in the bank


@dataclass(frozen=True)
class NextQuestion(Action, prefix="qn"):
    round_id: int


@dataclass(frozen=True)
class ShowPassage(Action, prefix="qp"):
    round_id: int
    index: int


def home(view: Home) -> Screen:
    where = (view.open_round[1] + 1, view.open_round[2]) if view.open_round else None
    buttons = [Button(t.CONTINUE, NextQuestion(view.open_round[0]))] if view.open_round else []
    buttons += [
        Button(t.NEW_ROUND, StartQuiz("t")),
        Button(t.CHOOSE_WORK, ChooseBank()),
        Button(t.review_label(view.due), StartQuiz("d")),
        Button(common.MENU_MAIN, OpenMenu()),
    ]
    return Screen(t.home(esc(view.theme_name), view.due, where), column(*buttons))


def banks(choices: list[BankChoice]) -> Screen:
    buttons = (
        Button(t.bank_label(_short(x.title, 44), x.count), StartQuiz("b", x.key)) for x in choices
    )
    return Screen(t.choose_work(), column(*buttons, Button(t.BACK, OpenQuiz())))


def question(asked: Asked) -> Screen:
    q = asked.question
    options = [esc(x) for x in q.options]
    letters = tuple(
        Button(t.LETTERS[i], AnswerQuiz(asked.round_id, asked.index, i + 1))
        for i in range(len(options))
    )
    return Screen(
        t.question(asked.index + 1, asked.size, esc(q.question), options, asked.short),
        (letters, (Button(common.MENU_MAIN, OpenMenu()),)),
    )


def checked(c: Checked) -> Screen:
    q = c.question
    text = t.checked(c.right, t.LETTERS[q.correct - 1], esc(q.answer), esc(q.explanation))
    onward = Button(t.RESULT if c.last else t.NEXT, NextQuestion(c.round_id))
    label = t.REFERENCE if q.is_reference else t.PASSAGE
    return Screen(text, column(Button(label, ShowPassage(c.round_id, c.index)), onward))


def cited(c: Cited) -> Screen:
    q = c.question
    if q.is_reference:
        citation = t.reference_citation(q.source or t.FACTS_TITLE)
    else:
        citation = c.work_title or t.FACTS_TITLE
    onward = Button(t.RESULT if c.done else t.NEXT, NextQuestion(c.round_id))
    return Screen(t.support(esc(citation), esc(q.shown_passage)), column(onward))


def result(r: Result) -> Screen:
    again = [esc(_short(q.question)) for q in r.again]
    return Screen(
        t.result(r.score, r.total, r.seconds, again, r.due_now),
        column(
            Button(t.REVIEW, StartQuiz("d")),
            Button(t.NEW_ROUND, StartQuiz("t")),
            Button(common.MENU_MAIN, OpenMenu()),
        ),
    )


def nothing_due(next_due: datetime | None) -> Screen:
    return Screen(
        t.nothing_due(next_due),
        column(Button(t.NEW_ROUND, StartQuiz("t")), Button(common.MENU_MAIN, OpenMenu())),
    )


def no_questions() -> Screen:
    return Screen(
        t.no_questions(),
        column(Button(t.CHOOSE_WORK, ChooseBank()), Button(common.MENU_MAIN, OpenMenu())),
    )


def _short(text: str, limit: int = SHORT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
