"""The main menu and help."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.actions import Action
from bot.screens.base import Button, Screen, column, esc
from bot.texts import (
    checkins,
    common,
    digest,
    lessons,
    pledges,
    quiz,
    quiz_import,
    search,
    settings,
)
from bot.texts import membership as membership_texts
from bot.texts import reminders as reminder_texts


@dataclass(frozen=True)
class OpenMenu(Action, prefix="menu"):
    pass


@dataclass(frozen=True)
class OpenHelp(Action, prefix="help"):
    pass


@dataclass(frozen=True)
class OpenCell(Action, prefix="cell"):
    unit_id: int


@dataclass(frozen=True)
class ChooseThemes(Action, prefix="themes"):
    pass


@dataclass(frozen=True)
class OpenSearch(Action, prefix="find"):
    pass


@dataclass(frozen=True)
class OpenSettings(Action, prefix="set"):
    page: Literal["", "time", "quiet", "zone"] = ""


@dataclass(frozen=True)
class OpenReminders(Action, prefix="rem"):
    unit_id: int


@dataclass(frozen=True)
class OpenDigest(Action, prefix="dg"):
    unit_id: int


@dataclass(frozen=True)
class OpenRollup(Action, prefix="dgr"):
    unit_id: int


@dataclass(frozen=True)
class ImportHelp(Action, prefix="qbhelp"):
    unit_id: int  # a cell, or a committee whose banks reach its cells


@dataclass(frozen=True)
class PickRevokeCell(Action, prefix="rvcell"):
    unit_id: int  # the committee whose cells' secretaries and deputies may lose their role


@dataclass(frozen=True)
class OpenPledge(Action, prefix="pl"):
    pass


@dataclass(frozen=True)
class OpenCheckin(Action, prefix="ci"):
    pass


@dataclass(frozen=True)
class OpenQuiz(Action, prefix="quiz"):
    pass


@dataclass(frozen=True)
class OpenLesson(Action, prefix="lsn"):
    key: str  # a lesson's key; "" opens today's lesson


def main_menu(
    full_name: str, cell_name: str, unit_id: int, *, manager: bool, committee: bool = False
) -> Screen:
    buttons = [
        Button(lessons.MENU_LESSON, OpenLesson("")),
        Button(quiz.MENU_QUIZ, OpenQuiz()),
        Button(search.MENU_SEARCH, OpenSearch()),
        Button(pledges.MENU_PLEDGE, OpenPledge()),
        Button(checkins.MENU_CHECKIN, OpenCheckin()),
    ]
    if manager:
        buttons.append(Button(common.MENU_CELL, OpenCell(unit_id)))
    if committee:
        buttons.append(Button(lessons.MENU_THEME, ChooseThemes()))
        buttons.append(Button(reminder_texts.MENU_COMMITTEE, OpenReminders(unit_id)))
        buttons.append(Button(digest.MENU_COMMITTEE, OpenRollup(unit_id)))
        buttons.append(Button(quiz_import.MENU_IMPORT, ImportHelp(unit_id)))
        buttons.append(Button(membership_texts.MENU_REVOKE, PickRevokeCell(unit_id)))
    buttons.append(Button(settings.MENU_SETTINGS, OpenSettings()))
    buttons.append(Button(common.MENU_HELP, OpenHelp()))
    return Screen(common.main_menu(esc(full_name), esc(cell_name)), column(*buttons))


def help_screen(*, manager: bool) -> Screen:
    return Screen(common.help_text(manager), column(Button(common.MENU_MAIN, OpenMenu())))


def notice(text: str) -> Screen:
    """A short answer with a way back to the main menu."""
    return Screen(text, column(Button(common.MENU_MAIN, OpenMenu())))
