"""Search latency over the whole corpus, with and without diacritics, on SQLite and PostgreSQL.

The baseline in the same run is a plain lookup of one row by primary key on the same database,
so the figures can be compared across shared machines. Run: `.venv/bin/python -m bench.search`
(set HOCBAC_BENCH_PG to a PostgreSQL server URL to include it; scripts/test's default works).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import load_catalog
from bot.services import search
from db import create_engine, create_sessionmaker, migrate
from db.models import Passage
from tests import databases

QUERIES = 1000
WITH = ["cần kiệm liêm chính", "đoàn kết", "nhân dân", "độc lập tự do", "đạo đức cách mạng"]
WITHOUT = ["can kiem liem chinh", "doan ket", "nhan dan", "doc lap tu do", "dao duc cach mang"]


async def timed(run: Callable[[], Awaitable[object]]) -> list[float]:
    timings = []
    for _ in range(QUERIES):
        started = time.perf_counter()
        await run()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def report(name: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    print(
        f"  {name:<34} p50={statistics.median(ordered):6.2f} ms  "
        f"p99={ordered[int(len(ordered) * 0.99) - 1]:6.2f} ms"
    )


async def bench(label: str, url: str) -> None:
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        count = await search.load_passages(session, load_catalog())
        print(f"{label}: {count} paragraphs, {QUERIES} queries each")
        report("baseline: one row by primary key", await timed(lambda: session.get(Passage, 1)))
        for name, words in (("search with diacritics", WITH), ("search without", WITHOUT)):
            report(name, await timed(cycle(session, words)))
    await engine.dispose()


def cycle(session: AsyncSession, words: list[str]) -> Callable[[], Awaitable[object]]:
    state = {"i": 0}

    async def run() -> object:
        state["i"] += 1
        session.expunge_all()
        return await search.search(session, words[state["i"] % len(words)])

    return run


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = databases.sqlite_url(Path(folder) / "bench.db")
        await migrate.upgrade_async(url)
        await bench("SQLite (FTS5)", url)
    server = os.environ.get("HOCBAC_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        url = await databases.create_pg_database(server)
    except OSError as error:
        print(f"PostgreSQL skipped: {error}")
        return
    try:
        await migrate.upgrade_async(url)
        await bench("PostgreSQL (GIN full text)", url)
    finally:
        await databases.drop_pg_database(url)


if __name__ == "__main__":
    asyncio.run(main())
