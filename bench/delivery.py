"""Reminders to every member through the fake Bot API at Telegram's pace: throughput, lag, memory.

The issue's benchmark, printed and not asserted: 100,000 members at 1,000 msg/s (goals: at
least 0.95 of the limit, p99 lag, peak RSS under 300 MB, no duplicates), then 5,000 members at
30 msg/s (at least 0.95 of the limit and not one 429 from the fake).

The fake Bot API server (bot.channels.webchat) enforces the limits and answers 429 over them.
It runs either in this process, sharing the event loop and the CPU with the sender, or in a
child process with its own loop (the honest figure: Telegram is not on our CPU). The
baseline in the same run is a bare aiogram loop, 64 requests in flight and limits off, against
the same kind of server: what the fake itself can absorb on this machine.

Run: `.venv/bin/python -m bench.delivery [--quick] [--database-url postgresql://…]
[--redis-url redis://…]`; SQLite in a temporary folder by default.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

import redis.asyncio as aioredis
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.sending import HttpChannel
from bot.channels.webchat import BotApiServer
from bot.clock import SystemClock
from bot.delivery.ratelimit import Limits, MemoryLimiter, RateLimiter, RedisLimiter
from bot.delivery.sender import Channel, Outcome, Report, Result, Sender, batch_for
from db import create_engine, create_sessionmaker, migrate
from db.models import OutboxMessage, OutboxStatus
from tests import databases

TOKEN = "123456:BENCH"
FIRST_USER = 10_000_001  # private chat ids = user ids
TEXT = "<b>Bài học hôm nay</b>\nCần, kiệm, liêm, chính, chí công vô tư. Bấm để đọc."
BASELINE_IN_FLIGHT = 64
REDIS_PREFIX = "hocbac:bench:delivery"
DUE_MARGIN = 2.0  # seconds from setting the due time to it: the UPDATE and a gc.collect
EXTRA_DRAINS = 3  # after a 429 the rows wait retry_after; drain again as the app's loop does
CHILD = "child process"
IN_PROCESS = "in-process"


# -- the fake Bot API server, here or in a child process ---------------------------------------
@dataclass(frozen=True)
class Prepared:
    base_url: str
    add_users_s: float  # registering the members with add_user, one by one


@dataclass(frozen=True)
class ServerStats:
    messages: int  # the bot's messages the fake holds
    duplicates: int  # messages beyond the first in a chat
    rate_limited: int  # 429s answered
    cpu_s: float | None  # the server's own CPU time since prepare (child process only)
    peak_rss_mb: float | None  # the server process's peak since prepare (child process only)


def _users(count: int) -> range:
    return range(FIRST_USER, FIRST_USER + count)


async def _start_server(members: int, rate: float | None) -> tuple[BotApiServer, float]:
    server = BotApiServer()
    await server.start("127.0.0.1", 0)
    started = time.perf_counter()
    for user_id in _users(members):
        server.add_user(user_id, "Đảng viên", str(user_id))
    added = time.perf_counter() - started
    if rate is not None:
        server.faults.enforce_limits(per_second=rate, per_chat_interval=1.0, group_per_minute=20)
    return server, added


def _server_stats(
    server: BotApiServer, cpu_s: float | None, peak_rss_mb: float | None
) -> ServerStats:
    counts = [len(chat.messages) for chat in server.world.chats.values()]
    return ServerStats(
        messages=sum(counts),
        duplicates=sum(max(0, n - 1) for n in counts),
        rate_limited=server.faults.rate_limited,
        cpu_s=cpu_s,
        peak_rss_mb=peak_rss_mb,
    )


class Fake(Protocol):
    where: str

    async def prepare(self, members: int, rate: float | None) -> Prepared:
        """A fresh server with `members` users; limits at `rate` msg/s, or off for None."""
        ...

    async def stats(self) -> ServerStats: ...

    async def close(self) -> None: ...


class InProcessFake:
    where = IN_PROCESS

    def __init__(self) -> None:
        self.server: BotApiServer | None = None

    async def prepare(self, members: int, rate: float | None) -> Prepared:
        await self.close()
        self.server, added = await _start_server(members, rate)
        return Prepared(self.server.base_url, added)

    async def stats(self) -> ServerStats:
        assert self.server is not None
        return _server_stats(self.server, None, None)

    async def close(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None


class ChildFake:
    """The server in a spawned process with its own event loop, driven through a pipe."""

    where = CHILD

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs,), daemon=True)
        self._process.start()
        theirs.close()

    async def _ask(self, command: str, *args: Any) -> Any:
        self._conn.send((command, args))
        answer = await asyncio.to_thread(self._conn.recv)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    async def prepare(self, members: int, rate: float | None) -> Prepared:
        prepared: Prepared = await self._ask("prepare", members, rate)
        return prepared

    async def stats(self) -> ServerStats:
        stats: ServerStats = await self._ask("stats")
        return stats

    async def close(self) -> None:
        if self._process.is_alive():
            with contextlib.suppress(OSError, EOFError):
                await self._ask("stop")
        await asyncio.to_thread(self._process.join, 10)
        self._conn.close()


def _serve(conn: Connection) -> None:
    asyncio.run(_serve_async(conn))


async def _serve_async(conn: Connection) -> None:
    server: BotApiServer | None = None
    cpu_at_start = 0.0
    try:
        while True:
            command, args = await asyncio.to_thread(conn.recv)
            try:
                if command == "prepare":
                    if server is not None:
                        await server.stop()
                        server = None
                    gc.unfreeze()  # the last run's server may go now
                    gc.collect()
                    reset_peak_rss()
                    cpu_at_start = cpu_seconds()
                    server, added = await _start_server(*args)
                    # The fake stands in for Telegram, whose pauses are not ours to measure.
                    # Its collector's full passes over the messages it stores stalled it for a
                    # tenth of a second and more, and the requests that queued meanwhile were
                    # then judged as a burst by its own rate check (429s no sender could avoid).
                    gc.collect()
                    gc.freeze()
                    gc.disable()
                    conn.send(Prepared(server.base_url, added))
                elif command == "stats":
                    assert server is not None
                    used = cpu_seconds() - cpu_at_start
                    conn.send(_server_stats(server, used, peak_rss_mb()))
                elif command == "stop":
                    conn.send(None)
                    return
            except Exception as error:
                conn.send(error)
    finally:
        if server is not None:
            await server.stop()


# -- this process ----------------------------------------------------------------------------
def reset_peak_rss() -> bool:
    """Reset the kernel's peak RSS (and so ru_maxrss) to the current RSS; Linux only."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes there


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class TimedChannel:
    """HttpChannel, noting when each message was accepted (the fake's `date` is whole seconds)."""

    def __init__(self, inner: Channel) -> None:
        self.inner = inner
        self.sent_at: list[float] = []

    async def send(self, method: str, payload: dict[str, Any]) -> Outcome:
        outcome = await self.inner.send(method, payload)
        if outcome.result is Result.SENT:
            self.sent_at.append(time.time())
        return outcome


