"""Exactly one scheduler leads: on PostgreSQL it holds an advisory lock on its own connection.

A second process started by mistake asks on every tick and takes over when the first dies
(its connection closes and PostgreSQL frees the lock). SQLite is one process by design, so it
always leads.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

LOCK_KEY = 0x686F63626163  # "hocbac": one advisory lock key for the scheduler
NIGHT_LOCKS = 0x6E6967 << 32  # "nig": a quiz night's lock is this plus its id


class Leadership(Protocol):
    async def leads(self) -> bool:
        """Whether this process leads now (taking the lead if it is free)."""
        ...

    async def release(self) -> None: ...


class AlwaysLeader:
    async def leads(self) -> bool:
        return True

    async def release(self) -> None:
        return None


class AdvisoryLockLeader:
    """Holds `pg_try_advisory_lock` on a connection kept open for as long as it leads."""

    def __init__(self, engine: AsyncEngine, key: int = LOCK_KEY) -> None:
        self._engine = engine
        self._key = key
        self._conn: AsyncConnection | None = None

    async def leads(self) -> bool:
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT 1"))
                return True
            except DBAPIError:  # the connection died, and the lock with it
                log.warning("scheduler lost its database connection; asking for the lead again")
                await self._drop(dead=True)
        conn = await self._engine.connect()
        try:
            took = await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key})
        except DBAPIError:
            await conn.close()
            raise
        if not took:
            await conn.close()
            return False
        await conn.commit()  # the lock is session-level; end the implicit transaction
        self._conn = conn
        log.info("this process leads the scheduler")
        return True

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": self._key}
                )
                await self._conn.commit()
            finally:
                await self._drop()

    async def _drop(self, *, dead: bool = False) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if dead:  # never hand a dead connection back to the pool
                await conn.invalidate()
        finally:
            await conn.close()


def leadership_for(engine: AsyncEngine) -> Leadership:
    if engine.dialect.name == "postgresql":
        return AdvisoryLockLeader(engine)
    return AlwaysLeader()


def night_lock_for(engine: AsyncEngine, night_id: int) -> Leadership:
    """Who runs a quiz night: with several processes on PostgreSQL, the one holding its lock
    (a night started in one webhook worker must not be resumed by another as well)."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLockLeader(engine, NIGHT_LOCKS + night_id)
    return AlwaysLeader()
