"""The rate budget keeps Telegram's limits, in one process (moved time) and shared in Redis."""

from __future__ import annotations

import itertools
import random
import time
import uuid
from collections.abc import AsyncIterator, Iterable

import pytest
import redis.asyncio as aioredis

from bot.delivery.ratelimit import Limits, MemoryLimiter, RateLimiter, RedisLimiter, limiter_for

EPS = 1e-6  # slots are whole microseconds; this only absorbs float noise
GROUP = -1001


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def move(self, seconds: float) -> None:
        self.now += seconds


def most_in_window(times: Iterable[float], length: float) -> int:
    """The most send times in any half-open window [t, t + length)."""
    ordered = sorted(times)
    most, start = 0, 0
    for end, t in enumerate(ordered):
        while ordered[start] <= t - length + EPS:
            start += 1
        most = max(most, end - start + 1)
    return most


async def send_times(limiter: RateLimiter, now: float, chats: Iterable[int]) -> list[float]:
    return [now + await limiter.reserve(chat) for chat in chats]


# -- one process ------------------------------------------------------------------------------
async def test_many_chats_share_thirty_a_second_without_wasting_slots() -> None:
    clock = FakeTime()
    limiter = MemoryLimiter(Limits(per_second=30), now=clock)
    times = await send_times(limiter, clock.now, range(1, 301))
    width = limiter.plan.width / 1e6
    assert most_in_window(times, 1.0) == 30
    assert times[0] - clock.now < width  # the first free slot of the grid
    assert times[-1] - times[0] == pytest.approx(299 * width)
    assert times == sorted(times)


async def test_one_chat_gets_one_message_a_second() -> None:
    clock = FakeTime()
    limiter = MemoryLimiter(Limits(), now=clock)
    times = await send_times(limiter, clock.now, [102] * 5)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(1.0 - EPS <= gap < 1.0 + limiter.plan.width / 1e6 for gap in gaps), gaps


async def test_a_chat_that_waits_leaves_the_slots_before_it_to_other_chats() -> None:
    clock = FakeTime()
    limiter = MemoryLimiter(Limits(per_second=30), now=clock)
    first, second = await limiter.reserve(102), await limiter.reserve(102)
    others = [await limiter.reserve(chat) for chat in range(200, 228)]
    assert second - first == pytest.approx(1.0, abs=0.04)
    assert max(others) < second  # 28 other chats fit into the second chat 102 waits
    assert most_in_window([first, second, *others], 1.0) <= 30


async def test_a_group_never_gets_more_than_twenty_in_any_minute() -> None:
    clock = FakeTime()
    limiter = MemoryLimiter(Limits(), now=clock)
    times = await send_times(limiter, clock.now, [GROUP] * 60)
    assert most_in_window(times, 60.0) == 20
    assert [round(t - times[0], 3) for t in times[:5]] == [0, 1, 2, 3.333, 6.667]
    assert min(b - a for a, b in itertools.pairwise(times)) >= 1.0 - EPS


async def test_limits_hold_under_random_traffic_with_idle_gaps() -> None:
    rng = random.Random(5)
    clock = FakeTime()
    limiter = MemoryLimiter(Limits(per_second=30), now=clock)
    sent: dict[int, list[float]] = {}
    for _ in range(3000):
        clock.move(rng.choice([0.0, 0.0, 0.01, 0.2, 5.0, 40.0]))
        chat = rng.choice([GROUP, -1002, 102, 103, *range(200, 260)])
        sent.setdefault(chat, []).append(clock.now + await limiter.reserve(chat))
    everything = [t for times in sent.values() for t in times]
    assert most_in_window(everything, 1.0) <= 30
    assert most_in_window(sent[GROUP], 60.0) <= 20
    assert most_in_window(sent[-1002], 60.0) <= 20
    assert most_in_window(sent[102], 1.0) == 1


async def test_a_pause_holds_every_chat_and_a_shorter_one_does_not_shorten_it() -> None:
    clock = FakeTime()
    limiter = MemoryLimiter(Limits(), now=clock)
    await limiter.pause(5)
    await limiter.pause(2)
    assert 5.0 <= await limiter.reserve(102) < 5.04
    assert 5.0 <= await limiter.reserve(103) < 5.1
    clock.move(10)
    assert await limiter.reserve(104) < 0.04


async def test_the_budget_comes_back_after_idle_time() -> None:
    clock = FakeTime()
    limiter = MemoryLimiter(Limits(per_second=30), now=clock)
    await send_times(limiter, clock.now, range(1, 100))
    clock.move(10)
    width = limiter.plan.width / 1e6
    first = await limiter.reserve(102)
    assert first < width
    assert await limiter.reserve(103) == pytest.approx(first + width, abs=1e-6)


async def test_chats_whose_limits_have_passed_are_forgotten() -> None:
    clock = FakeTime()
    limiter = MemoryLimiter(Limits(per_second=1000), now=clock)
    for chat in range(1, 20_001):
        await limiter.reserve(chat)
        clock.move(0.001)
    assert limiter.tracked_chats <= 1002  # the chats of the last second, not all 20,000


def test_the_memory_limiter_is_used_without_redis() -> None:
    assert isinstance(limiter_for(None, Limits()), MemoryLimiter)


# -- shared through Redis ---------------------------------------------------------------------
@pytest.fixture
async def client(redis_url: str | None) -> AsyncIterator[aioredis.Redis]:
    if redis_url is None:
        pytest.skip("HOCBAC_TEST_REDIS_URL is not set")
    made = aioredis.from_url(redis_url)
    yield made
    await made.aclose()


