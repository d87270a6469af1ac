"""Importing a question bank: the help page, the report of a file, publishing a draft."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.actions import Action
from bot.quiz_models import telegram_length
from bot.screens.base import Button, Screen, column, esc
from bot.screens.menus import OpenCell, OpenMenu
from bot.services.quiz_banks import BankInfo
from bot.services.quiz_import import ParsedBank
from bot.texts import common, quiz
from bot.texts import quiz_import as t

MESSAGE_MAX = 4096  # Telegram's limit for one message's text


@dataclass(frozen=True)
class SendTemplate(Action, prefix="qbtpl"):
    kind: Literal["xlsx", "csv"]


@dataclass(frozen=True)
class PublishBank(Action, prefix="qbpub"):
    bank_id: int


@dataclass(frozen=True)
class DiscardBank(Action, prefix="qbdel"):
    bank_id: int


def import_help(unit_id: int, unit_name: str, banks: list[BankInfo], *, cell: bool) -> Screen:
    """How to send a bank, the templates, and the unit's banks; a committee has no cell menu."""
    lines = [t.bank_line(esc(b.title), b.status.value, b.questions) for b in banks[:10]]
    back = [Button(common.MENU_CELL, OpenCell(unit_id))] if cell else []
    return Screen(
        t.import_help(esc(unit_name), lines),
        column(
            Button(t.TEMPLATE_XLSX, SendTemplate("xlsx")),
            Button(t.TEMPLATE_CSV, SendTemplate("csv")),
            *back,
            Button(common.MENU_MAIN, OpenMenu()),
        ),
    )


def report(file_name: str, parsed: ParsedBank, draft: BankInfo | None) -> list[Screen]:
    """The report of one file, split into messages that fit; the buttons go on the last."""
    lines = [f"<b>{esc(t.summary(file_name, len(parsed.questions), len(parsed.problems)))}</b>"]
    shown = parsed.problems[: t.SHOWN_PROBLEMS]
    lines += [esc(t.row_problem(p.row, p.reason)) for p in shown]
    if len(parsed.problems) > len(shown):
        lines.append(t.more_problems(len(parsed.problems) - len(shown)))
    lines.append("")
    if parsed.too_long_for_polls:
        lines.append(t.too_long_for_polls(parsed.too_long_for_polls))
    # The quiz linter's advice (bot.quiz_lint): tells that let a player guess without knowing.
    lines += [esc(quiz.lint(f.kind, f.ids, f.words, f.share)) for f in parsed.findings[:10]]
    if draft is None:
        lines.append(t.nothing_imported())
        buttons = column(Button(common.MENU_MAIN, OpenMenu()))
    else:
        lines.append(esc(t.draft_saved(draft.title, draft.questions)))
        lines.append(f"<i>{t.unverified()}</i>")
        buttons = column(
            Button(t.PUBLISH, PublishBank(draft.id)),
            Button(t.DISCARD, DiscardBank(draft.id)),
        )
    chunks = _split(lines)
    return [Screen(text) for text in chunks[:-1]] + [Screen(chunks[-1], buttons)]


def rejected(file_name: str, reason: str) -> Screen:
    return Screen(esc(t.rejected(file_name, reason)), column(Button(common.MENU_MAIN, OpenMenu())))


def not_importer() -> Screen:
    return Screen(t.not_importer(), column(Button(common.MENU_MAIN, OpenMenu())))


def published(info: BankInfo) -> Screen:
    text = esc(t.published(info.title, info.questions, info.unit_name))
    return Screen(text, column(Button(common.MENU_MAIN, OpenMenu())))


def discarded(info: BankInfo) -> Screen:
    return Screen(esc(t.discarded(info.title)), column(Button(common.MENU_MAIN, OpenMenu())))


def _split(lines: list[str]) -> list[str]:
    """Join lines into texts of at most MESSAGE_MAX; a line is never cut (each is short)."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        joined = f"{current}\n{line}" if current else line
        if current and telegram_length(joined) > MESSAGE_MAX:
            chunks.append(current)
            joined = line
        current = joined
    chunks.append(current)
    return chunks
