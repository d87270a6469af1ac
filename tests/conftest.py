"""Shared fixtures: a moved clock, a real database per test, and the named cast."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import create_engine, create_sessionmaker
from db import migrate as migrations
from db.models import Member, Role, Unit, UnitKind
from tests import databases, factories
from tests.fakes.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def _db_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | Path]:
    if databases.PG_URL:
        url = asyncio.run(databases.create_pg_database(databases.PG_URL))
        migrations.upgrade(url)
        yield url
        asyncio.run(databases.drop_pg_database(url))
    else:
        yield databases.migrated_sqlite_template(tmp_path_factory.mktemp("db"))


@pytest.fixture
async def database_url(_db_template: str | Path, tmp_path: Path) -> str:
    if isinstance(_db_template, str):
        await databases.truncate_all(_db_template)
        return _db_template
    return databases.sqlite_copy(_db_template, tmp_path)


@pytest.fixture
async def redis_url() -> AsyncIterator[str | None]:
    if databases.REDIS_URL is None:
        yield None
        return
    client = aioredis.from_url(databases.REDIS_URL)
    await client.flushdb()
    await client.aclose()
    yield databases.REDIS_URL


@pytest.fixture
async def sessionmaker(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def session(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as s:
        yield s


@dataclass
class Cast:
    dang_bo: Unit
    chi_bo_1: Unit
    chi_bo_2: Unit
    chi_thu: Member  # secretary of chi_bo_1
    an: Member
    binh: Member
    cuong: Member  # member of chi_bo_2
    dung: Member  # secretary of chi_bo_2


@pytest.fixture
async def cast(session: AsyncSession, clock: FakeClock) -> Cast:
    """Two cells under one committee; Telegram user ids 101… for the people."""
    dang_bo = await factories.unit(session, clock, "Đảng bộ phường 1", kind=UnitKind.COMMITTEE)
    chi_bo_1 = await factories.unit(session, clock, "Chi bộ 1", parent=dang_bo)
    chi_bo_2 = await factories.unit(session, clock, "Chi bộ 2", parent=dang_bo)
    return Cast(
        dang_bo,
        chi_bo_1,
        chi_bo_2,
        chi_thu=await factories.member(
            session, clock, chi_bo_1, "Trần Thị Thư", role=Role.SECRETARY, user_id=101
        ),
        an=await factories.member(session, clock, chi_bo_1, "Nguyễn Văn An", user_id=102),
        binh=await factories.member(session, clock, chi_bo_1, "Lê Thị Bình", user_id=103),
        cuong=await factories.member(session, clock, chi_bo_2, "Phạm Văn Cường", user_id=104),
        dung=await factories.member(
            session, clock, chi_bo_2, "Võ Văn Dũng", role=Role.SECRETARY, user_id=105
        ),
    )