@dataclass
class Database:
    url: str
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    kind: str


@contextlib.asynccontextmanager
async def open_database(database_url: str | None) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        if database_url is None:
            url, kind = databases.sqlite_url(Path(folder) / "bench.db"), "SQLite"
        else:
            url, kind = await databases.create_pg_database(database_url), "PostgreSQL"
        engine = create_engine(url)
        try:
            await migrate.upgrade_async(url)
            yield Database(url, engine, create_sessionmaker(engine), kind)
        finally:
            await engine.dispose()
            if database_url is not None:
                await databases.drop_pg_database(url)


async def insert_rows(db: Database, label: str, members: int, due: datetime) -> float:
    """One outbox row a member, all due at `due`, in one bulk INSERT; return its seconds."""
    rows = [
        {
            "key": f"bench:{label}:{chat_id}",
            "channel": "telegram",
            "chat_id": chat_id,
            "member_id": None,
            "method": "sendMessage",
            "payload": {"chat_id": chat_id, "text": TEXT, "parse_mode": "HTML"},
            "status": OutboxStatus.PENDING.value,
            "due_at": due,
            "attempts": 0,
            "created_at": due,
        }
        for chat_id in _users(members)
    ]
    started = time.perf_counter()
    async with db.sessionmaker() as session:
        await session.execute(delete(OutboxMessage))
        await session.execute(insert(OutboxMessage), rows)
        await session.commit()
    return time.perf_counter() - started


