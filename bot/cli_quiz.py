"""`hocbac quiz …`: question banks imported from Excel/CSV (bot.services.quiz_banks).

Kept beside bot/cli.py so that file stays small; bot/cli.py adds `quiz_app` under "quiz" and
this module takes its session and settings helpers inside the commands (no import cycle).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import SystemClock
from bot.errors import NotFound
from bot.services import cells, quiz_banks
from bot.services.quiz_banks import BankInfo, BankQuestion
from bot.services.quiz_import import FileRejected, parse_bank
from bot.texts import quiz_import as t
from db import migrate as migrations
from db.models import Unit

quiz_app = typer.Typer(help="Question banks imported from Excel/CSV.")


@quiz_app.command("import")
def quiz_import(
    file: Annotated[Path, typer.Argument(help=".xlsx or .csv (UTF-8), see docs/quiz-banks.md.")],
    unit: Annotated[str, typer.Option(help='The owner: a unit name ("Chi bộ 1") or id.')],
    title: Annotated[str | None, typer.Option(help="Bank title (default: the file name).")] = None,
    publish: Annotated[bool, typer.Option("--publish", help="Publish it at once.")] = False,
) -> None:
    """Import a question bank as a draft; print every bad row with its number and reason."""
    if not file.is_file():
        typer.echo(t.rejected(file.name, t.not_a_table(str(file))), err=True)
        raise typer.Exit(1)
    try:
        parsed = parse_bank(file.read_bytes(), file.name)
    except FileRejected as error:
        typer.echo(t.rejected(file.name, error.reason), err=True)
        raise typer.Exit(1) from error
    typer.echo(t.summary(file.name, len(parsed.questions), len(parsed.problems)))
    for problem in parsed.problems:  # all of them: a terminal has no message limit
        typer.echo(t.row_problem(problem.row, problem.reason))
    if parsed.too_long_for_polls:
        typer.echo(t.too_long_for_polls(parsed.too_long_for_polls))
    if not parsed.questions:
        typer.echo(t.nothing_imported_cli(), err=True)
        raise typer.Exit(1)
    _store(file.name, unit, title, parsed.questions, publish=publish)


def _store(
    name: str, unit: str, title: str | None, questions: tuple[BankQuestion, ...], *, publish: bool
) -> None:
    from bot.cli import _session, _settings

    migrations.upgrade(_settings().database_url)
    clock = SystemClock()

    async def go() -> tuple[BankInfo, bool]:
        async with _session() as session:
            draft = await quiz_banks.create_draft(
                session,
                clock,
                unit_id=await _find_unit(session, unit),
                actor=None,
                file_name=name,
                questions=questions,
                title=title,
            )
            if publish:
                return await quiz_banks.publish(session, clock, None, draft.id), True
            return draft, False

    try:
        info, published = asyncio.run(go())
    except NotFound as error:
        typer.echo(t.cli_no_unit(unit), err=True)
        raise typer.Exit(1) from error
    typer.echo(t.draft_saved_cli(info.id, info.title, info.questions))
    if published:
        typer.echo(t.published(info.title, info.questions, info.unit_name))


@quiz_app.command("banks")
def quiz_banks_list(
    unit: Annotated[str | None, typer.Option(help="Only this unit (name or id).")] = None,
) -> None:
    """List imported question banks with their status and question count."""
    from bot.cli import _session, _settings

    migrations.upgrade(_settings().database_url)

    async def go() -> list[BankInfo]:
        async with _session() as session:
            owner = await _find_unit(session, unit) if unit else None
            return await quiz_banks.list_banks(session, owner)

    try:
        banks = asyncio.run(go())
    except NotFound as error:
        typer.echo(t.cli_no_unit(unit or ""), err=True)
        raise typer.Exit(1) from error
    for b in banks:
        typer.echo(t.cli_bank_line(b.id, b.title, b.status.value, b.questions, b.unit_name))
    if not banks:
        typer.echo(t.cli_no_banks())


@quiz_app.command("publish")
def quiz_publish(
    bank_id: Annotated[int, typer.Argument(help="The id from `hocbac quiz banks`.")],
) -> None:
    """Publish a draft bank."""
    from bot.cli import _session, _settings

    migrations.upgrade(_settings().database_url)

    async def go() -> BankInfo:
        async with _session() as session:
            return await quiz_banks.publish(session, SystemClock(), None, bank_id)

    try:
        info = asyncio.run(go())
    except NotFound as error:
        typer.echo(t.cli_no_bank(bank_id), err=True)
        raise typer.Exit(1) from error
    except quiz_banks.NotDraft as error:
        typer.echo(t.not_a_draft(error.status.value), err=True)
        raise typer.Exit(1) from error
    typer.echo(t.published(info.title, info.questions, info.unit_name))


async def _find_unit(session: AsyncSession, name: str) -> int:
    """A unit by id (digits) or by name, compared without diacritics or case."""
    if name.isdigit():
        unit = await session.get(Unit, int(name))
        if unit is None:
            raise NotFound(f"no unit {name}")
        return unit.id
    return (await cells.find_unit(session, name)).id
