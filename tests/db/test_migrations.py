"""Migrations: upgrade from empty, down and up again, and the models match the migrations."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

import db.models  # noqa: F401
from db import Base, create_engine
from db import migrate as migrations
from tests import databases


@pytest.fixture
def empty_database(tmp_path: Path) -> Any:
    if databases.PG_URL:
        url = asyncio.run(databases.create_pg_database(databases.PG_URL))
        yield url
        asyncio.run(databases.drop_pg_database(url))
    else:
        yield databases.sqlite_url(tmp_path / "empty.db")


def _inspect(url: str, check: Any) -> Any:
    async def go() -> Any:
        engine = create_engine(url)
        async with engine.connect() as conn:
            result = await conn.run_sync(check)
        await engine.dispose()
        return result

    return asyncio.run(go())


SEARCH = ("passages_fts", "ix_passages_folded_fts")  # made by hand in migration 0003


def _tables(conn: Connection) -> set[str]:
    names = set(inspect(conn).get_table_names()) - {"alembic_version"}
    return {n for n in names if not n.startswith(SEARCH)}


def _diff(conn: Connection) -> list[Any]:
    def include(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
        return not (name or "").startswith(SEARCH)

    context = MigrationContext.configure(conn, opts={"include_object": include})
    return list(compare_metadata(context, Base.metadata))


def test_upgrade_from_empty_down_and_up_again(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    assert _inspect(empty_database, _tables) == set(Base.metadata.tables)
    migrations.downgrade(empty_database, "base")
    assert _inspect(empty_database, _tables) == set()
    migrations.upgrade(empty_database)
    assert _inspect(empty_database, _tables) == set(Base.metadata.tables)


def test_the_models_match_the_migrations(empty_database: str) -> None:
    migrations.upgrade(empty_database)
    assert _inspect(empty_database, _diff) == []
