"""Writing the audit log: admin actions and refused attempts.

An auditor needs who, what, when and on which rows, never what anyone wrote: details hold
numbers, flags and short codes. A string that could be someone's words (not plain ASCII, or
long) is kept out, whoever passed it, so an erasure or a leak of the log exposes no text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from db.models import AuditEntry


def record(
    session: AsyncSession,
    clock: Clock,
    action: str,
    *,
    outcome: str = "ok",
    actor_member_id: int | None = None,
    actor_external_id: int | None = None,
    **detail: Any,
) -> None:
    """Add an audit line to the session; the caller's transaction commits it."""
    session.add(
        AuditEntry(
            at=clock.now(),
            actor_member_id=actor_member_id,
            actor_external_id=actor_external_id,
            action=action,
            outcome=outcome,
            detail={key: _safe(value) for key, value in detail.items()},
        )
    )


CODE_MAX = 64
WITHHELD = "[withheld]"


def _safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        readable = value.isascii() and value.isprintable() and len(value) <= CODE_MAX
        return value if readable else WITHHELD
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value]
    return WITHHELD


async def record_refusal(
    session: AsyncSession,
    clock: Clock,
    action: str,
    *,
    actor_member_id: int | None,
    actor_external_id: int | None,
    **detail: Any,
) -> None:
    """Commit an audit line for a refused attempt, on its own so nothing else is changed."""
    await session.rollback()
    record(
        session,
        clock,
        action,
        outcome="refused",
        actor_member_id=actor_member_id,
        actor_external_id=actor_external_id,
        **detail,
    )
    await session.commit()
