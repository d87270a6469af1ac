"""Why a quiz night refuses a press, a command or an answer (handlers map each to a text),
and the audit line every refusal leaves."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import DomainError
from bot.services import audit
from db.models import Member

Reason = Literal[
    "not_host",  # a non-host tried to start, stop or change the night
    "other_cell",  # a member of another cell
    "guests_off",  # not a member, and the host did not allow guests
    "already_open",  # this group already has a night in its lobby or running
    "not_open",  # the night is over, or not in the state the press expects
    "answered",  # a second answer to the same question
    "late",  # after the time was up
    "joined_late",  # joined during a question: the next one counts
    "no_bank",  # no bank to choose from, or the chosen one is gone
    "bank_changed",  # the list of banks changed between showing it and the press
    "unknown_poll",  # a poll this bot has not stored (yet): another bot's, or just sent
    "not_paused",  # resume or stop pressed for a night that is not paused (any more)
]


class Refused(DomainError):
    """A press or command that may not change the night; `reason` picks the polite answer."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


async def record(
    session: AsyncSession,
    clock: Clock,
    action: str,
    refused: Refused,
    *,
    member: Member | None,
    user_id: int,
    **detail: Any,
) -> None:
    """Write a refused quiz-night press, command or answer to the audit log, on its own
    transaction (whatever the refused call had begun is rolled back). Commits."""
    # The refused call may have rolled back, expiring `member`: its key needs no load.
    key = inspect(member).identity if member is not None else None
    await audit.record_refusal(
        session,
        clock,
        f"quiz_night.{action}",
        actor_member_id=int(key[0]) if key else None,
        actor_external_id=user_id,
        reason=refused.reason,
        **detail,
    )
