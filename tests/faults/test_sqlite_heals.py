"""On SQLite the fault is another process holding the write lock: the bot waits it out."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from tests import databases
from tests.conftest import Cast
from tests.e2e.conftest import WAIT, StartBot
from tests.faults.members import HEALED_WITHIN, PEOPLE, Members, inbox_all_done


async def test_polling_waits_out_a_locked_sqlite_file_and_answers_each_update_once(
    server: BotApiServer,
    bot_process: StartBot,
    database_url: str,
    session: AsyncSession,
    cast: Cast,
) -> None:
    if databases.PG_URL:
        pytest.skip("a locked file is SQLite's fault; the PostgreSQL pass runs the proxies")
    await bot_process()
    await server.wait_for(lambda: server.delivery.polling > 0, timeout=WAIT)
    members = Members(server)
    await members.learn()
    other = sqlite3.connect(make_url(database_url).database or "", isolation_level=None)
    try:
        locked = await members.through(
            lambda: other.execute("BEGIN EXCLUSIVE"), 3, lambda: other.execute("COMMIT")
        )
    finally:
        other.close()
    await asyncio.sleep(1)  # nothing more comes: each update was answered once
    members.assert_each_answered_once()
    await inbox_all_done(session, len(PEOPLE) * 2)
    assert locked < HEALED_WITHIN
