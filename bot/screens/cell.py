"""The secretary's cell tools."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

from bot.actions import Action
from bot.screens.announce import AnnouncementReport, StartAnnouncement
from bot.screens.base import Button, Screen, column, esc
from bot.screens.checkins import CellCheckins
from bot.screens.membership import PickRemoval
from bot.screens.menus import ImportHelp, OpenDigest, OpenMenu, OpenReminders
from bot.services.cells import CellOverview
from bot.services.invites import CreatedInvite
from bot.texts import announce as announce_texts
from bot.texts import cell as t
from bot.texts import checkins as checkin_texts
from bot.texts import common
from bot.texts import digest as digest_texts
from bot.texts import membership as membership_texts
from bot.texts import quiz_import as quiz_import_texts
from bot.texts import reminders as reminder_texts


@dataclass(frozen=True)
class NewInvite(Action, prefix="inv"):
    unit_id: int
    role: Literal["ask", "member", "deputy", "secretary"]


@dataclass(frozen=True)
class ListMembers(Action, prefix="members"):
    unit_id: int


def cell_menu(overview: CellOverview, *, remover: bool = False) -> Screen:
    # Only the secretary removes members; the deputy sees the menu without that button.
    remove = [Button(membership_texts.MENU_REMOVE, PickRemoval(overview.unit_id))]
    return Screen(
        t.cell_menu(esc(overview.name), overview.active, overview.onboarding),
        column(
            Button(t.INVITE_CREATE, NewInvite(overview.unit_id, "ask")),
            Button(t.MEMBER_LIST, ListMembers(overview.unit_id)),
            *(remove if remover else []),
            Button(announce_texts.MENU_ANNOUNCE, StartAnnouncement(overview.unit_id)),
            Button(announce_texts.MENU_REPORT, AnnouncementReport(overview.unit_id)),
            Button(checkin_texts.MENU_CELL_CHECKINS, CellCheckins(overview.unit_id)),
            Button(digest_texts.MENU_CELL, OpenDigest(overview.unit_id)),
            Button(reminder_texts.MENU, OpenReminders(overview.unit_id)),
            Button(quiz_import_texts.MENU_IMPORT, ImportHelp(overview.unit_id)),
            Button(common.MENU_MAIN, OpenMenu()),
        ),
    )


def choose_role(unit_id: int, roles: list[str]) -> Screen:
    choices = [r for r in ("member", "deputy", "secretary") if r in roles]
    buttons = [Button(t.role_name(r), NewInvite(unit_id, r)) for r in choices]
    return Screen(t.choose_invite_role(), column(*buttons, Button(common.MENU_MAIN, OpenMenu())))


def invite_created(invite: CreatedInvite, link: str | None, unit_id: int, tz: tzinfo) -> Screen:
    expires = invite.expires_at.astimezone(tz)
    return Screen(
        t.invite_created(invite.code, link, invite.role.value, expires, invite.max_uses),
        column(
            Button(t.INVITE_CREATE, NewInvite(unit_id, "ask")),
            Button(common.MENU_MAIN, OpenMenu()),
        ),
    )


def member_list(overview: CellOverview) -> Screen:
    lines = [
        t.member_line(no, esc(row.full_name), row.role.value, row.joined)
        for no, row in enumerate(overview.members, start=1)
    ]
    return Screen(
        t.member_list(esc(overview.name), lines),
        column(
            Button(t.INVITE_CREATE, NewInvite(overview.unit_id, "ask")),
            Button(common.MENU_MAIN, OpenMenu()),
        ),
    )
