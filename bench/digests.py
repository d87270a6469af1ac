"""Time to build every monthly digest of a province and its committee roll-up.

A province of 100,000 members in 5,000 cells with 12 months of check-ins, lesson reads, solo
practice and quiz nights (bench/province.py) is built on SQLite, and with `--database-url` on
PostgreSQL; then all 5,000 monthly digests are built and rendered (text parts, as the
scheduler queues them) and the province committee's roll-up is built. Prints the seconds,
the queries' share and the peak RSS. Goal: all 5,000 digests in under 60 s on PostgreSQL on
a 2-core machine. Run: `.venv/bin/python -m bench.digests [--quick] [--database-url URL]`.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench import province
from bot.screens import digest as screens
from bot.services import digest, digest_rollup
from db import create_engine, create_sessionmaker, migrate
from db.models import Member
from tests import databases
from tests.fakes.clock import FakeClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Run:
    where: str
    cells: int
    members: int
    generate_s: float
    digests: int
    digests_s: float
    rollup_cells: int
    rollup_s: float
    peak_rss_mb: float


async def bench(where: str, url: str, cells: int, members: int) -> Run:
    started = time.perf_counter()
    made = await province.generate(url, cells=cells, members=members)
    generated = time.perf_counter() - started
    engine = create_engine(url)
    clock = FakeClock(province.TODAY)
    async with create_sessionmaker(engine)() as session:
        started = time.perf_counter()
        built = await digest.build(session, clock, TZ, None)
        parts = sum(len(screens.cell_digest(d, TZ)) for d in built.values())
        digests_s = time.perf_counter() - started
        admin = await session.scalar(select(Member).where(Member.id == made.committee_admin_id))
        started = time.perf_counter()
        rollup = await digest_rollup.committee_rollup(session, clock, TZ, admin, made.province_id)
        screens.rollup(rollup)
        rollup_s = time.perf_counter() - started
    await engine.dispose()
    assert parts >= len(built)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Run(
        where, cells, members, generated, len(built), digests_s, len(rollup.rows), rollup_s, peak
    )


def report(run: Run) -> None:
    print(
        f"{run.where}: {run.cells} cells, {run.members} members (generated in "
        f"{run.generate_s:.1f} s)\n"
        f"  {run.digests} monthly digests built and rendered: {run.digests_s:.1f} s "
        f"({1000 * run.digests_s / max(run.digests, 1):.2f} ms a cell)\n"
        f"  committee roll-up over {run.rollup_cells} cells: {run.rollup_s:.1f} s\n"
        f"  peak RSS of this process so far: {run.peak_rss_mb:.0f} MB"
    )


async def main(argv: list[str] | None = None) -> list[Run]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="50 cells, 1,000 members")
    parser.add_argument("--cells", type=int, default=5_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--database-url", help="a PostgreSQL server URL, also benchmarked")
    args = parser.parse_args(argv)
    cells, members = (50, 1_000) if args.quick else (args.cells, args.members)
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        url = databases.sqlite_url(Path(folder) / "province.db")
        await migrate.upgrade_async(url)
        runs.append(await bench("SQLite", url, cells, members))
        report(runs[-1])
    if args.database_url:
        url = await databases.create_pg_database(args.database_url)
        try:
            await migrate.upgrade_async(url)
            runs.append(await bench("PostgreSQL", url, cells, members))
            report(runs[-1])
        finally:
            await databases.drop_pg_database(url)
    return runs


if __name__ == "__main__":
    asyncio.run(main())
