"""One scheduler leads: an advisory lock on PostgreSQL; SQLite always leads (one process)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bot.delivery.leader import AdvisoryLockLeader, AlwaysLeader, leadership_for
from db import create_engine


async def test_a_second_process_waits_and_takes_over_when_the_first_dies(
    database_url: str,
) -> None:
    first_engine, second_engine = create_engine(database_url), create_engine(database_url)
    first, second = leadership_for(first_engine), leadership_for(second_engine)
    try:
        if first_engine.dialect.name != "postgresql":
            assert isinstance(first, AlwaysLeader) and await first.leads()
            return
        assert isinstance(first, AdvisoryLockLeader) and isinstance(second, AdvisoryLockLeader)
        assert await first.leads()
        assert await first.leads()  # still
        assert not await second.leads()  # standby
        await first.release()  # a clean stop hands over at once
        assert await second.leads()
        assert not await first.leads()
        # The leader's connection dies (the process was killed): its lock goes with it.
        async with first_engine.connect() as conn:
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(l.pid) FROM pg_locks l "
                    "JOIN pg_database d ON d.oid = l.database "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid() "
                    "AND d.datname = current_database()"
                )
            )
        # PostgreSQL ends the killed backend (and frees its lock) a moment later: ask again,
        # as a standby does on every tick, within a bound.
        async with asyncio.timeout(10):
            while True:
                if await first.leads():
                    break
                await asyncio.sleep(0.05)  # a PostgreSQL backend is ending; no clock to move
        assert not await second.leads()  # it notices its connection is gone, and stands by
    finally:
        for leader in (first, second):
            await leader.release()
        await first_engine.dispose()
        await second_engine.dispose()
