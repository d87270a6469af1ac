"""The delivery benchmark still runs end to end; its speed is printed by it, never asserted."""

from __future__ import annotations

from bench import delivery
from tests import databases


async def test_the_quick_benchmark_sends_every_reminder_exactly_once() -> None:
    argv = ["--quick"]
    if databases.PG_URL:
        argv += ["--database-url", databases.PG_URL]
    if databases.REDIS_URL:
        argv += ["--redis-url", databases.REDIS_URL]
    result = await delivery.main(argv)
    assert [run.where for run in result.runs] == [
        delivery.CHILD,
        delivery.CHILD,
        delivery.IN_PROCESS,
    ]
    for run in result.runs:
        assert (run.sent, run.duplicates) == (run.requested, 0), run
