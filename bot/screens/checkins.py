"""The check-in: steps, review, months, history; the secretary's cell view and rules.

It imports services only for types (bot.delivery.notices builds the notices from here). Long
texts are clipped on screen (a Telegram message holds 4,096 characters; three items of 2,000
would not fit); the DOCX has every word.

Over 400 lines: mostly one small frozen action class per button (the codec needs a type each).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.actions import Action
from bot.screens.base import Button, Screen, column, esc
from bot.screens.menus import OpenCell, OpenCheckin, OpenMenu, OpenPledge
from bot.screens.pledges import PendingPledges
from bot.texts import checkins as t
from bot.texts import common

if TYPE_CHECKING:
    from bot.services.checkin_cell import CellMonth
    from bot.services.checkin_months import Answer, MonthView
    from bot.services.checkin_rules import Candidate, CellRules, ExemptionView
    from bot.services.checkin_windows import NotAsked, Window
    from bot.services.checkins import CheckinStep, NotOpen, Ready

CLIP = 450  # characters of one text on a screen: 3 items × 2 texts + a note fit one message
RatingCode = Literal["tot", "dat", "chua_dat"]


@dataclass(frozen=True)
class StartCheckin(Action, prefix="cis"):
    month: int  # YYYYMM


@dataclass(frozen=True)
class Rate(Action, prefix="cir"):
    month: int
    position: int
    rating: RatingCode


@dataclass(frozen=True)
class SkipText(Action, prefix="cik"):
    month: int
    keep: bool  # keep the text already there; else leave the optional field empty


@dataclass(frozen=True)
class ChooseItem(Action, prefix="cich"):
    month: int


@dataclass(frozen=True)
class EditAnswer(Action, prefix="cie"):
    month: int
    position: int  # 0: the overall note


@dataclass(frozen=True)
class SubmitCheckin(Action, prefix="cisub"):
    month: int


@dataclass(frozen=True)
class CancelCheckin(Action, prefix="cic"):
    month: int
    confirmed: bool


@dataclass(frozen=True)
class MyHistory(Action, prefix="cih"):
    year: int


@dataclass(frozen=True)
class ViewCheckin(Action, prefix="civ"):
    checkin_id: int


@dataclass(frozen=True)
class YearDocx(Action, prefix="cidoc"):
    year: int


@dataclass(frozen=True)
class EraseData(Action, prefix="cierase"):
    confirmed: bool


@dataclass(frozen=True)
class CellCheckins(Action, prefix="cc"):
    unit_id: int


@dataclass(frozen=True)
class CellMonthView(Action, prefix="ccm"):
    unit_id: int
    month: int


@dataclass(frozen=True)
class CommentCheckin(Action, prefix="ccc"):
    checkin_id: int


@dataclass(frozen=True)
class AskDay(Action, prefix="ccd"):
    unit_id: int
    kind: Literal["meeting", "open"]


@dataclass(frozen=True)
class ToggleSkip(Action, prefix="ccs"):
    unit_id: int
    month: int


@dataclass(frozen=True)
class Exemptions(Action, prefix="cce"):
    unit_id: int


@dataclass(frozen=True)
class ExemptPick(Action, prefix="ccep"):
    unit_id: int
    member_id: int


@dataclass(frozen=True)
class ExemptFor(Action, prefix="ccef"):
    unit_id: int
    member_id: int
    months: int


@dataclass(frozen=True)
class EndExemption(Action, prefix="ccex"):
    exemption_id: int


def code(month: str) -> int:
    return int(month.replace("-", ""))


def clip(text: str, limit: int = CLIP) -> str:
    return esc(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def _menu() -> Button:
    return Button(common.MENU_MAIN, OpenMenu())


def window_line(win: Window) -> str:
    return t.window_line(win.month, win.opens, win.deadline)


def answer_lines(answers: tuple[Answer, ...]) -> list[str]:
    lines: list[str] = []
    for no, a in enumerate(answers, start=1):
        lines += t.answer_lines(
            no,
            clip(a.item, 200),
            a.rating.value if a.rating else None,
            clip(a.done) if a.done else None,
            clip(a.fix) if a.fix else None,
        )
    return lines


def ready(view: Ready) -> Screen:
    text = t.ready(
        view.month, window_line(view.window), [clip(i, 200) for i in view.items], view.late
    )
    year = int(view.month[:4])
    return Screen(
        text,
        column(
            Button(t.START, StartCheckin(code(view.month))),
            Button(t.HISTORY, MyHistory(year)),
            _menu(),
        ),
    )


def no_pledge(year: int) -> Screen:
    return Screen(t.no_pledge(year), column(Button(t.WRITE_PLEDGE, OpenPledge()), _menu()))


def not_asked(view: NotAsked) -> Screen:
    detail = esc(view.detail) if view.detail else None
    return Screen(
        t.not_asked(view.month, view.reason, detail),
        column(Button(t.HISTORY, MyHistory(int(view.month[:4]))), _menu()),
    )


def not_open(view: NotOpen) -> Screen:
    return Screen(
        t.not_open(view.window.month, view.window.opens),
        column(Button(t.HISTORY, MyHistory(int(view.window.month[:4]))), _menu()),
    )


def step(view: CheckinStep, *, problem: str = "") -> Screen:
    """The screen of the step the draft is on."""
    month = code(view.month)
    cancel = Button(t.CANCEL, CancelCheckin(month, False))
    if view.step == "review":
        return review(view)
    if view.step == "note":
        text = t.ask_note(view.month, clip(view.current) if view.current else None)
        buttons = [Button(t.KEEP, SkipText(month, True))] if view.current else []
        buttons.append(Button(t.SKIP, SkipText(month, False)))
        return _with_problem(problem, Screen(text, column(*buttons, cancel)))
    answer = view.answers[view.position - 1]
    head = t.header(view.month, view.position, len(view.answers), clip(answer.item, 200))
    if view.step == "rating":
        ratings = tuple(
            Button(t.RATINGS[r], Rate(month, view.position, r)) for r in ("tot", "dat", "chua_dat")
        )
        return _with_problem(problem, Screen(f"{head}\n{t.ask_rating()}", (ratings, (cancel,))))
    assert answer.rating is not None
    rating = answer.rating.value
    current = clip(view.current) if view.current else None
    optional = rating == "tot" if view.step == "done" else rating != "chua_dat"
    ask = t.ask_done if view.step == "done" else t.ask_fix
    buttons = [Button(t.KEEP, SkipText(month, True))] if view.current else []
    if optional:
        buttons.append(Button(t.SKIP, SkipText(month, False)))
    text = f"{head}\n{ask(rating, current, optional)}"
    return _with_problem(problem, Screen(text, column(*buttons, cancel)))


def review(view: CheckinStep) -> Screen:
    month = code(view.month)
    body = answer_lines(view.answers)
    if view.note:
        body.append(t.note_line(clip(view.note)))
    return Screen(
        t.review(view.month, body, view.late, view.resubmit),
        column(
            Button(t.EDIT_ITEM, ChooseItem(month)),
            Button(t.SEND, SubmitCheckin(month)),
            Button(t.CANCEL, CancelCheckin(month, False)),
        ),
    )


def choose_item(view: CheckinStep) -> Screen:
    month = code(view.month)
    items = [
        Button(t.item_label(no), EditAnswer(month, no)) for no in range(1, len(view.answers) + 1)
    ]
    return Screen(
        t.choose_item(),
        column(
            *items,
            Button(t.NOTE_LABEL, EditAnswer(month, 0)),
            Button(t.BACK_REVIEW, StartCheckin(month)),
        ),
    )


def confirm_cancel(view: CheckinStep) -> Screen:
    month = code(view.month)
    return Screen(
        t.confirm_cancel(view.resubmit),
        column(
            Button(t.CANCEL_YES, CancelCheckin(month, True)),
            Button(t.CANCEL_NO, StartCheckin(month)),
        ),
    )


def month_text(view: MonthView) -> str:
    body = answer_lines(view.answers)
    if view.note:
        body.append(t.note_line(clip(view.note)))
    comment = clip(view.comment) if view.comment else None
    return t.month(view.month, body, view.late, comment, view.erased)


def my_month(view: MonthView, *, notice: str = "") -> Screen:
    buttons = [Button(t.EDIT, StartCheckin(code(view.month)))] if view.can_edit else []
    buttons += [Button(t.HISTORY, MyHistory(int(view.month[:4]))), _menu()]
    text = month_text(view)
    return Screen(f"{notice}\n\n{text}" if notice else text, column(*buttons))


def history(year: int, months: list[MonthView]) -> Screen:
    lines = []
    for view in months:
        marks = " ".join(
            t.RATING_MARKS[a.rating.value] if a.rating else t.ERASED for a in view.answers
        )
        lines.append(t.history_line(view.month, marks, view.late))
    buttons = [Button(t.month_button(v.month), ViewCheckin(v.checkin_id)) for v in months]
    return Screen(
        t.history(year, lines),
        column(
            *buttons,
            Button(t.YEAR_DOCX, YearDocx(year)),
            Button(t.year_button(year - 1), MyHistory(year - 1)),
            _menu(),
        ),
    )


def confirm_erase() -> Screen:
    return Screen(
        t.confirm_erase(),
        column(Button(t.ERASE_YES, EraseData(True)), Button(t.ERASE_NO, EraseData(False))),
    )


def invitation(win: Window) -> Screen:
    return Screen(
        t.invitation(win.month, win.deadline),
        column(Button(t.MENU_CHECKIN, OpenCheckin())),
    )


def comment_notice(month: str, checkin_id: int) -> Screen:
    return Screen(
        t.comment_notice(month),
        column(Button(t.month_button(month), ViewCheckin(checkin_id))),
    )


def _with_problem(problem: str, screen: Screen) -> Screen:
    return Screen(f"{problem}\n\n{screen.text}", screen.rows) if problem else screen


# -- the secretary's ------------------------------------------------------------------------------


def cell_rules(view: CellRules, *, notice: str = "") -> Screen:
    exempt = [esc(e.member_name) for e in view.exemptions]
    text = t.cell_rules(
        esc(view.unit_name),
        window_line(view.window),
        view.rules.open_day,
        view.rules.meeting_day,
        view.skipped,
        exempt,
    )
    unit = view.unit_id
    return Screen(
        f"{notice}\n\n{text}" if notice else text,
        column(
            Button(t.month_overview_label(view.month), CellMonthView(unit, code(view.month))),
            Button(t.pending_label(view.pending_pledges), PendingPledges(unit)),
            Button(t.MEETING_DAY, AskDay(unit, "meeting")),
            Button(t.OPEN_DAY, AskDay(unit, "open")),
            Button(t.skip_label(view.month, view.skipped), ToggleSkip(unit, code(view.month))),
            Button(t.EXEMPTIONS, Exemptions(unit)),
            Button(common.MENU_CELL, OpenCell(unit)),
        ),
    )


def cell_month(view: CellMonth) -> Screen:
    rows = [
        t.cell_row(
            esc(r.name),
            r.status,
            " ".join(t.RATING_MARKS[x.value] for x in r.ratings if x is not None),
            r.erased,
        )
        for r in view.rows
    ]
    counts = t.cell_counts(
        view.count("on_time"), view.count("late"), view.count("waiting"), view.count("missing")
    )
    text = t.cell_month(
        esc(view.unit_name), view.month, window_line(view.window), view.skipped, [counts, *rows]
    )
    people = [
        Button(r.name, ViewCheckin(r.checkin_id))
        for r in view.rows
        if r.checkin_id is not None and not r.erased
    ]
    previous, following = _neighbours(view.month)
    unit = view.unit_id
    return Screen(
        text,
        (
            *column(*people),
            (
                Button(t.PREVIOUS, CellMonthView(unit, previous)),
                Button(t.NEXT, CellMonthView(unit, following)),
            ),
            (Button(t.BACK_CELL, CellCheckins(unit)),),
        ),
    )


def for_secretary(view: MonthView, unit_id: int, *, notice: str = "") -> Screen:
    text = f"<b>{esc(view.member_name)}</b>\n{month_text(view)}"
    buttons = [] if view.erased else [Button(t.COMMENT, CommentCheckin(view.checkin_id))]
    buttons.append(Button(t.MONTH_OVERVIEW, CellMonthView(unit_id, code(view.month))))
    return Screen(f"{notice}\n\n{text}" if notice else text, column(*buttons))


def ask_comment(view: MonthView, unit_id: int) -> Screen:
    return Screen(
        t.ask_comment(esc(view.member_name)),
        column(Button(t.MONTH_OVERVIEW, CellMonthView(unit_id, code(view.month)))),
    )


def ask_day(unit_id: int, kind: str, *, problem: str = "") -> Screen:
    return Screen(problem or t.ask_day(kind), column(Button(t.BACK_CELL, CellCheckins(unit_id))))


def exemptions(unit_id: int, views: tuple[ExemptionView, ...]) -> Screen:
    lines = [
        t.exemption_line(esc(e.member_name), esc(e.reason), e.from_month, e.to_month)
        for e in views
    ]
    ends = [
        Button(t.end_exemption_label(e.member_name), EndExemption(e.exemption_id)) for e in views
    ]
    return Screen(
        t.exemptions(lines),
        column(
            Button(t.EXEMPT_ADD, ExemptPick(unit_id, 0)),
            *ends,
            Button(t.BACK_CELL, CellCheckins(unit_id)),
        ),
    )


def choose_member(unit_id: int, people: list[Candidate]) -> Screen:
    return Screen(
        t.choose_exempt_member(),
        column(
            *(Button(p.name, ExemptPick(unit_id, p.member_id)) for p in people),
            Button(t.BACK_CELL, CellCheckins(unit_id)),
        ),
    )


def choose_months(unit_id: int, member_id: int, name: str, choices: tuple[int, ...]) -> Screen:
    return Screen(
        t.choose_exempt_months(esc(name)),
        (
            tuple(Button(t.months_label(n), ExemptFor(unit_id, member_id, n)) for n in choices),
            (Button(t.BACK_CELL, CellCheckins(unit_id)),),
        ),
    )


def ask_reason(unit_id: int, name: str) -> Screen:
    return Screen(
        t.ask_exempt_reason(esc(name)), column(Button(t.BACK_CELL, CellCheckins(unit_id)))
    )


def _neighbours(month: str) -> tuple[int, int]:
    year, number = int(month[:4]), int(month[5:])
    previous = (year - 1) * 100 + 12 if number == 1 else year * 100 + number - 1
    following = (year + 1) * 100 + 1 if number == 12 else year * 100 + number + 1
    return previous, following