@pytest.fixture
def prefix() -> str:
    return f"test:{uuid.uuid4().hex[:8]}"


async def slots(client: aioredis.Redis, prefix: str, chats: Iterable[int]) -> list[int]:
    """The µs each chat's last message was given, as the script stored it."""
    given = [await client.hget(f"{{{prefix}}}:c:{chat}", "l") for chat in chats]
    return [int(value) for value in given if value is not None]


async def sent_at(limiter: RateLimiter, chat: int) -> float:
    """When the message may go, on this test's clock (late by at most a round trip)."""
    delay = await limiter.reserve(chat)
    return time.monotonic() + delay


async def test_redis_spaces_many_chats_by_the_overall_rate(
    client: aioredis.Redis, prefix: str
) -> None:
    # 10 a second: reserving (a round trip far under 100 ms) outpaces the slots.
    limiter = RedisLimiter(client, Limits(per_second=10), prefix=prefix)
    start = time.monotonic()
    delays = [await limiter.reserve(chat) for chat in range(1, 31)]
    elapsed = time.monotonic() - start
    given = await slots(client, prefix, range(1, 31))
    assert given == sorted(given)
    assert {b - a for a, b in itertools.pairwise(given)} == {100_000}
    assert delays[0] < 0.1
    assert 2.9 - 0.01 <= delays[-1] + elapsed <= 3.0 + 0.01


async def test_two_redis_limiters_share_one_budget(
    client: aioredis.Redis, redis_url: str, prefix: str
) -> None:
    other_client = aioredis.from_url(redis_url)
    first = RedisLimiter(client, Limits(per_second=10), prefix=prefix)
    second = RedisLimiter(other_client, Limits(per_second=10), prefix=prefix)
    for chat in range(1, 31):
        await (first if chat % 2 else second).reserve(chat)
    await other_client.aclose()
    given = sorted(await slots(client, prefix, range(1, 31)))
    assert {b - a for a, b in itertools.pairwise(given)} == {100_000}


@pytest.mark.parametrize("shared", [False, True], ids=["memory", "redis"])
async def test_reserving_several_at_once_keeps_every_limit(
    shared: bool, redis_url: str | None, prefix: str
) -> None:
    """One call for many messages (one Redis round trip) hands out what one call each would."""
    if shared and redis_url is None:
        pytest.skip("HOCBAC_TEST_REDIS_URL is not set")
    limits = Limits(per_second=10)
    client = aioredis.from_url(redis_url) if shared and redis_url else None
    limiter: RateLimiter = (
        RedisLimiter(client, limits, prefix=prefix) if client else MemoryLimiter(limits)
    )
    chats = [1, 2, 1, 3, 4, 1]
    start = time.monotonic()
    delays = [*await limiter.reserve_many(chats[:3]), *await limiter.reserve_many(chats[3:])]
    times = [start + delay for delay in delays]
    if client is not None:
        await client.aclose()
    assert len(delays) == len(chats)
    ones = [at for chat, at in zip(chats, times, strict=True) if chat == 1]
    assert all(b - a >= 1.0 - 0.05 for a, b in itertools.pairwise(ones))  # a chat: 1 a second
    ordered = sorted(times)  # overall: one message a slot of 0.1 s (a round trip of slack)
    assert all(b - a >= 0.1 - 0.01 for a, b in itertools.pairwise(ordered))
    others = sorted(at for chat, at in zip(chats, times, strict=True) if chat != 1)
    assert others[-1] - others[0] < 0.5  # the other chats take the free slots meanwhile
    assert await limiter.reserve_many([]) == []


async def test_redis_spaces_one_chat_and_leaves_other_chats_free(
    client: aioredis.Redis, prefix: str
) -> None:
    limiter = RedisLimiter(client, Limits(per_second=100), prefix=prefix)
    first, second, third = [await sent_at(limiter, 102) for _ in range(3)]
    other = await limiter.reserve(103)
    assert second - first == pytest.approx(1.0, abs=0.05)
    assert third - second == pytest.approx(1.0, abs=0.05)
    assert other < 0.1
    ttl = await client.pttl(f"{{{prefix}}}:c:102")
    assert 2000 < ttl <= 4000  # the chat's key lives until its limit no longer matters


async def test_redis_keeps_a_group_to_twenty_a_minute(client: aioredis.Redis, prefix: str) -> None:
    limiter = RedisLimiter(client, Limits(per_second=100), prefix=prefix)
    times = [await sent_at(limiter, GROUP) for _ in range(45)]
    assert most_in_window(times, 60.0 - 0.05) == 20
    given = await slots(client, prefix, [GROUP])
    assert given[0] > 0


async def test_a_pause_in_redis_holds_every_process(
    client: aioredis.Redis, redis_url: str, prefix: str
) -> None:
    other_client = aioredis.from_url(redis_url)
    first = RedisLimiter(client, Limits(), prefix=prefix)
    second = RedisLimiter(other_client, Limits(), prefix=prefix)
    await first.pause(30)
    await second.pause(3)
    assert 29.9 < await second.reserve(102) <= 30.1
    assert 29.9 < await first.reserve(103) <= 30.2
    await other_client.aclose()


async def test_the_redis_limiter_is_used_with_redis(redis_url: str | None) -> None:
    if redis_url is None:
        pytest.skip("HOCBAC_TEST_REDIS_URL is not set")
    limiter = limiter_for(redis_url, Limits())
    assert isinstance(limiter, RedisLimiter)
    assert await limiter.reserve(102) < 0.1
    await limiter.close()
