"""Test databases: a migrated SQLite file per test, or a migrated PostgreSQL database per run.

Set HOCBAC_TEST_DATABASE_URL (a PostgreSQL server URL) and HOCBAC_TEST_REDIS_URL to run the
same suite on PostgreSQL and Redis; `.ci/run` does. An unreachable server fails the run.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db import Base, create_engine
from db import migrate as migrations

PG_URL = os.environ.get("HOCBAC_TEST_DATABASE_URL") or None


def _redis_for_this_worker(url: str | None) -> str | None:
    """Each pytest-xdist worker flushes its Redis database between tests, so each gets its
    own: worker gw0 the configured one, gw1 the one below it, and so on."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker.startswith("gw"):
        return url
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number or 0) - int(worker[2:])}"


REDIS_URL = _redis_for_this_worker(os.environ.get("HOCBAC_TEST_REDIS_URL") or None)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def migrated_sqlite_template(folder: Path) -> Path:
    """Migrate one SQLite file; each test copies it (far faster than migrating per test)."""
    template = folder / "template.db"
    migrations.upgrade(sqlite_url(template))
    return template


def sqlite_copy(template: Path, folder: Path) -> str:
    target = folder / f"{uuid.uuid4().hex}.db"
    shutil.copy(template, target)
    return sqlite_url(target)


async def create_pg_database(server_url: str) -> str:
    """Create an empty database on the server; return its SQLAlchemy URL."""
    url = make_url(server_url)
    name = f"hocbac_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        database=url.database or "postgres",
    )
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url.set(database=name, drivername="postgresql+asyncpg").render_as_string(
        hide_password=False
    )


async def drop_pg_database(database_url: str) -> None:
    url = make_url(database_url)
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        database="postgres",
    )
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    finally:
        await conn.close()


async def truncate_all(database_url: str) -> None:
    """Empty every table between tests on the shared PostgreSQL database."""
    engine = create_engine(database_url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()
