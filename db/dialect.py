"""The few statements that differ between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert


def _dialect(session: AsyncSession) -> str:
    assert session.bind is not None
    return session.bind.dialect.name


def insert_ignoring_duplicates(
    session: AsyncSession, table: Any, values: dict[str, Any]
) -> Insert:
    """Return INSERT … ON CONFLICT DO NOTHING for the session's dialect."""
    if _dialect(session) == "postgresql":
        return postgresql.insert(table).values(values).on_conflict_do_nothing()
    return sqlite.insert(table).values(values).on_conflict_do_nothing()


def supports_skip_locked(session: AsyncSession) -> bool:
    """SQLite has one writer at a time and no row locks; PostgreSQL needs SKIP LOCKED."""
    return _dialect(session) == "postgresql"
