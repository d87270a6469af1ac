"""Screens of a secretary's announcement: write, preview, confirm, and the delivery report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from bot.actions import Action
from bot.screens.base import Button, Screen, column, esc
from bot.screens.menus import OpenCell
from bot.services.announcements import TEXT_MAX, Delivery, Draft
from bot.texts import announce as t


@dataclass(frozen=True)
class StartAnnouncement(Action, prefix="ann"):
    unit_id: int


@dataclass(frozen=True)
class ConfirmAnnouncement(Action, prefix="annok"):
    unit_id: int


@dataclass(frozen=True)
class AnnouncementReport(Action, prefix="annrep"):
    unit_id: int


def ask_text(unit_id: int, problem: str = "") -> Screen:
    return Screen(problem or t.ask_text(TEXT_MAX), column(Button(t.CANCEL, OpenCell(unit_id))))


def preview(draft: Draft) -> Screen:
    text = t.preview(draft.recipients, esc(draft.text))
    if draft.recipients == 0:
        return Screen(text, column(Button(t.BACK_TO_CELL, OpenCell(draft.unit_id))))
    return Screen(
        text,
        column(
            Button(t.SEND, ConfirmAnnouncement(draft.unit_id)),
            Button(t.EDIT, StartAnnouncement(draft.unit_id)),
            Button(t.CANCEL, OpenCell(draft.unit_id)),
        ),
    )


def message(cell_name: str, text: str, author: str) -> Screen:
    """The announcement as members receive it: their words escaped, never parsed as HTML."""
    return Screen(t.message(esc(cell_name), esc(text), esc(author)))


def queued(unit_id: int, recipients: int) -> Screen:
    return Screen(
        t.queued(recipients),
        column(
            Button(t.MENU_REPORT, AnnouncementReport(unit_id)),
            Button(t.BACK_TO_CELL, OpenCell(unit_id)),
        ),
    )


def draft_gone(unit_id: int) -> Screen:
    return Screen(
        t.draft_gone(),
        column(
            Button(t.MENU_REPORT, AnnouncementReport(unit_id)),
            Button(t.MENU_ANNOUNCE, StartAnnouncement(unit_id)),
            Button(t.BACK_TO_CELL, OpenCell(unit_id)),
        ),
    )


def report(unit_id: int, cell_name: str, rows: list[Delivery], tz: tzinfo) -> Screen:
    lines = [t.report_title(esc(cell_name))]
    if not rows:
        lines.append(t.report_empty())
    for row in rows:
        excerpt = row.text if len(row.text) <= 40 else row.text[:39].rstrip() + "…"
        lines.append(
            t.report_line(
                row.created_at.astimezone(tz),
                esc(excerpt.replace("\n", " ")),
                row.delivered,
                row.recipients,
                row.waiting,
                row.blocked,
                row.failed,
            )
        )
    return Screen(
        "\n".join(lines),
        column(
            Button(t.REFRESH, AnnouncementReport(unit_id)),
            Button(t.MENU_ANNOUNCE, StartAnnouncement(unit_id)),
            Button(t.BACK_TO_CELL, OpenCell(unit_id)),
        ),
    )