async def make_limiter(redis_url: str | None, rate: float) -> RateLimiter:
    limits = Limits(per_second=rate)
    if redis_url is None:
        return MemoryLimiter(limits)
    client = aioredis.from_url(redis_url)
    stale = [key async for key in client.scan_iter(match="{" + REDIS_PREFIX + "}*")]
    if stale:
        await client.delete(*stale)
    return RedisLimiter(client, limits, prefix=REDIS_PREFIX, owns_client=True)


# -- runs ------------------------------------------------------------------------------------
@dataclass
class Run:
    scenario: str
    where: str
    requested: int
    rate: float
    sent: int = 0
    wall_s: float = 0.0
    lag_p50_s: float = 0.0
    lag_p99_s: float = 0.0
    behind_pace_p99_s: float = 0.0  # send time minus (start + k / rate) for the k-th send
    peak_rss_mb: float = 0.0  # this (the sending) process, during the drain
    cpu_s: float = 0.0  # this process's CPU time during the drain
    duplicates: int = 0  # messages beyond one in a chat, plus rows not SENT
    not_sent: int = 0
    drains: int = 0
    setup: dict[str, float] = field(default_factory=dict)
    server: ServerStats | None = None
    report: Report = field(default_factory=Report)

    @property
    def per_second(self) -> float:
        return self.sent / self.wall_s if self.wall_s else 0.0

    @property
    def ratio(self) -> float:
        return self.per_second / self.rate

    @property
    def rate_limited(self) -> int:
        return self.server.rate_limited if self.server else 0


@dataclass
class Baseline:
    where: str
    messages: int
    wall_s: float

    @property
    def per_second(self) -> float:
        return self.messages / self.wall_s


@dataclass
class BenchResult:
    database: str
    limiter: str
    baselines: list[Baseline] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)


async def baseline(fake: Fake, messages: int) -> Baseline:
    """A bare aiogram loop: `messages` sends, 64 in flight, limits off."""
    prepared = await fake.prepare(messages, None)
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(prepared.base_url)))
    chats = iter(_users(messages))

    async def worker() -> None:
        for chat_id in chats:
            await bot.send_message(chat_id, TEXT, parse_mode="HTML")

    try:
        await bot.get_me()  # open the connection pool outside the timing
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(BASELINE_IN_FLIGHT)))
        return Baseline(fake.where, messages, time.perf_counter() - started)
    finally:
        await bot.session.close()


async def deliver(
    db: Database,
    fake: Fake,
    scenario: str,
    members: int,
    rate: float,
    redis_url: str | None,
    sender_options: dict[str, int],
) -> Run:
    run = Run(scenario, fake.where, members, rate)
    prepared = await fake.prepare(members, rate)
    run.setup["add_user"] = prepared.add_users_s
    clock = SystemClock()
    run.setup["insert"] = await insert_rows(db, scenario, members, clock.now())
    http = HttpChannel(TOKEN, prepared.base_url)
    channel = TimedChannel(http)
    limiter = await make_limiter(redis_url, rate)
    sender = Sender(
        db.sessionmaker, clock, channel, limiter, batch=batch_for(rate), per_second=rate
    )
    sender.batch = sender_options.get("batch", sender.batch)
    gc.collect()  # as App.start does: long-lived objects out of the collector's full passes
    gc.freeze()
    sender.in_flight = sender_options.get("in_flight", sender.in_flight)
    try:
        await http.send("getMe", {})  # open the connection pool outside the timing
        # Every row falls due at one moment, as a tick leaves them, and the drain starts then.
        due = clock.now() + timedelta(seconds=DUE_MARGIN)
        async with db.sessionmaker() as session:
            await session.execute(update(OutboxMessage).values(due_at=due))
            await session.commit()
        gc.collect()
        reset_peak_rss()
        cpu_before = cpu_seconds()
        run.setup["late_start"] = max(0.0, (clock.now() - due).total_seconds())
        await clock.sleep_until(due)
        started = time.perf_counter()
        run.report = await drain_all(db, sender, run)
        run.wall_s = time.perf_counter() - started
        run.cpu_s = cpu_seconds() - cpu_before
        run.peak_rss_mb = peak_rss_mb()
    finally:
        await limiter.close()
        await http.close()
    run.sent = len(channel.sent_at)
    lags = sorted(at - due.timestamp() for at in channel.sent_at)
    if lags:
        run.lag_p50_s = statistics.median(lags)
        run.lag_p99_s = percentile(lags, 0.99)
        behind = sorted(lag - k / rate for k, lag in enumerate(lags))
        run.behind_pace_p99_s = percentile(behind, 0.99)
    run.server = await fake.stats()
    async with db.sessionmaker() as session:
        run.not_sent = int(
            await session.scalar(
                select(func.count()).where(OutboxMessage.status != OutboxStatus.SENT)
            )
            or 0
        )
    run.duplicates = run.server.duplicates + run.not_sent
    return run


