"""Supervised tasks: a failure is logged and the task restarted with backoff; one that does not
recover within the recovery time makes the process unhealthy (`/healthz` answers 503) and the
process exits non-zero, so that systemd or Docker starts a fresh one.

A task is in trouble from its first failure until it has run `stable` seconds after a restart
without failing again, or until it says it is well (`Health.ok`, for loops that retry by
themselves, such as storing a polled update). Logs name the task, the error's type chain and
where it was raised, never the error's message: a database error quotes the row it failed on,
and that may be a member's words.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import Clock

log = logging.getLogger(__name__)
FIRST_BACKOFF = 0.25  # seconds before the first restart, doubled at each failure in a row
MAX_BACKOFF = 5.0  # a healed database is used again within seconds, not minutes
STABLE = 30.0  # seconds a restarted task runs without failing to count as recovered
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Trouble:
    since: datetime
    failures: int
    error: str
    restarted_at: datetime | None = None


class TaskEnded(Exception):
    """A long-running task returned: it should run until cancelled."""


def describe(error: BaseException) -> str:
    """Return the error's type chain and where in our code it was raised, without its message."""
    chain: list[str] = []
    seen: BaseException | None = error
    while seen is not None and len(chain) < 4:
        chain.append(f"{type(seen).__module__}.{type(seen).__qualname__}")
        seen = seen.__cause__ or seen.__context__
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if _is_ours(f.filename)]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    at = f" at {_short(where.filename)}:{where.lineno} in {where.name}" if where else ""
    return " <- ".join(chain) + at


def _is_ours(filename: str) -> bool:
    path = Path(filename)
    return path.is_relative_to(ROOT) and ".venv" not in path.parts


def _short(filename: str) -> str:
    path = Path(filename)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


class Health:
    """Which tasks are in trouble, and whether the process has given up on one of them."""

    def __init__(self, clock: Clock, *, recovery: float, stable: float = STABLE) -> None:
        self._clock = clock
        self.recovery = timedelta(seconds=recovery)
        self._stable = timedelta(seconds=stable)
        self._troubles: dict[str, Trouble] = {}
        self.unhealthy: str | None = None  # the task the process gave up on
        self.gave_up = asyncio.Event()

    def failed(self, task: str, error: BaseException) -> Trouble:
        """Record a failure of `task`; give up on the process if it is past its recovery time."""
        now = self._clock.now()
        trouble = self._current(task, now)
        if trouble is None:
            trouble = self._troubles[task] = Trouble(since=now, failures=0, error="")
        trouble.failures += 1
        trouble.error = describe(error)
        trouble.restarted_at = None
        self.check(task)
        return trouble

    def restarted(self, task: str) -> None:
        trouble = self._troubles.get(task)
        if trouble is not None:
            trouble.restarted_at = self._clock.now()

    def ok(self, task: str) -> None:
        """`task` did its work again: its trouble is over."""
        if self._troubles.pop(task, None) is not None:
            log.info("task recovered", extra={"task": task})

    def deadline(self, task: str) -> datetime | None:
        trouble = self._troubles.get(task)
        return None if trouble is None else trouble.since + self.recovery

    def check(self, task: str) -> bool:
        """Give up if `task` is still in trouble past its recovery time; return whether well."""
        deadline = self.deadline(task)
        if deadline is None or self._clock.now() < deadline:
            return self.unhealthy is None
        if self.unhealthy is None:
            self.unhealthy = task
            trouble = self._troubles[task]
            log.critical(
                "task has not recovered; the process is unhealthy and stops",
                extra={"task": task, "failures": trouble.failures, "error": trouble.error},
            )
            self.gave_up.set()
        return False

    def report(self) -> dict[str, Any]:
        """What `/healthz` shows: ok, the task given up on, and each task still in trouble."""
        now = self._clock.now()
        tasks = {
            name: {
                "failures": t.failures,
                "since": t.since.isoformat(),
                "error": t.error,
            }
            for name in list(self._troubles)
            if (t := self._current(name, now)) is not None
        }
        return {"ok": self.unhealthy is None, "unhealthy": self.unhealthy, "troubled": tasks}

    def _current(self, task: str, now: datetime) -> Trouble | None:
        trouble = self._troubles.get(task)
        if trouble is None or trouble.restarted_at is None:
            return trouble
        if now - trouble.restarted_at < self._stable:
            return trouble
        del self._troubles[task]  # it has run long enough since the restart: recovered
        log.info("task recovered", extra={"task": task})
        return None


class Supervisor:
    """Starts named tasks and restarts each one that fails, until `stop`."""

    def __init__(
        self,
        clock: Clock,
        health: Health,
        *,
        first_backoff: float = FIRST_BACKOFF,
        max_backoff: float = MAX_BACKOFF,
    ) -> None:
        self._clock = clock
        self.health = health
        self._first = first_backoff
        self._max = max_backoff
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        """Run `run()` as the task `name`, restarting it whenever it fails."""
        self._tasks.append(asyncio.create_task(self._keep(name, run), name=name))

    @property
    def names(self) -> list[str]:
        return [task.get_name() for task in self._tasks if not task.done()]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def _keep(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        while True:
            try:
                await run()
                error: Exception = TaskEnded(name)
            except Exception as failure:  # any failure is logged and retried
                error = failure
            trouble = self.health.failed(name, error)
            if self.health.unhealthy is not None:
                return
            delay = min(self._max, self._first * 2 ** (trouble.failures - 1))
            log.error(
                "task failed; restarting",
                extra={
                    "task": name,
                    "error": trouble.error,
                    "failures": trouble.failures,
                    "retry_in": delay,
                },
            )
            wake = self._clock.now() + timedelta(seconds=delay)
            await self._clock.sleep_until(min(wake, trouble.since + self.health.recovery))
            if not self.health.check(name):
                return
            self.health.restarted(name)
            log.warning("task restarted", extra={"task": name, "failures": trouble.failures})
