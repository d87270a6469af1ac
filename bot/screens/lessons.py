"""Lesson screens: the passage with its citation, note and question; full text; history."""

from __future__ import annotations

from dataclasses import dataclass

from bot.actions import Action
from bot.catalog import Catalog, Lesson, Theme, Work
from bot.screens.base import Button, Screen, column, esc
from bot.screens.menus import OpenLesson, OpenMenu
from bot.screens.quiz import StartQuiz
from bot.services.lessons import LessonView, ReadingProgress, lesson_key
from bot.textnorm import nfc
from bot.texts import common, quiz
from bot.texts import lessons as t

CONTEXT = 1200  # characters of the work shown around the passage; keeps under 4096
HISTORY_MAX = 20


@dataclass(frozen=True)
class MarkRead(Action, prefix="lread"):
    key: str


@dataclass(frozen=True)
class NextLesson(Action, prefix="lnext"):
    key: str


@dataclass(frozen=True)
class FullText(Action, prefix="lfull"):
    key: str


@dataclass(frozen=True)
class History(Action, prefix="lhist"):
    pass


@dataclass(frozen=True)
class PickTheme(Action, prefix="theme"):
    key: str  # lesson_key(theme id); "" lists the themes


def lesson(view: LessonView) -> Screen:
    x = view.lesson
    key = lesson_key(x.id)
    text = t.lesson(
        esc(x.title),
        esc(nfc(x.passage)),
        esc(x.citation),
        esc(x.note),
        esc(x.question),
        view.position,
        view.total,
    )
    return Screen(
        text,
        (
            (Button(t.READ, MarkRead(key)), Button(t.NEXT, NextLesson(key))),
            (Button(t.FULL_TEXT, FullText(key)),),
            (Button(quiz.LESSON_QUIZ, StartQuiz("w", lesson_key(x.work))),),
            (Button(t.HISTORY, History()), Button(common.MENU_MAIN, OpenMenu())),
        ),
    )


def read_done(x: Lesson, progress: ReadingProgress) -> Screen:
    key = lesson_key(x.id)
    return Screen(
        t.read_done(progress.read, progress.total, progress.streak),
        (
            (Button(t.NEXT, NextLesson(key)),),
            (Button(t.HISTORY, History()), Button(common.MENU_MAIN, OpenMenu())),
        ),
    )


def full_text(x: Lesson, work: Work) -> Screen:
    """The passage in its context, bold, cut to fit one message."""
    text, passage = nfc(work.text), nfc(x.passage)
    start = text.find(passage)
    if start < 0:  # whitespace differs from the stored work: show the passage alone
        start, text = 0, passage
    end = start + len(passage)
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    excerpt = f"{esc(text[lo:start])}<b>{esc(text[start:end])}</b>{esc(text[end:hi])}"
    return Screen(
        t.full_text(esc(work.title), excerpt, lo > 0, hi < len(text)),
        (
            (Button(t.BACK_TO_LESSON, OpenLesson(lesson_key(x.id))),),
            (Button(common.MENU_MAIN, OpenMenu()),),
        ),
    )


def history(read: list[Lesson], progress: ReadingProgress) -> Screen:
    shown = read[:HISTORY_MAX]
    lines = [t.history_line(no, esc(x.title)) for no, x in enumerate(shown, start=1)]
    buttons = tuple(
        (Button(f"{no}. {x.title}"[:60], OpenLesson(lesson_key(x.id))),)
        for no, x in enumerate(shown, start=1)
    )
    return Screen(
        t.history(lines, progress.read, progress.total, progress.streak),
        (*buttons, (Button(common.MENU_MAIN, OpenMenu()),)),
    )


def themes(catalog: Catalog, unit_name: str, current: str) -> Screen:
    usable = [x for x in catalog.themes.values() if catalog.lessons.get(x.id)]
    buttons = [
        Button(("✅ " if x.id == current else "") + x.name[:60], PickTheme(lesson_key(x.id)))
        for x in usable
    ]
    name = catalog.themes[current].name if current in catalog.themes else current
    return Screen(
        t.choose_theme(esc(unit_name), esc(name)),
        column(*buttons, Button(common.MENU_MAIN, OpenMenu())),
    )


def theme_chosen(unit_name: str, theme: Theme) -> Screen:
    return Screen(
        t.theme_chosen(esc(unit_name), esc(theme.name)),
        column(Button(common.MENU_MAIN, OpenMenu())),
    )
