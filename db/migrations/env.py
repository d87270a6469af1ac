"""Alembic environment, driven by `hocbac db upgrade` (there is no alembic.ini at the root)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import db.models  # noqa: F401  (registers every table on Base.metadata)
from db.base import Base
from db.engine import create_engine

config = context.config
target_metadata = Base.metadata
SEARCH_OBJECTS = ("passages_fts", "ix_passages_folded_fts")


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, other: object
) -> bool:
    """Leave the search indexes, made by hand in migration 0003, out of autogenerate."""
    return not (name or "").startswith(SEARCH_OBJECTS)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async())


run_migrations_online()
