"""Faults a test switches on: Telegram's 429, 403 and 5xx, slow answers, duplicated updates."""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.webchat.errors import BLOCKED, ApiError
from bot.channels.webchat.ratelimits import RateLimitFaults

KINDS = frozenset({"429", "403", "500", "slow", "timeout"})


@dataclass
class Fault:
    method: str  # lower-case method name, or "*" for every method
    kind: str  # "429", "403", "500", "slow"
    times: int
    chat_id: int | None
    retry_after: int
    delay: float


class Faults(RateLimitFaults):
    def __init__(self) -> None:
        self._rules: list[Fault] = []
        self.blocked: set[int] = set()
        self.duplicate_updates = 0
        self.reorder_updates = 0

    def fail(
        self,
        method: str,
        kind: str,
        *,
        times: int = 1,
        chat_id: int | None = None,
        retry_after: int | None = None,
        delay: float = 0.5,
    ) -> None:
        """Make the next `times` calls of `method` (to `chat_id`, if given) fail with `kind`.

        "slow" (alias "timeout") holds the answer for `delay` seconds and then answers
        normally, so a client with a shorter timeout sees its request time out.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; use one of {sorted(KINDS)}")
        kind = "slow" if kind == "timeout" else kind
        rule = Fault(method.lower(), kind, times, chat_id, retry_after or 1, delay)
        self._rules.append(rule)

    def duplicate_next_updates(self, count: int) -> None:
        """Deliver each of the next `count` updates twice, as Telegram may after a timeout."""
        self.duplicate_updates += count

    def reorder_next_updates(self, count: int) -> None:
        """Hold the next `count` updates and deliver them in reverse order."""
        self.reorder_updates += count

    def block_bot(self, user_id: int) -> None:
        self.blocked.add(user_id)

    def unblock_bot(self, user_id: int) -> None:
        self.blocked.discard(user_id)

    def clear(self) -> None:
        self._rules.clear()
        self.blocked.clear()
        self.duplicate_updates = self.reorder_updates = 0

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """Return (and spend) the fault for this call, if one applies."""
        for rule in self._rules:
            if rule.method in (method.lower(), "*") and rule.chat_id in (None, chat_id):
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
                return rule
        return None


def as_error(fault: Fault) -> ApiError | None:
    if fault.kind == "429":
        return ApiError(
            429,
            f"Too Many Requests: retry after {fault.retry_after}",
            retry_after=fault.retry_after,
        )
    if fault.kind == "403":
        return BLOCKED
    if fault.kind == "500":
        return ApiError(500, "Internal Server Error")
    return None