async def drain_all(db: Database, sender: Sender, run: Run) -> Report:
    """Drain; rows put back by a 429 are due later, so wait for them as the app's loop does."""
    total = Report()
    for _ in range(1 + EXTRA_DRAINS):
        report = await sender.drain()
        run.drains += 1
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        async with db.sessionmaker() as session:
            next_due = await session.scalar(
                select(func.min(OutboxMessage.due_at)).where(
                    OutboxMessage.status == OutboxStatus.PENDING
                )
            )
        if next_due is None:
            break
        await sender.clock.sleep_until(next_due)
    return total


def percentile(ordered: Sequence[float], q: float) -> float:
    return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * q) - 1))]


# -- the whole benchmark ---------------------------------------------------------------------
@dataclass(frozen=True)
class Options:
    members: int = 100_000
    rate: float = 1000.0
    small_members: int = 5_000
    small_rate: float = 30.0
    baseline_messages: int = 10_000
    in_process_members: int = 20_000  # a sample: the in-process fake only shows the shared CPU
    database_url: str | None = None
    redis_url: str | None = None
    servers: tuple[str, ...] = (CHILD, IN_PROCESS)
    sender_options: dict[str, int] = field(default_factory=dict)


QUICK = {
    "members": 2_000,
    "small_members": 90,
    "baseline_messages": 1_000,
    "in_process_members": 2_000,
}


async def bench(options: Options) -> BenchResult:
    logging.getLogger("bot.delivery.sender").setLevel(logging.ERROR)  # 429s are counted
    result = BenchResult(
        "SQLite" if options.database_url is None else "PostgreSQL",
        "MemoryLimiter" if options.redis_url is None else "RedisLimiter",
    )
    async with open_database(options.database_url) as db:
        for where in options.servers:
            fake: Fake = ChildFake() if where == CHILD else InProcessFake()
            try:
                result.baselines.append(await baseline(fake, options.baseline_messages))
                members = options.members
                if where == IN_PROCESS:
                    members = min(members, options.in_process_members)
                result.runs.append(
                    await deliver(
                        db,
                        fake,
                        "large",
                        members,
                        options.rate,
                        options.redis_url,
                        options.sender_options,
                    )
                )
                if where == options.servers[0]:  # the small run's pace is the limit, not CPU
                    result.runs.append(
                        await deliver(
                            db,
                            fake,
                            "small",
                            options.small_members,
                            options.small_rate,
                            options.redis_url,
                            options.sender_options,
                        )
                    )
            finally:
                await fake.close()
    return result


