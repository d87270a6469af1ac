"""The quiz night benchmark still runs end to end; its times are printed by it, never asserted."""

from __future__ import annotations

from bench import quiz_night


async def test_the_quick_benchmark_records_every_answer_within_the_group_limit() -> None:
    outcome = await quiz_night.main(["--quick"])
    assert outcome.answers_recorded == outcome.answers_sent
    assert outcome.leaderboard_correct
    assert outcome.max_group_per_minute <= 20
    assert outcome.rate_limited == 0
