"""The `hocbac` commands an operator types, on a real database."""

from __future__ import annotations

import asyncio
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from bot.catalog import CONTENT, load_catalog
from bot.cli import app
from bot.clock import SystemClock
from bot.delivery import outbox
from bot.services import invites
from db import create_engine, create_sessionmaker
from db.models import Invite, OutboxMessage, OutboxStatus, Role, Unit, UnitKind

runner = CliRunner()


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_TOKEN", "")


def test_an_operator_sets_up_a_cell_and_invites_its_secretary(env: None) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    made = runner.invoke(app, ["unit", "add", "Đảng bộ phường 1", "--kind", "committee"])
    assert made.exit_code == 0, made.output
    made = runner.invoke(app, ["unit", "add", "Chi bộ 1", "--parent", "dang bo phuong 1"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        app,
        [
            "invite",
            "create",
            "--cell",
            "Chi bộ 1",
            "--role",
            "secretary",
            "--name",
            "Trần Thị Thư",
            "--uses",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    code = re.search(r"Code: (\S+)", result.output)
    assert code is not None
    status = runner.invoke(app, ["inbox", "status"])
    assert status.exit_code == 0


def test_the_invite_from_the_command_line_is_stored_hashed(env: None, database_url: str) -> None:
    runner.invoke(app, ["unit", "add", "Đảng bộ 1", "--kind", "committee"])
    runner.invoke(app, ["unit", "add", "Chi bộ 1", "--parent", "Đảng bộ 1"])
    result = runner.invoke(app, ["invite", "create", "--cell", "chi bo 1", "--role", "member"])
    code = re.search(r"Code: (\S+)", result.output)
    assert code is not None
    stored, cell = asyncio.run(_invite_and_cell(database_url))
    assert (stored.code_hash, stored.role) == (invites.hash_code(code.group(1)), Role.MEMBER)
    assert stored.unit_id == cell.id


async def _invite_and_cell(database_url: str) -> tuple[Invite, Unit]:
    engine = create_engine(database_url)
    async with create_sessionmaker(engine)() as session:
        stored = await session.scalar(select(Invite))
        cell = await session.scalar(select(Unit).where(Unit.kind == UnitKind.CELL))
    await engine.dispose()
    assert stored is not None and cell is not None
    return stored, cell


def test_an_unknown_cell_is_an_error(env: None) -> None:
    result = runner.invoke(app, ["invite", "create", "--cell", "Chi bộ 99"])
    assert result.exit_code != 0


def test_content_check_passes_on_the_shipped_content() -> None:
    result = runner.invoke(app, ["content", "check"])
    assert result.exit_code == 0, result.output
    assert re.search(
        r"OK: 9 works, \d+ themes, \d+ lessons, \d+ quiz questions in 6 banks\.", result.output
    )
    # The verification table: each work's status, and what members see at each minimum.
    assert "  tuyen-ngon-doc-lap-1945: collated; by corpus v2" in result.output
    assert "  di-chuc-1969: copy-only; 35 sentence(s) on one copy; 7 withheld;" in result.output
    assert "chưa đối chiếu với Toàn tập" in result.output
    assert re.search(r"at least checked: 0 lessons, \d+ quiz questions", result.output)
    assert "Quiz linter: 0 finding(s)." in result.output


def test_content_check_reports_a_quiz_passage_that_is_not_in_its_work(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    bank = content / "quizzes" / "di-chuc.yaml"
    text = bank.read_text("utf-8")
    bank.write_text(text.replace("nhất định thắng lợi hoàn toàn.", "chắc chắn thắng lợi.", 1))
    result = runner.invoke(app, ["content", "check", "--root", str(content)])
    assert result.exit_code == 1
    assert "content/quizzes/di-chuc.yaml:" in result.output


def test_content_check_fails_with_the_problem(tmp_path: Path) -> None:
    lessons = tmp_path / "content" / "lessons" / "x"
    lessons.mkdir(parents=True)
    (lessons / "01.yaml").write_text("id: [", "utf-8")
    result = runner.invoke(app, ["content", "check", "--root", str(tmp_path / "content")])
    assert result.exit_code == 1
    assert "content/lessons/x/01.yaml:1: not valid YAML" in result.output


def test_a_committee_chooses_its_theme(env: None) -> None:
    runner.invoke(app, ["unit", "add", "Đảng bộ 1", "--kind", "committee"])
    listed = runner.invoke(app, ["theme", "list"])
    assert "toan-khoa-xiii" in listed.output
    assert f"{load_catalog().lesson_count} bài" in listed.output
    assert "nam-2020  (2020; national; 0 bài)  [untitled: no official name found]" in listed.output
    assert (
        runner.invoke(
            app, ["theme", "set", "--unit", "Đảng bộ 1", "--theme", "toan-khoa-xiii"]
        ).exit_code
        == 0
    )
    # A theme with no lessons yet may be chosen (the term theme lends its lessons meanwhile);
    # a theme whose official name was never found may not.
    no_lessons = runner.invoke(app, ["theme", "set", "--unit", "Đảng bộ 1", "--theme", "nam-2019"])
    assert no_lessons.exit_code == 0, no_lessons.output
    untitled = runner.invoke(app, ["theme", "set", "--unit", "Đảng bộ 1", "--theme", "nam-2020"])
    assert untitled.exit_code != 0


def test_content_load_fills_the_search_index(env: None) -> None:
    result = runner.invoke(app, ["content", "load"])
    assert result.exit_code == 0, result.output
    assert re.search(r"OK: \d+ lessons, \d+ searchable paragraphs\.", result.output)


def test_outbox_status_prints_every_status_and_the_oldest_pending_age(
    env: None, database_url: str
) -> None:
    async def add_overdue_row() -> None:
        engine = create_engine(database_url)
        async with create_sessionmaker(engine)() as session:
            clock = SystemClock()
            await outbox.enqueue(
                session,
                clock,
                key="test:1",
                channel="telegram",
                chat_id=1,
                member_id=None,
                method="sendMessage",
                payload={"chat_id": 1, "text": "x"},
                due_at=clock.now() - timedelta(minutes=2),
            )
            await outbox.enqueue(
                session,
                clock,
                key="test:2",
                channel="telegram",
                chat_id=1,
                member_id=None,
                method="sendMessage",
                payload={"chat_id": 1, "text": "y"},
                due_at=clock.now() + timedelta(hours=1),
            )
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.key == "test:2")
                .values(status=OutboxStatus.DROPPED, reason="already submitted")
            )
            await session.commit()
        await engine.dispose()

    empty = runner.invoke(app, ["outbox", "status"])
    assert empty.exit_code == 0, empty.output
    assert "pending: 0" in empty.output and "oldest pending: none" in empty.output
    asyncio.run(add_overdue_row())
    status = runner.invoke(app, ["outbox", "status"])
    lines = status.output.splitlines()
    assert lines[:7] == [
        "pending: 1",
        "sending: 0",
        "sent: 0",
        "failed: 0",
        "unknown: 0",
        "dropped: 1",
        "  dropped, already submitted: 1",
    ]
    age = re.fullmatch(r"oldest pending: (\d+) s", lines[7])
    assert age is not None and 115 <= int(age.group(1)) <= 200
