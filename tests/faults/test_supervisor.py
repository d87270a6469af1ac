"""The supervisor restarts a failed task with backoff and gives up on one that does not recover."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from bot.supervisor import Health, Supervisor, describe
from tests.fakes.clock import FakeClock

SECRET_WORDS = "Nguyễn Văn An tự soi"  # stands for a member's words inside an error message


class Flaky:
    """A task body that fails `times` times (raising an error quoting a member), then runs."""

    def __init__(self, clock: FakeClock, times: int) -> None:
        self.clock = clock
        self.times = times
        self.starts: list[float] = []
        self.running = asyncio.Event()

    async def __call__(self) -> None:
        self.starts.append(self.clock.now().timestamp())
        if len(self.starts) <= self.times:
            raise ValueError(f"INSERT failed for {SECRET_WORDS!r}")
        self.running.set()
        await asyncio.Event().wait()


def records(caplog: pytest.LogCaptureFixture, message: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == message]


async def test_a_failed_task_is_restarted_with_backoff_and_the_restart_is_logged(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    health = Health(clock, recovery=60)
    supervisor = Supervisor(clock, health, first_backoff=0.25, max_backoff=1.0)
    flaky = Flaky(clock, times=4)
    with caplog.at_level(logging.INFO):
        supervisor.start("inbox-worker", flaky)
        await asyncio.wait_for(flaky.running.wait(), timeout=5)
        await supervisor.stop()
    gaps = [round(b - a, 3) for a, b in zip(flaky.starts, flaky.starts[1:], strict=False)]
    assert gaps == [0.25, 0.5, 1.0, 1.0]
    failed = records(caplog, "task failed; restarting")
    assert [r.__dict__["task"] for r in failed] == ["inbox-worker"] * 4
    assert [r.__dict__["failures"] for r in failed] == [1, 2, 3, 4]
    assert "builtins.ValueError at tests/faults/test_supervisor.py:" in failed[0].__dict__["error"]
    assert len(records(caplog, "task restarted")) == 4
    assert SECRET_WORDS not in caplog.text  # the error's type and place, never its message
    assert health.report()["ok"] is True


async def test_a_task_that_keeps_failing_makes_the_process_unhealthy(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    health = Health(clock, recovery=10)
    supervisor = Supervisor(clock, health, first_backoff=0.25, max_backoff=4.0)
    flaky = Flaky(clock, times=1000)
    start = clock.now()
    supervisor.start("polling", flaky)
    await asyncio.wait_for(health.gave_up.wait(), timeout=5)
    assert clock.now() - start == timedelta(seconds=10)  # at the deadline, not a backoff later
    report = health.report()
    assert report["ok"] is False
    assert report["unhealthy"] == "polling"
    assert report["troubled"]["polling"]["failures"] == len(flaky.starts)
    assert supervisor.names == []  # it stopped restarting: the process exits
    assert records(caplog, "task has not recovered; the process is unhealthy and stops")
    await supervisor.stop()


async def test_a_task_that_runs_long_enough_after_a_restart_has_recovered(
    clock: FakeClock,
) -> None:
    health = Health(clock, recovery=100, stable=30)
    health.failed("sender", RuntimeError())
    health.restarted("sender")
    clock.move(seconds=29)
    assert "sender" in health.report()["troubled"]
    clock.move(seconds=1)
    assert health.report()["troubled"] == {}
    clock.move(seconds=200)  # a new failure much later starts a new episode, not a late one
    health.failed("sender", RuntimeError())
    assert health.report()["ok"] is True


async def test_a_task_that_says_it_is_well_is_out_of_trouble(clock: FakeClock) -> None:
    health = Health(clock, recovery=5)
    health.failed("webhook", OSError())
    health.ok("webhook")
    clock.move(seconds=60)
    health.failed("webhook", OSError())
    since = clock.now().isoformat()
    assert health.report() == {
        "ok": True,
        "unhealthy": None,
        "troubled": {"webhook": {"failures": 1, "since": since, "error": "builtins.OSError"}},
    }


def test_an_error_is_described_by_its_types_and_place_not_its_text() -> None:
    try:
        try:
            raise ConnectionResetError(f"peer said {SECRET_WORDS}")
        except OSError as inner:
            raise RuntimeError(SECRET_WORDS) from inner
    except RuntimeError as error:
        described = describe(error)
    assert described.startswith("builtins.RuntimeError <- builtins.ConnectionResetError at ")
    assert "test_supervisor.py" in described
    assert SECRET_WORDS not in described
