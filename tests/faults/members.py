"""People pressing /start while a fault lasts, and what "answered exactly once" means."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from db.models import InboxStatus, InboxUpdate
from tests.e2e.conftest import WAIT
from tests.e2e.test_joining_over_http import bot_texts

PEOPLE = {101: "Thư", 102: "An", 103: "Bình", 104: "Cường", 105: "Dũng"}
HEALED_WITHIN = 10.0  # seconds from the heal until every update of the fault is answered


class Members:
    """The cast, each pressing /start; how many answers one /start gets is learnt first."""

    def __init__(self, server: BotApiServer) -> None:
        self.server = server
        self.per_start: dict[int, int] = {}
        self.expected: dict[int, int] = {}
        for user_id, name in PEOPLE.items():
            server.add_user(user_id, name)

    def answers(self, user_id: int) -> int:
        return len(bot_texts(self.server, user_id))

    async def learn(self) -> None:
        for user_id in PEOPLE:
            await self.server.user_sends_text(user_id, "/start")
        await self.server.wait_for(lambda: all(self.answers(u) for u in PEOPLE), timeout=WAIT)
        await asyncio.sleep(0.5)  # a second message of the same answer, if there is one
        self.per_start = {u: self.answers(u) for u in PEOPLE}
        self.expected = dict(self.per_start)

    async def through(
        self, fault: Callable[[], object], seconds: float, heal: Callable[[], object]
    ) -> float:
        """Start the fault, /start from everyone, end the fault `seconds` later; return the
        seconds from the heal until every /start is answered."""
        fault()
        for user_id in PEOPLE:
            await self.server.user_sends_text(user_id, "/start")
            self.expected[user_id] += self.per_start[user_id]
        await asyncio.sleep(seconds)  # the fault lasts (the bot is a process on real time)
        heal()
        healed = time.monotonic()
        done = lambda: all(self.answers(u) >= self.expected[u] for u in PEOPLE)  # noqa: E731
        await self.server.wait_for(done, timeout=HEALED_WITHIN)
        return time.monotonic() - healed

    def assert_each_answered_once(self) -> None:
        assert {u: self.answers(u) for u in PEOPLE} == self.expected


async def inbox_all_done(session: AsyncSession, count: int) -> None:
    rows = await session.execute(
        select(InboxUpdate.status, func.count()).group_by(InboxUpdate.status)
    )
    assert dict(rows.all()) == {InboxStatus.DONE: count}
    ids = await session.scalar(select(func.count(func.distinct(InboxUpdate.update_id))))
    assert ids == count
