"""Joining screens: name, lesson time, privacy notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal

from bot.actions import Action
from bot.screens.base import Button, Screen, column, esc
from bot.services.onboarding import Progress, Step
from bot.services.quiet import Quiet
from bot.texts import onboarding as t
from bot.texts import settings as settings_texts

PRESET_TIMES = (time(6, 30), time(12, 0), time(20, 0))  # 06:00 is in the default quiet hours


@dataclass(frozen=True)
class NameChoice(Action, prefix="name"):
    choice: Literal["ok", "edit"]


@dataclass(frozen=True)
class PickTime(Action, prefix="time"):
    minutes: int  # minutes after midnight; -1 asks for a typed time


@dataclass(frozen=True)
class Consent(Action, prefix="consent"):
    agree: bool


def welcome() -> Screen:
    return Screen(t.welcome_stranger())


def step_screen(state: Progress) -> Screen:
    """Return the screen for the step a newcomer is on."""
    if state.step is Step.NAME:
        if not state.full_name:
            return ask_name()
        return Screen(
            t.confirm_name(esc(state.cell_name), esc(state.full_name)),
            ((Button(t.NAME_OK, NameChoice("ok")), Button(t.NAME_EDIT, NameChoice("edit"))),),
        )
    if state.step is Step.TIME:
        presets = tuple(
            Button(t.time_label(v), PickTime(v.hour * 60 + v.minute)) for v in PRESET_TIMES
        )
        return Screen(t.ask_lesson_time(), (presets, (Button(t.TIME_OTHER, PickTime(-1)),)))
    if state.step is Step.CONSENT:
        return Screen(
            t.privacy_notice(),
            column(Button(t.CONSENT_YES, Consent(True)), Button(t.CONSENT_NO, Consent(False))),
        )
    raise ValueError("joining is done; show the main menu")


def ask_name(*, invalid: bool = False) -> Screen:
    return Screen(t.name_invalid() if invalid else t.ask_name())


def ask_custom_time(*, invalid: bool = False, quiet: Quiet | None = None) -> Screen:
    if quiet is not None:
        return Screen(settings_texts.time_in_quiet(quiet.start, quiet.end))
    return Screen(t.time_invalid() if invalid else t.ask_custom_time())


def declined() -> Screen:
    return Screen(t.consent_declined(), column(Button(t.CONSENT_YES, Consent(True))))


def joined(state: Progress) -> str:
    assert state.lesson_time is not None
    return t.joined(esc(state.full_name), state.lesson_time)
