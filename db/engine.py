"""Engine and session factory; SQLite gets WAL and foreign keys, PostgreSQL a pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str) -> AsyncEngine:
    """Create the async engine for `url` with the per-dialect settings the bot relies on."""
    if is_sqlite(url):
        # A busy timeout (30 s) lets the ingest task and the inbox worker share the file without
        # "database is locked" errors, and rides out another process holding the write lock;
        # WAL lets readers run beside the single writer. A file has no connection to lose.
        engine = _create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Deleted and overwritten rows are zeroed, so erased words do not linger in free pages.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    # Connections are checked before use (pre-ping) and a dead one is dropped and replaced, so a
    # restarted or reset PostgreSQL heals by itself; none is kept long enough for a proxy or a
    # firewall to cut it silently. Opening one keeps asyncpg's 60 s: a network that stalls for
    # 20 s then delivers late, instead of failing work that was already done.
    # hide_parameters: a database error's message (and so a logged traceback) never carries
    # the values of the statement, which may be a member's words.
    return _create_async_engine(
        url,
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        pool_recycle=1800,
        hide_parameters=True,
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def session_scope(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """Yield a session that commits on success and rolls back on error."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