def print_result(
    result: BenchResult, options: Options, seconds: float, load: tuple[float, float]
) -> None:
    tuned = f" {options.sender_options}" if options.sender_options else ""
    print(
        f"\nDelivery benchmark: {result.database}, {result.limiter}, Sender defaults{tuned}; "
        f"{multiprocessing.cpu_count()} CPUs, load average {load[0]:.1f} before and "
        f"{load[1]:.1f} after; {seconds:.0f} s in all"
    )
    print(
        f"Baseline, bare aiogram, {BASELINE_IN_FLIGHT} in flight, limits off "
        f"({options.baseline_messages:,} messages, a sample):"
    )
    for b in result.baselines:
        print(f"  fake {b.where:<14} {b.per_second:8.0f} msg/s  ({b.wall_s:.1f} s)")
    header = (
        f"{'run':<22}{'fake':<15}{'sent':>15}{'wall s':>8}{'msg/s':>8}{'ratio':>7}"
        f"{'lag p50':>9}{'lag p99':>9}{'>pace p99':>10}{'RSS MB':>8}{'dup':>5}{'429':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in result.runs:
        print(
            f"{f'{r.requested:,} @ {r.rate:g}/s':<22}{r.where:<15}"
            f"{f'{r.sent:,}/{r.requested:,}':>15}{r.wall_s:8.1f}{r.per_second:8.0f}"
            f"{r.ratio:7.3f}{r.lag_p50_s:9.2f}{r.lag_p99_s:9.2f}{r.behind_pace_p99_s:10.3f}"
            f"{r.peak_rss_mb:8.0f}{r.duplicates:5d}{r.rate_limited:6d}"
        )
    print("Goals: ratio >= 0.95; RSS < 300 MB; dup 0; 429 0 at 30/s.")
    print(
        "lag: send time minus due time (every row due at once, so the queue's length is in it);"
        " >pace: send time minus the k-th slot at the limit (start + k/rate)."
    )
    print("RSS: the sending process's peak during the drain (the in-process fake's share too).")
    print(
        "in-process: the fake shares this event loop and CPU with the sender; child process:"
        " its own process and loop (the honest figure)."
    )
    for r in result.runs:
        server = r.server
        extra = ""
        if server is not None and server.cpu_s is not None:
            extra = f", fake CPU {server.cpu_s:.1f} s, fake peak RSS {server.peak_rss_mb:.0f} MB"
        rep = r.report
        print(
            f"  {r.requested:,} @ {r.rate:g}/s, {r.where}: add_user {r.setup['add_user']:.2f} s, "
            f"bulk INSERT {r.setup['insert']:.2f} s, drain started "
            f"{r.setup['late_start']:.2f} s late; sender CPU {r.cpu_s:.1f} s{extra}; "
            f"drains {r.drains}, deferred {rep.deferred}, rate_limited {rep.rate_limited}, "
            f"not SENT {r.not_sent}"
        )


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.delivery", description=__doc__)
    parser.add_argument("--members", type=int, default=None, help="default 100,000")
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--small-members", type=int, default=None, help="default 5,000")
    parser.add_argument("--small-rate", type=float, default=30.0)
    parser.add_argument("--baseline-messages", type=int, default=None, help="default 10,000")
    parser.add_argument(
        "--in-process-members",
        type=int,
        default=None,
        help="the large run with the fake in this process: default a 20,000 sample",
    )
    parser.add_argument("--database-url", help="a PostgreSQL server; a fresh database on it")
    parser.add_argument("--redis-url", help="share the budget through Redis (RedisLimiter)")
    parser.add_argument(
        "--servers",
        default="child,in-process",
        help="where the fake runs, in order: child, in-process (the small run uses the first)",
    )
    parser.add_argument("--batch", type=int, help="Sender batch (rows claimed at a time)")
    parser.add_argument("--in-flight", type=int, help="Sender requests in flight")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: 2,000 at the rate, 90 at the small rate",
    )
    args = parser.parse_args(argv)
    if args.database_url and not args.database_url.startswith("postgresql"):
        parser.error("--database-url takes a PostgreSQL server URL; SQLite is the default")
    sizes = QUICK if args.quick else {}
    names = {"child": CHILD, "in-process": IN_PROCESS}
    try:
        servers = tuple(names[name.strip()] for name in args.servers.split(","))
    except KeyError as error:
        parser.error(f"unknown server placement {error}")
    sender_options = {
        name: value
        for name, value in (("batch", args.batch), ("in_flight", args.in_flight))
        if value is not None
    }
    return Options(
        members=args.members or sizes.get("members", 100_000),
        rate=args.rate,
        small_members=args.small_members or sizes.get("small_members", 5_000),
        small_rate=args.small_rate,
        baseline_messages=args.baseline_messages or sizes.get("baseline_messages", 10_000),
        in_process_members=args.in_process_members or sizes.get("in_process_members", 20_000),
        database_url=args.database_url,
        redis_url=args.redis_url,
        servers=servers,
        sender_options=sender_options,
    )


async def main(argv: Sequence[str] | None = None) -> BenchResult:
    options = parse_args(argv)
    started, load = time.perf_counter(), os.getloadavg()[0]
    result = await bench(options)
    print_result(result, options, time.perf_counter() - started, (load, os.getloadavg()[0]))
    return result


if __name__ == "__main__":
    asyncio.run(main())
