"""A member's reminder settings: lesson time, quiet hours, pause, time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.actions import Action
from bot.screens.base import Button, Screen, column
from bot.screens.menus import OpenMenu, OpenSettings
from bot.services.preferences import PAUSE_DAYS
from bot.texts import common
from bot.texts import settings as t

LESSON_TIMES = (time(6, 30), time(12, 0), time(20, 0))
QUIET_PRESETS = ((time(21, 30), time(6, 30)), (time(22, 0), time(6, 0)), (time(23, 0), time(5, 0)))


@dataclass(frozen=True)
class SetLessonTime(Action, prefix="stime"):
    minutes: int  # after midnight


@dataclass(frozen=True)
class SetQuiet(Action, prefix="squiet"):
    start: int  # minutes after midnight
    end: int


@dataclass(frozen=True)
class Pause(Action, prefix="pause"):
    days: int  # 0 resumes


@dataclass(frozen=True)
class SetZone(Action, prefix="szone"):
    """Back to the bot's own time zone; another zone is typed."""


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def overview(
    lesson_time: time | None,
    quiet: tuple[time, time],
    paused_until: datetime | None,
    zone_label: str,
    *,
    notice: str = "",
) -> Screen:
    text = t.overview(lesson_time, quiet, paused_until, zone_label)
    pause = Button(t.RESUME, Pause(0)) if paused_until else Button(t.PAUSE, Pause(PAUSE_DAYS))
    return Screen(
        f"{notice}\n\n{text}" if notice else text,
        column(
            Button(t.LESSON_TIME, OpenSettings("time")),
            Button(t.QUIET, OpenSettings("quiet")),
            pause,
            Button(t.ZONE, OpenSettings("zone")),
            Button(common.MENU_MAIN, OpenMenu()),
        ),
    )


def ask_lesson_time(*, problem: str = "") -> Screen:
    presets = tuple(Button(f"{v:%H:%M}", SetLessonTime(_minutes(v))) for v in LESSON_TIMES)
    return Screen(
        problem or t.ask_lesson_time(),
        (presets, (Button(t.BACK, OpenSettings()),)),
    )


def ask_quiet(*, problem: str = "") -> Screen:
    presets = (
        Button(t.quiet_label(a, b), SetQuiet(_minutes(a), _minutes(b))) for a, b in QUIET_PRESETS
    )
    return Screen(problem or t.ask_quiet(), column(*presets, Button(t.BACK, OpenSettings())))


def ask_zone(*, problem: str = "") -> Screen:
    return Screen(
        problem or t.ask_zone(),
        column(Button(t.ZONE_HOME, SetZone()), Button(t.BACK, OpenSettings())),
    )
