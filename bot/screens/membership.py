"""Screens for removing a member (the secretary) and taking a role back (a committee admin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.actions import Action
from bot.screens.base import Button, Screen, column, esc
from bot.screens.menus import OpenCell, OpenMenu
from bot.services.membership import Cell, People, Removed, Revoked
from bot.texts import cell as cell_texts
from bot.texts import common
from bot.texts import membership as t
from db.models import Role

Reason = Literal["transfer", "mistake", "stopped", "other"]


@dataclass(frozen=True)
class PickRemoval(Action, prefix="rmpick"):
    unit_id: int


@dataclass(frozen=True)
class RemoveWho(Action, prefix="rmwho"):
    member_id: int


@dataclass(frozen=True)
class RemoveWhy(Action, prefix="rmwhy"):
    member_id: int
    reason: Reason  # "other": the secretary's typed reason, kept in the conversation state


@dataclass(frozen=True)
class RemoveConfirm(Action, prefix="rmok"):
    member_id: int
    reason: Reason


@dataclass(frozen=True)
class CancelRemoval(Action, prefix="rmno"):
    unit_id: int  # back to the cell menu, leaving the typed-reason step


@dataclass(frozen=True)
class PickRevoke(Action, prefix="rvpick"):
    unit_id: int  # the cell


@dataclass(frozen=True)
class RevokeWho(Action, prefix="rvwho"):
    member_id: int


@dataclass(frozen=True)
class RevokeConfirm(Action, prefix="rvok"):
    member_id: int


def _people(people: People, pick: type[RemoveWho] | type[RevokeWho]) -> list[Button]:
    return [
        Button(t.person_button(no, p.name, cell_texts.role_name(p.role.value)), pick(p.member_id))
        for no, p in enumerate(people.people, start=1)
    ]


def pick_removal(people: People) -> Screen:
    buttons = _people(people, RemoveWho)
    return Screen(
        t.pick_removal(esc(people.unit_name), len(buttons)),
        column(*buttons, Button(t.CANCEL, CancelRemoval(people.unit_id))),
    )


def ask_reason(unit_id: int, member_id: int, name: str) -> Screen:
    codes: tuple[Reason, ...] = ("transfer", "mistake", "stopped")
    reasons = [Button(t.reason_label(code), RemoveWhy(member_id, code)) for code in codes]
    return Screen(
        t.ask_reason(esc(name)),
        column(*reasons, Button(t.CANCEL, CancelRemoval(unit_id))),
    )


def confirm_removal(unit_id: int, member_id: int, name: str, code: Reason, typed: str) -> Screen:
    reason = esc(typed) if code == "other" else t.reason_label(code)
    return Screen(
        t.confirm_removal(esc(name), reason),
        column(
            Button(t.CONFIRM_REMOVE, RemoveConfirm(member_id, code)),
            Button(t.CANCEL, CancelRemoval(unit_id)),
        ),
    )


def removed(done: Removed) -> Screen:
    return Screen(
        t.removed(esc(done.name)),
        column(Button(t.BACK, OpenCell(done.unit_id)), Button(common.MENU_MAIN, OpenMenu())),
    )


def removed_notice(cell_name: str, reason: str) -> Screen:
    label = t.REASONS.get(reason, reason)
    return Screen(t.removed_notice(esc(cell_name), esc(label)), ())


def pick_cell(committee_id: int, cells: tuple[Cell, ...]) -> Screen:
    buttons = [
        Button(f"{no}. {c.name}", PickRevoke(c.unit_id)) for no, c in enumerate(cells, start=1)
    ]
    return Screen(
        t.pick_cell(len(buttons)),
        column(*buttons, Button(t.CANCEL, OpenMenu())),
    )


def pick_revoke(people: People) -> Screen:
    buttons = _people(people, RevokeWho)
    return Screen(
        t.pick_revoke(esc(people.unit_name), len(buttons)),
        column(*buttons, Button(t.CANCEL, OpenMenu())),
    )


def confirm_revoke(member_id: int, name: str, role: Role) -> Screen:
    return Screen(
        t.confirm_revoke(esc(name), cell_texts.role_name(role.value)),
        column(
            Button(t.CONFIRM_REVOKE, RevokeConfirm(member_id)),
            Button(t.CANCEL, OpenMenu()),
        ),
    )


def revoked(done: Revoked) -> Screen:
    return Screen(
        t.revoked(esc(done.name), cell_texts.role_name(done.role.value)),
        column(Button(t.BACK, PickRevoke(done.unit_id)), Button(common.MENU_MAIN, OpenMenu())),
    )
