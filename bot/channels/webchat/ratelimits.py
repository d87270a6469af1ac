"""Telegram's flood limits in the fake server: a send over a limit gets a real 429, not made.

Off unless a test or benchmark calls `faults.enforce_limits(...)`. A send is any method that
posts new messages to a chat (the spec's send*/forward*/copy* methods returning a Message or
MessageId; not sendChatAction, sendMessageDraft or sendGift). sendMediaGroup, forwardMessages
and copyMessages count as one send, as the sender reserves one slot per call.

Tolerance: a sender exactly on the limit must not be refused for jitter (timers firing late,
requests overtaking each other on the way), so every limit is eased by JITTER seconds
(`tolerance=` changes it, e.g. for a loaded machine):
- overall: GCRA with period 1/per_second and tolerance JITTER, i.e. a token bucket refilled
  at per_second holding 1 + per_second * JITTER tokens (4 at 30/s);
- per chat: the same with period per_chat_interval (0.9 s after a message, not 1 s);
- per group (chat_id < 0): at most group_per_minute accepted in any 60 - JITTER seconds.
A refused call uses up no budget. retry_after is the whole seconds until it would pass.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from functools import cache

from bot.channels.webchat import spec
from bot.channels.webchat.errors import ApiError

JITTER = 0.1  # seconds
MINUTE = 60.0
MESSAGE_RESULTS = frozenset({"Message", "Array of Message", "MessageId", "Array of MessageId"})
MAX_CHATS = 100_000  # the web chat runs for days; past this, chats with no limit left are dropped


@cache
def sends_a_message(method: str) -> bool:
    """Whether a Bot API method posts new messages to a chat, and so counts against the limits."""
    found = spec.methods().get(method.lower())
    return (
        found is not None
        and found.name.startswith(("send", "forward", "copy"))
        and not MESSAGE_RESULTS.isdisjoint(found.returns)
    )


class Enforcer:
    def __init__(
        self,
        per_second: float | None,
        per_chat_interval: float | None,
        group_per_minute: int | None,
        now: Callable[[], float],
        tolerance: float = JITTER,
    ) -> None:
        self.tolerance = tolerance
        self.period = 1 / per_second if per_second else None
        self.chat_period = per_chat_interval or None
        self.group_size = group_per_minute or None
        self.now = now
        self.tat = 0.0  # overall theoretical arrival time
        self.chat_tats: dict[int, float] = {}
        self.groups: dict[int, deque[float]] = {}

    def admit(self, chat_id: int | None) -> int | None:
        """Count a send to chat_id and return None, or refuse it: the retry_after to answer."""
        now = self.now()
        waits = [0.0]
        if self.period is not None:
            waits.append(self.tat - self.tolerance - now)
        if chat_id is not None and self.chat_period is not None:
            waits.append(self.chat_tats.get(chat_id, now) - self.tolerance - now)
        sent = self.groups.get(chat_id) if chat_id is not None and chat_id < 0 else None
        if sent is not None and self.group_size is not None and len(sent) >= self.group_size:
            waits.append(sent[0] + MINUTE - self.tolerance - now)
        if max(waits) > 0:
            return max(1, math.ceil(max(waits)))
        self._count(chat_id, now)
        return None

    def _count(self, chat_id: int | None, now: float) -> None:
        if self.period is not None:
            self.tat = max(self.tat, now) + self.period
        if chat_id is None:
            return
        if self.chat_period is not None:
            if len(self.chat_tats) >= MAX_CHATS:
                self.chat_tats = {c: t for c, t in self.chat_tats.items() if t > now}
            self.chat_tats[chat_id] = max(self.chat_tats.get(chat_id, now), now) + self.chat_period
        if chat_id < 0 and self.group_size is not None:
            self.groups.setdefault(chat_id, deque(maxlen=self.group_size)).append(now)


class RateLimitFaults:
    """The rate-enforcing mode of `Faults` (mixed in there)."""

    enforcer: Enforcer | None = None
    rate_limited = 0  # sends refused with a 429 so far

    def enforce_limits(
        self,
        per_second: float | None = 30,
        per_chat_interval: float | None = 1.0,
        group_per_minute: int | None = 20,
        *,
        now: Callable[[], float] = time.monotonic,
        tolerance: float = JITTER,
    ) -> None:
        """Refuse sends over Telegram's limits with its 429; None switches a limit off."""
        self.enforcer = Enforcer(per_second, per_chat_interval, group_per_minute, now, tolerance)

    def stop_enforcing(self) -> None:
        self.enforcer = None

    def check_rate(self, method: str, chat_id: object) -> None:
        """Raise the 429 Telegram would answer this call with, if enforcing and over a limit."""
        if self.enforcer is None or not sends_a_message(method):
            return
        retry_after = self.enforcer.admit(_chat(chat_id))
        if retry_after is not None:
            self.rate_limited += 1
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )


def _chat(chat_id: object) -> int | None:
    # A "@channelusername" counts only against the overall limit.
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, str) and chat_id.removeprefix("-").isdigit():
        return int(chat_id)
    return None
