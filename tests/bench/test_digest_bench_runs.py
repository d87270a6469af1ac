"""The digest benchmark still runs end to end; its speed is printed by it, never asserted."""

from __future__ import annotations

from bench import digests
from tests import databases


async def test_the_quick_benchmark_builds_every_cells_digest_and_the_rollup() -> None:
    argv = ["--quick"]
    if databases.PG_URL:
        argv += ["--database-url", databases.PG_URL]
    runs = await digests.main(argv)
    assert [run.where for run in runs] == ["SQLite"] + (["PostgreSQL"] if databases.PG_URL else [])
    for run in runs:
        assert (run.digests, run.rollup_cells) == (50, 50), run
