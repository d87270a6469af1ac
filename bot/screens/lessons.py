"""Lesson screens: the passage with its citation, note and question; full text; history."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.actions import Action
from bot.catalog import Catalog, Lesson, Theme, Work
from bot.content_models import GAP
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
        esc(t.citation(x.citation, view.toan_tap)),
        esc(x.note),
        esc(x.question),
        view.position,
        view.total,
        t.theme_line(esc(view.theme_name), view.theme_years, view.theme_chosen, view.borrowed)
        if view.theme_name
        else "",
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
    """The passage in its context, bold, cut at sentence boundaries to fit one message; the
    corpus's [...] marks are never shown, and a withheld sentence is named, not shown."""
    text, passage = _readable(work.text), _readable(x.passage)
    start = text.find(passage)
    if start < 0:  # cannot be placed: show the passage alone
        start, text = 0, passage
    end = start + len(passage)
    # Cut at a paragraph if one is near enough, else at a sentence: never inside a word.
    paragraphs = [0, *(m.start() for m in re.finditer(_BREAK, text)), len(text)]
    sentences = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    lo = hi = -1
    for bounds in (paragraphs, sentences):
        if lo < 0:
            lo = min((b for b in bounds if start - CONTEXT <= b <= start), default=-1)
        if hi < 0:
            hi = max((b for b in bounds if end <= b <= end + CONTEXT), default=-1)
    lo, hi = (start if lo < 0 else lo), (end if hi < 0 else hi)
    # Never begin or end on an ornament line ("*", "* *") or a rule.
    while lo < start and not any(c.isalpha() for c in text[lo : _next_break(text, lo)]):
        lo = min(start, _next_break(text, lo) + 1)
    while hi > end and not any(c.isalpha() for c in text[text.rfind(_BREAK, 0, hi) + 1 : hi]):
        hi = max(end, text.rfind(_BREAK, 0, hi))

    def shown(part: str) -> str:
        part = esc(part)
        for sentence in work.withheld:
            part = part.replace(esc(" ".join(nfc(sentence).split())), t.WITHHELD)
        return part.replace(esc(GAP), "").replace(_BREAK, "\n\n")

    bold = esc(text[start:end]).replace(_BREAK, "\n\n")
    excerpt = f"{shown(text[lo:start])}<b>{bold}</b>{shown(text[end:hi])}".strip()
    # A fragment that begins inside a sentence (lower case) is marked as cut, too.
    cut_before = lo > 0 or text[:1].islower()
    return Screen(
        t.full_text(esc(work.title), excerpt, cut_before, hi < len(text)),
        (
            (Button(t.BACK_TO_LESSON, OpenLesson(lesson_key(x.id))),),
            (Button(common.MENU_MAIN, OpenMenu()),),
        ),
    )


_BREAK = "\u2029"  # a paragraph break, kept as one character while the text is cut
_OMITTED = "(…)"  # between two fragments of a work: material the corpus does not have
# The end of a sentence: . ! ? or … (and a closing quote), then a space or a paragraph break.
_SENTENCE_END = re.compile(r"[.!?…][\"”»]?(?= |\u2029)|\u2029")


def _next_break(text: str, at: int) -> int:
    found = text.find(_BREAK, at + 1)
    return len(text) if found < 0 else found


def _readable(text: str) -> str:
    """The work's text with single spaces, paragraphs marked by _BREAK, and the corpus's
    paragraphs of missing material shown as (…) between fragments, dropped at either end (a
    gap inside a sentence is left to `shown`)."""
    paragraphs = [" ".join(p.split()) for p in nfc(text).split("\n\n")]
    kept = [_OMITTED if p == GAP else p for p in paragraphs if p]
    while kept and kept[0] == _OMITTED:
        kept.pop(0)
    while kept and kept[-1] == _OMITTED:
        kept.pop()
    return _BREAK.join(kept)


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


def themes(catalog: Catalog, unit_name: str, current: str, chosen: bool = True) -> Screen:
    # Every theme with an official name, lessons or not: a committee may pick its province's
    # theme before lessons exist (members are told the lessons are the whole-term theme's).
    usable = sorted(
        (x for x in catalog.themes.values() if x.found), key=lambda x: (-x.years[-1], x.id)
    )
    buttons = [
        Button(
            t.theme_button(x.id == current, x.name, x.years, bool(catalog.lessons.get(x.id))),
            PickTheme(lesson_key(x.id)),
        )
        for x in usable
    ]
    name = catalog.themes[current].name if current in catalog.themes else current
    return Screen(
        t.choose_theme(esc(unit_name), esc(name), chosen),
        column(*buttons, Button(common.MENU_MAIN, OpenMenu())),
    )


def theme_chosen(unit_name: str, theme: Theme) -> Screen:
    return Screen(
        t.theme_chosen(esc(unit_name), esc(theme.name)),
        column(Button(common.MENU_MAIN, OpenMenu())),
    )
