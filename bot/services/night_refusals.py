"""Why a quiz night refuses a press, a command or an answer; handlers map each to a text."""

from __future__ import annotations

from typing import Literal

from bot.errors import DomainError

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
]


class Refused(DomainError):
    """A press or command that may not change the night; `reason` picks the polite answer."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason
