"""Digest screens: the secretary's month, the weekly numbers, the committee's roll-up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from bot.actions import Action
from bot.screens import reminders as reminder_screens
from bot.screens.base import Button, Screen, column, esc
from bot.screens.chunks import split_html
from bot.screens.menus import OpenCell, OpenCheckin, OpenDigest, OpenMenu
from bot.services.digest import CellDigest, MemberDigest
from bot.services.digest_rollup import Rollup
from bot.texts import checkins as checkin_texts
from bot.texts import common
from bot.texts import digest as t

ITEM_MAX = 300  # a member's 2,000-character note would drown the digest: the Excel has it all
ATTENTION = 15  # cells listed in the roll-up's text


@dataclass(frozen=True)
class DigestExcel(Action, prefix="dgx"):
    unit_id: int


@dataclass(frozen=True)
class DigestChart(Action, prefix="dgc"):
    unit_id: int


@dataclass(frozen=True)
class DigestNudge(Action, prefix="dgn"):
    unit_id: int
    month: int  # 202611: the month whose late members the button nudges


@dataclass(frozen=True)
class RollupExcel(Action, prefix="dgrx"):
    unit_id: int


@dataclass(frozen=True)
class WeeklySettings(Action, prefix="dgw"):
    unit_id: int


@dataclass(frozen=True)
class SetWeekly(Action, prefix="dgwo"):
    unit_id: int
    on: bool


@dataclass(frozen=True)
class SetWeekday(Action, prefix="dgwd"):
    unit_id: int
    weekday: int


def short(text: str, limit: int = ITEM_MAX) -> str:
    """`text` on one line, cut at a word boundary if longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + t.CUT


def month_code(month: str) -> int:
    return int(month.replace("-", ""))


def cell_digest(d: CellDigest, tz: tzinfo) -> list[Screen]:
    """The month's digest, split into messages; the buttons go under the last one."""
    lines = [t.title(esc(d.unit_name), d.month, d.window.deadline, d.today)]
    if not d.members:
        lines.append(t.empty_cell())
    else:
        lines += _checkins(d) + _study(d) + _quiz(d) + _delivery(d, tz)
    buttons = [Button(t.EXCEL, DigestExcel(d.unit_id)), Button(t.CHART, DigestChart(d.unit_id))]
    if d.with_status("waiting", "missing"):
        buttons.insert(1, Button(t.NUDGE, DigestNudge(d.unit_id, month_code(d.month))))
    buttons += [
        Button(t.WEEKLY, WeeklySettings(d.unit_id)),
        Button(common.MENU_CELL, OpenCell(d.unit_id)),
    ]
    return _parts("\n".join(lines), column(*buttons))


def _names(members: Sequence[MemberDigest]) -> list[str]:
    return [esc(short(m.name or "?", 80)) for m in members]


def _checkins(d: CellDigest) -> list[str]:
    lines = [t.section_checkins()]
    if d.skipped:
        return [*lines, t.skipped_month(d.month)]
    if not d.asked:
        return [*lines, t.nobody_asked()]
    done = d.with_status("on_time", "late")
    lines.append(
        t.submitted(
            len(done), len(d.asked), len(d.with_status("on_time")), len(d.with_status("late"))
        )
    )
    if not done:
        lines.append(t.no_checkins_yet())
    waiting, missing = d.with_status("waiting"), d.with_status("missing")
    if waiting:
        lines.append(t.not_submitted(_names(list(waiting)), overdue=False))
    if missing:
        lines.append(t.not_submitted(_names(list(missing)), overdue=True))
    twice = [m for m in d.active if m.missed_two]
    if twice:
        lines.append(t.two_months(_names(list(twice))))
    if d.with_status("exempt"):
        lines.append(t.exempt(_names(list(d.with_status("exempt")))))
    if not d.not_done:
        return [*lines, t.not_done_none()] if done else lines
    lines.append(t.not_done_title(len(d.not_done)))
    for item in d.not_done:
        lines.append(
            t.not_done_item(esc(short(item.name, 80)), item.position, esc(short(item.item)))
        )
        fix = short(item.fix or "")
        lines.append(t.will_fix(esc(fix)) if fix else t.will_fix_none())
    return lines


def _study(d: CellDigest) -> list[str]:
    days = (d.today - d.since).days + 1
    readers = sorted(d.readers, key=lambda m: (-m.lessons, m.name))
    lines = [
        t.section_study(days),
        t.readers(len(readers), len(d.active), sum(m.lessons for m in readers)),
    ]
    lines += [t.reader_line(esc(short(m.name, 80)), m.lessons) for m in readers]
    if d.streak_leaders:
        lines.append(t.streaks([(esc(short(m.name, 80)), m.streak) for m in d.streak_leaders]))
    idle = [m for m in d.active if m.lessons == 0]
    if idle:
        lines.append(t.read_nothing(_names(list(idle))))
    return lines


def _quiz(d: CellDigest) -> list[str]:
    days = (d.today - d.since).days + 1
    people = d.practisers
    lines = [
        t.section_quiz(days),
        t.practice(
            len(people),
            len(d.active),
            sum(m.answers for m in people),
            sum(m.correct for m in people),
        ),
    ]
    night = d.night
    if night is None:
        return [*lines, t.no_night()]
    played = sum(1 for m in d.active if m.played_night)
    day = night.finished_at.date()
    lines.append(t.night(esc(short(night.title, 80)), day, night.players, played, len(d.active)))
    if night.podium:
        lines.append(t.podium([(esc(short(n, 40)), s) for n, s in night.podium]))
    return lines


def _delivery(d: CellDigest, tz: tzinfo) -> list[str]:
    lines = [t.section_delivery()]
    if d.blocked:
        lines.append(t.blocked(_names(list(d.blocked)), d.since, len(d.newly_blocked(tz))))
    joining = [m for m in d.members if m.joining]
    if joining:
        lines.append(t.joining(_names(list(joining))))
    named = [esc(short(n, 80)) for n in d.invites if n]
    if d.invites:
        lines.append(t.invites(named, len(d.invites) - len(named)))
    if len(lines) == 1:
        lines.append(t.everyone_reachable())
    return lines


def nudge(deadline: date, today: date) -> Screen:
    """The check-in nudge the secretary sends: the reminder's own words while the window is
    open, a plain "overdue" after it."""
    days_left = (deadline - today).days
    if days_left > 0:
        return reminder_screens.nudge(deadline, days_left)
    if days_left == 0:
        return reminder_screens.deadline_today(deadline)
    return Screen(
        t.overdue_nudge(deadline), column(Button(checkin_texts.MENU_CHECKIN, OpenCheckin()))
    )


def weekly(d: CellDigest) -> Screen:
    """Three lines of numbers."""
    people = d.practisers
    text = "\n".join(
        [
            t.weekly(
                esc(d.unit_name), d.month, len(d.with_status("on_time", "late")), len(d.asked)
            ),
            t.weekly_study(len(d.readers), len(d.active), sum(m.lessons for m in d.active)),
            t.weekly_quiz(len(people), len(d.active), sum(m.answers for m in people)),
        ]
    )
    return Screen(
        text,
        column(Button(t.FULL, OpenDigest(d.unit_id)), Button(t.WEEKLY, WeeklySettings(d.unit_id))),
    )


def weekly_settings(unit_id: int, on: bool, weekday: int) -> Screen:
    toggle = Button(t.WEEKLY_OFF if on else t.WEEKLY_ON, SetWeekly(unit_id, not on))
    days = tuple(
        tuple(Button(t.weekday_label(n, n == weekday), SetWeekday(unit_id, n)) for n in row)
        for row in ((0, 1, 2), (3, 4, 5), (6,))
    )
    back = (Button(t.MENU_CELL, OpenDigest(unit_id)),)
    return Screen(t.weekly_settings(on, weekday), ((toggle,), *days, back))


def rollup(r: Rollup) -> list[Screen]:
    """A committee's numbers, the cells needing attention first; every cell is in the Excel."""
    lines = [t.committee_title(esc(r.unit_name), len(r.rows), r.total("members"), r.today)]
    if not r.rows:
        lines.append(t.committee_no_cells())
        return _parts("\n".join(lines), column(Button(common.MENU_MAIN, OpenMenu())))
    lines += [
        t.committee_totals(
            r.total("submitted"),
            r.total("asked"),
            r.total("late"),
            r.total("missing"),
            r.total("not_done"),
        ),
        t.committee_study(r.total("readers"), r.total("members"), r.total("lessons")),
        t.committee_quiz(r.total("practisers"), r.total("answers"), r.total("correct")),
        t.committee_delivery(r.total("blocked"), r.total("joining")),
        t.attention_title(),
    ]
    for no, row in enumerate(r.rows[:ATTENTION], start=1):
        lines.append(
            t.attention_line(
                no, esc(short(row.name, 80)), row.submitted, row.asked, row.readers, row.members
            )
        )
    if len(r.rows) > ATTENTION:
        lines.append(t.attention_more(len(r.rows) - ATTENTION))
    buttons = column(Button(t.EXCEL, RollupExcel(r.unit_id)), Button(common.MENU_MAIN, OpenMenu()))
    return _parts("\n".join(lines), buttons)


def _parts(text: str, buttons: tuple[tuple[Button, ...], ...]) -> list[Screen]:
    parts = split_html(text)
    return [Screen(p) for p in parts[:-1]] + [Screen(parts[-1], buttons)]


def chart_caption(cell_name: str) -> str:
    """The chart's caption: plain text (a photo sent from the outbox has no parse mode)."""
    return t.chart_caption(cell_name)
