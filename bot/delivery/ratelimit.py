"""The sender's rate budget: Telegram's limits, in one process or shared through Redis.

Telegram allows about 30 messages a second in all, one a second to a chat and 20 a minute to a
group, and after a 429 the whole bot must wait `retry_after`. `reserve` hands out the time a
message may go; the caller sleeps until then on its own clock and sends.

How the budget is kept (the same in memory and in the Lua script, in whole microseconds so
that both agree exactly and floats never round a slot into the wrong place):

- Overall: a calendar of slots `ceil(1e6 / per_second)` µs wide, one message per slot, so no
  half-open second ever holds more than `per_second` messages. Bursts are 1 on purpose: a burst
  of per_second*0.1 would let 33 into one second, and under load a burst buys no throughput.
  Messages go at slot starts, so an idle bot still waits up to one slot (33 ms at 30/s).
  A message is given the first free slot at or after the moment its chat allows it, so a
  message waiting for its chat leaves the slots before that to other chats (a single
  "theoretical arrival time" could not: it would push every later chat behind the waiting one).
  `frontier` is the first slot not taken, `taken` the slots reserved beyond it. Finding a free
  slot probes forward one by one; probes stay short because chats' ready times seldom meet
  (each is its own last slot plus a spacing) and a pause moves the frontier, not the probes.
- Per chat: GCRA (virtual scheduling) with period `per_chat_interval` and no burst.
- Per group (chat_id < 0): GCRA with burst B = GROUP_BURST and period 60 s / (G - B + 1),
  rounded up to the µs, on top of the per-chat spacing. GCRA(T, tolerance (B-1)·T) lets at
  most floor((60 + (B-1)·T) / T) + 1 messages into a closed 60 s window, and rounding T up
  makes that ≤ G = group_per_minute. (Period 3 s with any burst over 1 would allow
  20 + B - 1.) The price of the burst: a sustained 18 a minute instead of 20.
- Pause: nothing is reserved before `pause_until`; slots already handed out stay handed out.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

GROUP_BURST = 3  # messages a quiet group may get one per_chat_interval apart
US = 1_000_000


@dataclass(frozen=True)
class Limits:
    per_second: float = 30.0  # whole bot
    per_chat_interval: float = 1.0  # seconds between two messages to one chat (groups too)
    group_per_minute: int = 20  # per group chat (chat_id < 0)


@dataclass(frozen=True)
class ChatRule:
    """GCRA for one kind of chat, in µs: period, tolerance (burst - 1) * period, spacing."""

    period: int
    tolerance: int
    spacing: int

    def horizon(self, tat: int, last: int) -> int:
        """When the chat's state stops mattering (a fresh chat would be allowed as early)."""
        return max(tat, last + self.spacing)


