"""Domain errors; handlers map each to a short Vietnamese answer."""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """Base of every error a user may cause; never a bug."""


class NotAllowed(DomainError):
    """The acting member's role or unit does not permit this."""


class NotFound(DomainError):
    """The thing asked for does not exist (any more)."""


class Expired(DomainError):
    """An invite or a button that is no longer valid; `kind` says why."""

    def __init__(self, kind: str = "expired", at: datetime | None = None) -> None:
        super().__init__(kind)
        self.kind = kind  # "expired", "used up" or "revoked"
        self.at = at


class AlreadyMember(DomainError):
    """The person is already a member; an invite would add nothing."""


class InvalidInput(DomainError):
    """Typed input that cannot be used; the user is asked again."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
