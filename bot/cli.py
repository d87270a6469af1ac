"""The `hocbac` command line."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.cli_quiz import quiz_app
from bot.clock import SystemClock
from bot.logs import setup_logging
from bot.settings import Settings
from db import create_engine, create_sessionmaker
from db import migrate as migrations
from db.engine import is_sqlite

CONNECT_SECONDS = 15  # to reach the database at start-up
STOP_SECONDS = 20  # for a clean stop before the process exits anyway
app = typer.Typer(help="hocbac: trợ lý học tập và làm theo Bác cho chi bộ.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.")
invite_app = typer.Typer(help="Invites to join a unit.")
unit_app = typer.Typer(help="Units: đảng bộ and chi bộ.")
inbox_app = typer.Typer(help="The update inbox.")
outbox_app = typer.Typer(help="The outbox of scheduled and bulk messages.")
content_app = typer.Typer(help="The content pack: works, themes, lessons.")
theme_app = typer.Typer(help="Study themes: which one each unit follows.")
app.add_typer(db_app, name="db")
app.add_typer(invite_app, name="invite")
app.add_typer(unit_app, name="unit")
app.add_typer(inbox_app, name="inbox")
app.add_typer(outbox_app, name="outbox")
app.add_typer(content_app, name="content")
app.add_typer(theme_app, name="theme")
app.add_typer(quiz_app, name="quiz")


def _settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        # Stop before anything listens, with the reason and not a traceback.
        for problem in error.errors():
            typer.echo(f"hocbac: {problem['msg'].removeprefix('Value error, ')}", err=True)
        raise typer.Exit(2) from None
    secrets = [s.get_secret_value() for s in (settings.bot_token, settings.webhook_secret) if s]
    setup_logging(settings.log_level, secrets)
    return settings


@app.command()
def run(
    migrate: Annotated[bool, typer.Option(help="Upgrade the database first.")] = True,
) -> None:
    """Run the bot: the local web chat without BOT_TOKEN, else Telegram (polling or webhook)."""
    settings = _settings()
    _check_database(settings.database_url)
    if migrate:
        migrations.upgrade(settings.database_url)
    if asyncio.run(_run(settings)) != 0:
        raise typer.Exit(1)


@app.command()
def sender() -> None:
    """Run one more outbox sender (no ingest, no scheduler), beside `hocbac run` on PostgreSQL.

    Senders share the rate budget through REDIS_URL and never take the same row."""
    settings = _settings()
    if settings.bot_token is None:
        typer.echo("A sender needs BOT_TOKEN (the local web chat runs in `hocbac run`).", err=True)
        raise typer.Exit(1)
    _check_database(settings.database_url)
    if asyncio.run(_run(settings, sender_only=True)) != 0:
        raise typer.Exit(1)


def _check_database(url: str) -> None:
    """Stop with a plain message, not a traceback, if the database is unreachable at start-up.

    Only here: once running, the bot waits out a database outage (see bot/supervisor.py)."""

    async def ping() -> None:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    try:
        if is_sqlite(url):  # aiosqlite's thread outlives a failed open: ask sqlite3 directly
            sqlite3.connect(make_url(url).database or ":memory:").close()
        else:
            asyncio.run(asyncio.wait_for(ping(), CONNECT_SECONDS))
    except Exception as error:  # whatever the driver raises, the answer is the same
        shown = make_url(url).render_as_string(hide_password=True)
        typer.echo(
            f"hocbac: cannot reach the database {shown} ({type(error).__name__}). Check "
            "DATABASE_URL and that the database server is running, then start hocbac again.",
            err=True,
        )
        raise typer.Exit(1) from None


async def _run(settings: Settings, *, sender_only: bool = False) -> int:
    """Run until SIGINT/SIGTERM (0) or until a task cannot recover (1: be restarted)."""
    from bot.app import build_app  # aiogram is imported only by the commands that run the bot

    bot_app = build_app(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await (bot_app.start_sender() if sender_only else bot_app.start())
    if bot_app.webchat is not None:
        typer.echo(f"Web chat: http://{settings.local_chat_host}:{bot_app.webchat.port}/")
    gave_up = bot_app.health.gave_up
    waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(gave_up.wait())]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()
        try:
            # A database that hangs could hold a clean stop for ever; the exit must happen.
            await asyncio.wait_for(bot_app.stop(), STOP_SECONDS)
        except TimeoutError:
            logging.getLogger(__name__).error("stopping took too long; exiting anyway")
    return 1 if bot_app.health.unhealthy else 0


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Upgrade the database schema."""
    migrations.upgrade(_settings().database_url, revision)
    typer.echo(f"Database at {revision}.")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Downgrade the database schema."""
    migrations.downgrade(_settings().database_url, revision)


@unit_app.command("add")
def unit_add(
    name: str,
    kind: Annotated[str, typer.Option(help="cell (chi bộ) or committee (đảng bộ)")] = "cell",
    parent: Annotated[str | None, typer.Option(help="Name of the unit above.")] = None,
) -> None:
    """Create a unit (idempotent)."""
    from bot.services import cells
    from db.models import UnitKind

    async def go() -> int:
        async with _session() as session:
            parent_id = (await cells.find_unit(session, parent)).id if parent else None
            unit = await cells.ensure_unit(session, SystemClock(), name, UnitKind(kind), parent_id)
            await session.commit()
            return unit.id

    settings = _settings()
    migrations.upgrade(settings.database_url)
    typer.echo(f"Unit {name!r}: id {asyncio.run(go())}.")


@invite_app.command("create")
def invite_create(
    cell: Annotated[str, typer.Option(help='Unit name, e.g. "Chi bộ 1".')],
    role: Annotated[str, typer.Option(help="member, deputy, secretary, committee_admin")] = (
        "member"
    ),
    name: Annotated[str | None, typer.Option(help="Full name of the person invited.")] = None,
    uses: Annotated[int, typer.Option(min=1, max=1000)] = 1,
    hours: Annotated[int | None, typer.Option(min=1, help="Validity (INVITE_TTL_HOURS).")] = None,
) -> None:
    """Create an invite and print its code (shown only once)."""
    from bot.services import cells, invites
    from db.models import Role

    settings = _settings()
    migrations.upgrade(settings.database_url)

    async def go() -> invites.CreatedInvite:
        async with _session() as session:
            unit = await cells.find_unit(session, cell)
            return await invites.create_invite(
                session,
                SystemClock(),
                unit_id=unit.id,
                role=Role(role),
                actor=None,
                ttl=timedelta(hours=hours or settings.invite_ttl_hours),
                max_uses=uses,
                full_name=name,
            )

    created = asyncio.run(go())
    expires = created.expires_at.astimezone(settings.tz)
    typer.echo(f"Code: {created.code}  (/start {invites.normalise_code(created.code)})")
    typer.echo(
        f"Unit: {created.unit_name}; role: {created.role.value}; uses: {created.max_uses};"
        f" expires {expires:%Y-%m-%d %H:%M %Z}"
    )


@content_app.command("check")
def content_check(
    root: Annotated[Path | None, typer.Option(help="Content folder (default: content/).")] = None,
) -> None:
    """Check every work, theme, lesson and quiz question; list each problem with file and line."""
    from bot.catalog import CONTENT, ContentError, check_catalog, load_catalog
    from bot.content_report import verification_table
    from bot.quizbank import check_banks, load_banks
    from bot.services.holidays import load_calendar

    folder = root or CONTENT
    problems = check_catalog(folder)
    if not problems:  # the quizzes are checked against the works, so those must load first
        problems = check_banks(folder, load_catalog(folder))
    try:
        load_calendar(folder)
    except ContentError as error:
        problems += error.problems
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s); nothing was loaded.", err=True)
        raise typer.Exit(1)
    catalog = load_catalog(folder)
    banks = load_banks(folder, catalog)
    typer.echo(
        f"OK: {len(catalog.works)} works, {len(catalog.themes)} themes, "
        f"{catalog.lesson_count} lessons, {banks.question_count} quiz questions in "
        f"{len(banks.banks)} banks."
    )
    for line in verification_table(catalog, banks):
        typer.echo(line)
    findings = banks.lint()
    typer.echo(f"Quiz linter: {len(findings)} finding(s).")
    for finding in findings:
        typer.echo(f"  {finding}")
    if findings:
        raise typer.Exit(1)


@content_app.command("load")
def content_load() -> None:
    """Check content/ and rebuild the search index in the database (every start does this too)."""
    from bot.catalog import ContentError, load_catalog
    from bot.services import search

    settings = _settings()
    migrations.upgrade(settings.database_url)
    try:
        catalog = load_catalog()
    except ContentError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error

    async def go() -> int:
        async with _session() as session:
            return await search.load_passages(session, catalog)

    typer.echo(f"OK: {catalog.lesson_count} lessons, {asyncio.run(go())} searchable paragraphs.")


@content_app.command("import")
def content_import(
    files: Annotated[
        list[Path], typer.Argument(help=".docx, .xlsx or .md; several are checked as one.")
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Add without asking.")] = False,
    root: Annotated[Path | None, typer.Option(help="Content folder (default: content/).")] = None,
) -> None:
    """Import works, themes and lessons from .docx, .xlsx or .md; check, preview, then add them."""
    from bot.catalog import CONTENT
    from bot.services import content_import as importer
    from bot.texts import content as t

    folder = root or CONTENT
    records: list[importer.Record] = []
    for file in files:  # several files are checked and added as one
        try:
            records += importer.read_records(file, named=len(files) > 1)
        except importer.ContentImportError as error:
            typer.echo(f"{file.name}: {error}" if len(files) > 1 else str(error), err=True)
            raise typer.Exit(1) from error
    plan = importer.plan_import(folder, records)
    if plan.problems:
        for problem in plan.problems:
            typer.echo(problem, err=True)
        typer.echo(t.problems(len(plan.problems)), err=True)
        raise typer.Exit(1)
    for line in importer.preview(plan):
        typer.echo(line)
    if not yes and not typer.confirm(t.confirm()):
        typer.echo(t.cancelled())
        raise typer.Exit(1)
    importer.apply_import(folder, plan)
    typer.echo(t.done(*plan.counts()))


@theme_app.command("list")
def theme_list() -> None:
    """List the themes in content/ and how many lessons each has."""
    from bot.catalog import load_catalog

    catalog = load_catalog()
    for theme in catalog.themes.values():
        count = len(catalog.lessons.get(theme.id, ()))
        # A theme whose official name was not found has none; say why instead of a blank.
        name = theme.name or f"[{theme.status}: no official name found]"
        typer.echo(
            f"{theme.id}  ({', '.join(map(str, theme.years))}; {theme.owner}; {count} bài)  {name}"
        )


@theme_app.command("set")
def theme_set(
    unit: Annotated[str, typer.Option(help="A committee or cell; cells below inherit.")],
    theme: Annotated[str, typer.Option(help="A theme id from `hocbac theme list`.")],
) -> None:
    """Choose the theme a unit follows this year."""
    from bot.catalog import load_catalog
    from bot.services import cells, lessons

    settings = _settings()
    migrations.upgrade(settings.database_url)

    async def go() -> None:
        async with _session() as session:
            found = await cells.find_unit(session, unit)
            await lessons.set_theme(session, SystemClock(), load_catalog(), found.id, theme)

    asyncio.run(go())
    typer.echo(f"{unit}: {theme}")


@inbox_app.command("status")
def inbox_status() -> None:
    """Print how many updates are pending, done and failed."""
    from bot.delivery import inbox

    async def go() -> dict[str, int]:
        async with _session() as session:
            return await inbox.counts(session)

    for status, count in sorted(asyncio.run(go()).items()):
        typer.echo(f"{status}: {count}")


@outbox_app.command("status")
def outbox_status() -> None:
    """Print the counts by status (dropped ones by reason) and the oldest due row's age."""
    from bot.clock import SystemClock
    from bot.delivery import outbox

    clock = SystemClock()

    async def go() -> outbox.Counts:
        async with _session() as session:
            return await outbox.counts(session, clock)

    counts = asyncio.run(go())
    for status, count in counts.by_status.items():
        typer.echo(f"{status}: {count}")
    for reason, count in sorted(counts.dropped_by_reason.items()):
        typer.echo(f"  dropped, {reason}: {count}")
    if counts.oldest_pending is None:
        typer.echo("oldest pending: none")
    else:
        age = int((clock.now() - counts.oldest_pending).total_seconds())
        typer.echo(f"oldest pending: {age} s")


@contextlib.asynccontextmanager
async def _session():  # type: ignore[no-untyped-def]
    engine = create_engine(Settings().database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            yield session
    finally:
        await engine.dispose()
