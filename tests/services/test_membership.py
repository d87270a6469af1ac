"""Removing a member and taking a role back: who may, what changes, what is written down."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import outbox
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services import membership
from db.models import AuditEntry, Member, MemberStatus, OutboxMessage, OutboxStatus, Role, Unit
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock


class Told:
    """Records whom the service asked to tell, and why (the real notice is a delivery job)."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int, str]] = []

    async def __call__(
        self, session: AsyncSession, clock: Clock, member: Member, unit: Unit, reason: str
    ) -> None:
        self.calls.append((member.id, unit.id, reason))


async def lesson_for(session: AsyncSession, clock: FakeClock, member: Member, key: str) -> None:
    await outbox.enqueue(
        session,
        clock,
        key=key,
        channel="telegram",
        chat_id=102,
        member_id=member.id,
        method="sendMessage",
        payload={"chat_id": 102, "text": "Bài học"},
    )
    await session.commit()


async def audited(session: AsyncSession, action: str) -> list[AuditEntry]:
    return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


async def test_the_secretary_removes_a_member_who_is_told_and_gets_nothing_more(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await lesson_for(session, clock, cast.an, "lesson:an:1")
    await lesson_for(session, clock, cast.binh, "lesson:binh:1")
    told = Told()
    done = await membership.remove_member(
        session, clock, cast.chi_thu, cast.an.id, "transfer", told
    )
    assert done == membership.Removed(cast.chi_bo_1.id, "Nguyễn Văn An")
    await session.refresh(cast.an)
    assert (cast.an.status, cast.an.left_at, cast.an.left_reason) == (
        MemberStatus.INACTIVE,
        clock.now(),
        "transfer",
    )
    assert told.calls == [(cast.an.id, cast.chi_bo_1.id, "transfer")]
    pending = await session.scalars(
        select(OutboxMessage.key).where(OutboxMessage.status == OutboxStatus.PENDING)
    )
    assert list(pending) == ["lesson:binh:1"]
    (entry,) = await audited(session, "member.remove")
    assert (entry.actor_member_id, entry.detail) == (
        cast.chi_thu.id,
        {"member": cast.an.id, "unit": cast.chi_bo_1.id, "reason": "transfer"},
    )
    people = await membership.removable(session, cast.chi_thu, cast.chi_bo_1.id)
    assert [p.name for p in people.people] == ["Lê Thị Bình"]


async def test_a_typed_reason_is_kept_on_the_member_and_the_audit_says_other(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await membership.remove_member(
        session, clock, cast.chi_thu, cast.an.id, "  Chuyển  về quê ", Told()
    )
    await session.refresh(cast.an)
    assert cast.an.left_reason == "Chuyển về quê"
    (entry,) = await audited(session, "member.remove")
    assert entry.detail["reason"] == "other"


@pytest.mark.parametrize("typed", ["", "   ", "\u200b\u200b", "x" * 201])
def test_a_blank_invisible_or_long_reason_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        membership.parse_reason(typed)


async def test_only_this_cells_secretary_removes_and_never_a_secretary_or_themself(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    deputy = await factories.member(session, clock, cast.chi_bo_1, "Phó Bí Thư", role=Role.DEPUTY)
    refused = [
        (cast.dung, cast.an.id),  # another cell's secretary
        (deputy, cast.an.id),
        (cast.binh, cast.an.id),  # a member
        (cast.chi_thu, cast.chi_thu.id),  # themself
    ]
    for actor, target in refused:
        with pytest.raises(NotAllowed):
            await membership.remove_member(session, clock, actor, target, "mistake", Told())
    await session.refresh(cast.an)
    assert cast.an.status is MemberStatus.ACTIVE


async def test_a_committee_admin_above_takes_a_role_back_and_no_one_else_can(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    admin = await factories.member(
        session, clock, cast.dang_bo, "Cán Bộ Đảng Ủy", role=Role.COMMITTEE_ADMIN
    )
    other = await factories.unit(session, clock, "Đảng bộ xã 2", kind=cast.dang_bo.kind)
    stranger = await factories.member(
        session, clock, other, "Cán Bộ Khác", role=Role.COMMITTEE_ADMIN
    )
    for actor in (stranger, cast.dung, cast.chi_thu):
        with pytest.raises(NotAllowed):
            await membership.revoke_role(session, clock, actor, cast.chi_thu.id)
    cells = await membership.cells_below(session, admin, cast.dang_bo.id)
    assert [c.name for c in cells] == ["Chi bộ 1", "Chi bộ 2"]
    done = await membership.revoke_role(session, clock, admin, cast.chi_thu.id)
    assert done == membership.Revoked(cast.chi_bo_1.id, "Trần Thị Thư", Role.SECRETARY)
    await session.refresh(cast.chi_thu)
    assert cast.chi_thu.role is Role.MEMBER
    (entry,) = await audited(session, "role.revoke")
    assert entry.detail == {
        "member": cast.chi_thu.id,
        "unit": cast.chi_bo_1.id,
        "role": "secretary",
    }
    with pytest.raises(NotFound):  # a second press: nothing left to take back
        await membership.revoke_role(session, clock, admin, cast.chi_thu.id)
