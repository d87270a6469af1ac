"""Writing the audit log: admin actions and refused attempts."""

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
            detail=detail,
        )
    )


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