@dataclass(frozen=True)
class Plan:
    """Limits turned into whole microseconds."""

    width: int  # of one overall slot
    private: ChatRule
    group: ChatRule

    @classmethod
    def of(cls, limits: Limits) -> Plan:
        if limits.per_second <= 0 or limits.group_per_minute < 1:
            raise ValueError("per_second and group_per_minute must be positive")
        spacing = math.ceil(limits.per_chat_interval * US)
        burst = min(GROUP_BURST, limits.group_per_minute)
        period = max(-(-60 * US // (limits.group_per_minute - burst + 1)), spacing)
        return cls(
            width=math.ceil(US / limits.per_second),
            private=ChatRule(spacing, 0, spacing),
            group=ChatRule(period, (burst - 1) * period, spacing),
        )

    def rule(self, chat_id: int) -> ChatRule:
        return self.group if chat_id < 0 else self.private


class RateLimiter(Protocol):
    async def reserve(self, chat_id: int) -> float:
        """Reserve the next slot for a message to chat_id; return seconds (≥ 0) until it may go.

        Reserving always succeeds: the caller sleeps the returned delay (on its own clock)
        and then sends.
        """
        ...

    async def reserve_many(self, chat_ids: list[int]) -> list[float]:
        """`reserve` for several messages in this order, in one go (one round trip)."""
        ...

    async def pause(self, seconds: float) -> None:
        """A 429 said retry_after: no message from any process before now + seconds."""
        ...

    async def close(self) -> None: ...


@dataclass
class _Chat:
    tat: int
    last: int
    expires: int


class MemoryLimiter:
    """The budget of one process; `now` is monotonic seconds (tests pass a fake)."""

    def __init__(
        self, limits: Limits = Limits(), *, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.plan = Plan.of(limits)
        self._now = now
        self._pause_until = 0
        self._frontier = 0
        self._taken: set[int] = set()
        self._heap: list[int] = []  # the taken slots again, to prune the past in order
        # Least recently reserved first, so expired chats are pruned from the front in O(1).
        self._chats: OrderedDict[int, _Chat] = OrderedDict()

    @property
    def tracked_chats(self) -> int:
        return len(self._chats)

    async def reserve(self, chat_id: int) -> float:
        now = self._now() * US
        base = max(math.ceil(now), self._pause_until)
        rule = self.plan.rule(chat_id)
        chat = self._chats.pop(chat_id, None)
        ready = base
        if chat is not None:
            ready = max(ready, chat.tat - rule.tolerance, chat.last + rule.spacing)
        slot = self._slot(-(-base // self.plan.width), -(-ready // self.plan.width))
        slot *= self.plan.width
        tat = max(chat.tat if chat is not None else slot, slot) + rule.period
        self._chats[chat_id] = _Chat(tat, slot, rule.horizon(tat, slot))
        self._prune_chats(base)
        return max(0.0, (slot - now) / US)

    async def reserve_many(self, chat_ids: list[int]) -> list[float]:
        return [await self.reserve(chat_id) for chat_id in chat_ids]

    async def pause(self, seconds: float) -> None:
        until = math.ceil((self._now() + seconds) * US)
        self._pause_until = max(self._pause_until, until)

    async def close(self) -> None:
        return None

    def _slot(self, first: int, wanted: int) -> int:
        """Take the first free overall slot at or after `wanted`; none before `first` counts."""
        while self._heap and self._heap[0] < first:
            self._taken.discard(heapq.heappop(self._heap))
        frontier = max(self._frontier, first)
        slot = max(wanted, frontier)
        while slot in self._taken:
            slot += 1
        if slot == frontier:
            frontier += 1
            while frontier in self._taken:
                self._taken.discard(frontier)  # its heap entry goes once it is in the past
                frontier += 1
            self._frontier = frontier
        else:
            self._taken.add(slot)
            heapq.heappush(self._heap, slot)
        return slot

    def _prune_chats(self, now: int) -> None:
        while self._chats:
            oldest = next(iter(self._chats.values()))
            if oldest.expires > now:
                return
            self._chats.popitem(last=False)


# KEYS: frontier, taken (zset), pause_until, then one chat (hash t, l) per message, in order.
# ARGV: slot width, then per message its chat's period, tolerance and spacing (all µs).
# Returns each message's delay in µs. Mirrors MemoryLimiter.reserve and _slot; Redis's own
# clock, so processes agree on "now". Several messages in one call cost one round trip: at
# 1,000 a second one round trip each was the sender's whole pace.
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local width = tonumber(ARGV[1])
local function key(n) return string.format('%.0f', n) end
local base = math.max(now, tonumber(redis.call('GET', KEYS[3]) or '0'))
local first = math.ceil(base / width)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. key(first))
local frontier = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), first)
local delays = {}
for i = 4, #KEYS do
  local j = (i - 4) * 3 + 2
  local period, tolerance = tonumber(ARGV[j]), tonumber(ARGV[j + 1])
  local spacing = tonumber(ARGV[j + 2])
  local ready = base
  local chat = redis.call('HMGET', KEYS[i], 't', 'l')
  local tat = tonumber(chat[1])
  if tat then ready = math.max(ready, tat - tolerance, tonumber(chat[2]) + spacing) end
  local slot = math.max(math.ceil(ready / width), frontier)
  while redis.call('ZSCORE', KEYS[2], key(slot)) do slot = slot + 1 end
  if slot == frontier then
    frontier = slot + 1
    while redis.call('ZSCORE', KEYS[2], key(frontier)) do
      redis.call('ZREM', KEYS[2], key(frontier))
      frontier = frontier + 1
    end
  else
    redis.call('ZADD', KEYS[2], key(slot), key(slot))
    local top = tonumber(redis.call('ZRANGE', KEYS[2], -1, -1)[1])
    redis.call('PEXPIRE', KEYS[2], math.ceil((top * width - now) / 1000) + 1000)
  end
  local at = slot * width
  local next_tat = math.max(tat or at, at) + period
  redis.call('HSET', KEYS[i], 't', key(next_tat), 'l', key(at))
  local horizon = math.max(next_tat, at + spacing)
  redis.call('PEXPIRE', KEYS[i], math.ceil((horizon - now) / 1000) + 1)
  delays[#delays + 1] = at - now
end
redis.call('SET', KEYS[1], key(frontier), 'PX', math.ceil((frontier * width - now) / 1000) + 1000)
return delays
"""

PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local ms = tonumber(ARGV[1])
local old = tonumber(redis.call('GET', KEYS[1]) or '0')
local until_ = math.max(old, now + ms * 1000)
if until_ > now then
  redis.call('SET', KEYS[1], string.format('%.0f', until_), 'PX', math.ceil((until_ - now) / 1000))
end
return 1
"""


class RedisLimiter:
    """The budget shared by every process using the same Redis and prefix (and Limits)."""

    def __init__(
        self,
        client: aioredis.Redis,
        limits: Limits = Limits(),
        *,
        prefix: str = "hocbac:rate",
        owns_client: bool = False,
    ) -> None:
        self.plan = Plan.of(limits)
        self._client = client
        self._owns_client = owns_client
        # One hash tag: a script's keys must share a slot on Redis Cluster.
        self._prefix = "{" + prefix + "}"
        self._reserve = client.register_script(RESERVE)
        self._pause = client.register_script(PAUSE)

    async def reserve(self, chat_id: int) -> float:
        return (await self.reserve_many([chat_id]))[0]

    async def reserve_many(self, chat_ids: list[int]) -> list[float]:
        if not chat_ids:
            return []
        p = self._prefix
        keys = [f"{p}:frontier", f"{p}:taken", f"{p}:pause"]
        args: list[int] = [self.plan.width]
        for chat_id in chat_ids:
            rule = self.plan.rule(chat_id)
            keys.append(f"{p}:c:{chat_id}")
            args += [rule.period, rule.tolerance, rule.spacing]
        delays: Any = await self._reserve(keys=keys, args=args)
        return [max(0.0, int(delay) / US) for delay in delays]

    async def pause(self, seconds: float) -> None:
        await self._pause(keys=[f"{self._prefix}:pause"], args=[math.ceil(seconds * 1000)])

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()


def redis_options() -> dict[str, Any]:
    """Connection options for every Redis client of the bot, so that a reset Redis heals.

    An idle connection is pinged before use and a dead one replaced; a command whose connection
    was reset is sent again on a new one, with backoff, for about five seconds (a command that
    timed out is not: it may have run). Reads wait 30 s, so a Redis that hangs for a while
    answers late rather than failing the update; one that has gone silent is noticed."""
    return {
        "health_check_interval": 10,
        "socket_keepalive": True,
        "socket_connect_timeout": 5,
        "socket_timeout": 30,
        "retry": Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=8),
        "retry_on_error": [RedisConnectionError, ConnectionError],
    }


def limiter_for(redis_url: str | None, limits: Limits) -> RateLimiter:
    """Share the budget through Redis when it is configured, else keep it in this process."""
    if redis_url:
        client = aioredis.from_url(redis_url, **redis_options())
        return RedisLimiter(client, limits, owns_client=True)
    return MemoryLimiter(limits)
