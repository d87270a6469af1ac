from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import unit
from bot.dispatch.storage import DbStorage
from db import create_engine, create_sessionmaker
from db.models import ConversationState
from tests import databases
from tests.fakes.clock import FakeClock

KEY = StorageKey(bot_id=1, chat_id=102, user_id=102)
STORED = DefaultKeyBuilder(with_bot_id=True, with_destiny=True).build(KEY)


# Redis joins in the PostgreSQL + Redis pass of scripts/test, where HOCBAC_TEST_REDIS_URL is set.
@pytest.fixture(params=["database", "redis"] if databases.REDIS_URL else ["database"])
async def storage(
    request: pytest.FixtureRequest,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    redis_url: str | None,
) -> AsyncIterator[BaseStorage]:
    if request.param == "redis":
        assert redis_url is not None
        made: BaseStorage = RedisStorage.from_url(
            redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        )
    else:
        made = DbStorage(sessionmaker, clock)
    yield made
    await made.close()


async def test_state_and_data_round_trip(storage: BaseStorage) -> None:
    await storage.set_state(KEY, "Checkin:rating")
    await storage.set_data(KEY, {"item": 2, "menu": [["dong y", "v1|consent|1"]]})
    assert await storage.get_state(KEY) == "Checkin:rating"
    assert await storage.get_data(KEY) == {"item": 2, "menu": [["dong y", "v1|consent|1"]]}
    await storage.set_state(KEY, None)
    await storage.set_data(KEY, {})
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}


async def test_database_state_survives_a_new_engine(database_url: str, clock: FakeClock) -> None:
    first_engine = create_engine(database_url)
    await DbStorage(create_sessionmaker(first_engine), clock).set_state(KEY, "Joining:name")
    await first_engine.dispose()
    second_engine = create_engine(database_url)
    assert await DbStorage(create_sessionmaker(second_engine), clock).get_state(KEY) == (
        "Joining:name"
    )
    await second_engine.dispose()


async def test_inside_an_update_the_state_commits_or_rolls_back_with_it(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    storage = DbStorage(sessionmaker, clock)
    async with sessionmaker() as session, unit.bound(session):
        await storage.set_state(KEY, "Announcing:text")
        assert await storage.get_state(KEY) == "Announcing:text"
        await session.rollback()  # the handler's change is undone: so is the state
        assert await storage.get_state(KEY) is None
        await storage.set_data(KEY, {"draft": "Họp chi bộ"})
        async with sessionmaker() as other:  # not committed yet: no one else sees it
            assert await other.get(ConversationState, STORED) is None
        await session.commit()
    assert await storage.get_data(KEY) == {"draft": "Họp chi bộ"}
