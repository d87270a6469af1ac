"""Screens of a unit's reminder rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from bot.actions import Action
from bot.screens.base import Button, Screen, column, esc
from bot.screens.menus import OpenCheckin, OpenLesson, OpenMenu, OpenReminders
from bot.services.reminders import CHECKIN_NUDGE, DAYS_BEFORE, KINDS, TIMELESS, Rule
from bot.texts import checkins as checkin_texts
from bot.texts import common
from bot.texts import lessons as lesson_texts
from bot.texts import reminders as t

TIMES = (time(6, 30), time(7, 0), time(8, 0), time(12, 0), time(19, 0), time(20, 0))


@dataclass(frozen=True)
class ToggleReminder(Action, prefix="remon"):
    unit_id: int
    kind: int  # index in KINDS: short callback data


@dataclass(frozen=True)
class ReminderTime(Action, prefix="remat"):
    unit_id: int
    kind: int
    minutes: int  # after midnight; -1 opens the time page


@dataclass(frozen=True)
class ReminderDays(Action, prefix="remday"):
    unit_id: int
    days: int


@dataclass(frozen=True)
class WhoWasNudged(Action, prefix="remwho"):
    unit_id: int


def overview(
    unit_id: int, unit_name: str, rules: dict[str, Rule], names: dict[int, str], notice: str = ""
) -> Screen:
    lines = [
        t.rule_line(
            r.kind,
            r.enabled,
            r.at,
            r.days_before,
            esc(names[r.set_on]) if r.set_on not in (None, unit_id) else None,
        )
        for r in rules.values()
    ]
    rows: list[tuple[Button, ...]] = []
    for number, kind in enumerate(KINDS):
        rule = rules[kind]
        rows.append((Button(t.toggle_label(kind, rule.enabled), ToggleReminder(unit_id, number)),))
        if kind not in TIMELESS:
            rows.append((Button(t.time_label(kind), ReminderTime(unit_id, number, -1)),))
    nudge = rules[CHECKIN_NUDGE]
    rows.append(
        tuple(
            Button(t.days_label(d), ReminderDays(unit_id, d))
            for d in DAYS_BEFORE
            if d != nudge.days_before
        )[:3]
    )
    rows.append((Button(t.WHO, WhoWasNudged(unit_id)),))
    rows.append((Button(common.MENU_MAIN, OpenMenu()),))
    text = t.overview(esc(unit_name), lines)
    return Screen(f"{notice}\n\n{text}" if notice else text, tuple(rows))


def ask_time(unit_id: int, kind: int, problem: str = "") -> Screen:
    presets = [
        Button(f"{v:%H:%M}", ReminderTime(unit_id, kind, v.hour * 60 + v.minute)) for v in TIMES
    ]
    return Screen(
        problem or t.ask_time(KINDS[kind]),
        (tuple(presets[:3]), tuple(presets[3:]), (Button(t.BACK, OpenReminders(unit_id)),)),
    )


def nudged(unit_id: int, month: str, rows: list[tuple[str, list[str]]]) -> Screen:
    lines = [t.nudged_title(month)]
    lines += [t.nudged_line(esc(name), kinds) for name, kinds in rows] or [t.nudged_none()]
    return Screen("\n".join(lines), column(Button(t.BACK, OpenReminders(unit_id))))


def nudge(deadline: date, days_left: int) -> Screen:
    return Screen(
        t.nudge(deadline, days_left), column(Button(checkin_texts.MENU_CHECKIN, OpenCheckin()))
    )


def deadline_today(deadline: date) -> Screen:
    return Screen(
        t.deadline_today(deadline), column(Button(checkin_texts.MENU_CHECKIN, OpenCheckin()))
    )


def meeting_today(cell_name: str, theme: str | None) -> Screen:
    return Screen(
        t.meeting_today(esc(cell_name), esc(theme) if theme else None),
        column(Button(lesson_texts.MENU_LESSON, OpenLesson(""))),
    )


def open_lesson(key: str) -> Screen:
    """The button a merged morning message gives the day's lesson (its text is not in it)."""
    return Screen("", column(Button(lesson_texts.MENU_LESSON, OpenLesson(key))))
