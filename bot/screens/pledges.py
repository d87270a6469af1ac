"""The pledge: intro, the writing steps, review, the pledge itself, history, the secretary's
review. It imports services only for types (bot.delivery.notices builds the notices from here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.actions import Action
from bot.screens.base import Button, Screen, column, esc
from bot.screens.menus import OpenCell, OpenMenu, OpenPledge
from bot.texts import common
from bot.texts import pledges as t

if TYPE_CHECKING:
    from bot.services.pledge_reviews import Review, Revision
    from bot.services.pledges import Item, PledgeDraft, PledgeView

MAX_ITEMS = 3


@dataclass(frozen=True)
class StartPledge(Action, prefix="pls"):
    year: int


@dataclass(frozen=True)
class KeepText(Action, prefix="plk"):
    year: int


@dataclass(frozen=True)
class EditItem(Action, prefix="ple"):
    year: int
    position: int  # one past the last adds an item


@dataclass(frozen=True)
class DropLast(Action, prefix="pld"):
    year: int


@dataclass(frozen=True)
class SubmitPledge(Action, prefix="plsub"):
    year: int


@dataclass(frozen=True)
class CancelPledge(Action, prefix="plc"):
    year: int
    confirmed: bool


@dataclass(frozen=True)
class PledgeHistory(Action, prefix="plh"):
    pledge_id: int


@dataclass(frozen=True)
class PendingPledges(Action, prefix="plq"):
    unit_id: int


@dataclass(frozen=True)
class ReviewPledge(Action, prefix="plr"):
    pledge_id: int


@dataclass(frozen=True)
class DecidePledge(Action, prefix="pldec"):
    pledge_id: int
    version: int
    approve: bool


def _menu() -> Button:
    return Button(common.MENU_MAIN, OpenMenu())


def item_lines(items: tuple[Item, ...]) -> list[str]:
    return [
        t.item_line(no, esc(item.action), esc(item.measure))
        for no, item in enumerate(items, start=1)
    ]


def intro(year: int) -> Screen:
    return Screen(t.intro(year), column(Button(t.START, StartPledge(year)), _menu()))


def draft(view: PledgeDraft, *, problem: str = "") -> Screen:
    """The step the draft is on: a typed field, or the review."""
    if view.step == "review":
        return review(view)
    current = esc(view.current) if view.current else None
    if view.step == "action":
        text = t.ask_action(view.position, current)
    else:
        action = view.items[view.position - 1].action
        text = t.ask_measure(view.position, esc(action), current)
    buttons = [Button(t.KEEP, KeepText(view.year))] if view.current else []
    buttons.append(Button(t.CANCEL, CancelPledge(view.year, False)))
    return Screen(f"{problem}\n\n{text}" if problem else text, column(*buttons))


def review(view: PledgeDraft) -> Screen:
    buttons = [
        Button(t.edit_label(no), EditItem(view.year, no)) for no in range(1, len(view.items) + 1)
    ]
    if len(view.items) < MAX_ITEMS:
        buttons.append(Button(t.ADD, EditItem(view.year, len(view.items) + 1)))
    if len(view.items) > 1:
        buttons.append(Button(t.DROP_LAST, DropLast(view.year)))
    buttons += [
        Button(t.SUBMIT, SubmitPledge(view.year)),
        Button(t.CANCEL, CancelPledge(view.year, False)),
    ]
    return Screen(t.review(view.year, item_lines(view.items), view.amending), column(*buttons))


def confirm_cancel(year: int) -> Screen:
    return Screen(
        t.confirm_cancel(),
        column(
            Button(t.CANCEL_YES, CancelPledge(year, True)),
            Button(t.CANCEL_NO, StartPledge(year)),
        ),
    )


def pledge(view: PledgeView, *, notice: str = "") -> Screen:
    text = t.pledge(
        view.year,
        view.status.value,
        item_lines(view.items),
        esc(view.comment) if view.comment else None,
        view.erased,
    )
    return Screen(
        f"{notice}\n\n{text}" if notice else text,
        column(
            Button(t.AMEND, StartPledge(view.year)),
            Button(t.HISTORY, PledgeHistory(view.pledge_id)),
            _menu(),
        ),
    )


def history(year: int, revisions: list[Revision], back: Action) -> Screen:
    entries = []
    for rev in revisions:
        lines = item_lines(rev.items)
        if rev.comment:
            lines.append(t.history_comment(esc(rev.comment)))
        entries.append(
            t.history_entry(
                rev.version, rev.event, rev.at, esc(rev.actor) if rev.actor else None, lines
            )
        )
    return Screen(t.history(year, entries), column(Button(t.BACK, back), _menu()))


def pending(unit_id: int, cell: str, views: list[PledgeView]) -> Screen:
    names = [f"{no}. {esc(v.member_name)}" for no, v in enumerate(views, start=1)]
    buttons = [
        Button(f"{no}. {v.member_name}", ReviewPledge(v.pledge_id))
        for no, v in enumerate(views, start=1)
    ]
    return Screen(
        t.pending_list(esc(cell), names),
        column(*buttons, Button(common.MENU_CELL, OpenCell(unit_id)), _menu()),
    )


def for_secretary(review_: Review, unit_id: int) -> Screen:
    view = review_.pledge
    before = item_lines(review_.approved_before) if review_.approved_before is not None else None
    return Screen(
        t.review_for_secretary(
            esc(view.member_name), view.year, view.version, item_lines(view.items), before
        ),
        column(
            Button(t.APPROVE, DecidePledge(view.pledge_id, view.version, True)),
            Button(t.RETURN, DecidePledge(view.pledge_id, view.version, False)),
            Button(t.HISTORY, PledgeHistory(view.pledge_id)),
            Button(t.PENDING, PendingPledges(unit_id)),
        ),
    )


def ask_return_comment(member: str, unit_id: int) -> Screen:
    return Screen(
        t.ask_return_comment(esc(member)), column(Button(t.PENDING, PendingPledges(unit_id)))
    )


def decided(approved: bool, member: str, unit_id: int) -> Screen:
    return Screen(
        t.decided(approved, esc(member)),
        column(Button(t.PENDING, PendingPledges(unit_id)), _menu()),
    )


def submitted_notice(member: str, year: int, amended: bool, unit_id: int) -> Screen:
    return Screen(
        t.submitted_notice(esc(member), year, amended),
        column(Button(t.PENDING, PendingPledges(unit_id))),
    )


def decided_notice(year: int, approved: bool, comment: str | None) -> Screen:
    text = t.decided_notice(year, approved, esc(comment) if comment else None)
    return Screen(text, column(Button(t.MENU_PLEDGE, OpenPledge())))
