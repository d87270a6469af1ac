"""The audit log keeps who, what, when and which rows, never anyone's words."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from db.models import AuditEntry
from tests.conftest import Cast
from tests.fakes.clock import FakeClock


async def test_codes_and_ids_are_kept_and_words_withheld(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    audit.record(
        session,
        clock,
        "member.remove",
        actor_member_id=cast.chi_thu.id,
        member=cast.an.id,
        reason="transfer",
        data="v1|rmok|7|other",
        flags=[True, 3],
        typed="Đồng chí chuyển công tác về tỉnh",
        long="x" * 65,
        nested={"text": "bí mật"},
    )
    await session.commit()
    entry = await session.scalar(select(AuditEntry))
    assert entry is not None
    assert (entry.actor_member_id, entry.action, entry.outcome) == (
        cast.chi_thu.id,
        "member.remove",
        "ok",
    )
    assert entry.detail == {
        "member": cast.an.id,
        "reason": "transfer",
        "data": "v1|rmok|7|other",
        "flags": [True, 3],
        "typed": audit.WITHHELD,
        "long": audit.WITHHELD,
        "nested": audit.WITHHELD,
    }
