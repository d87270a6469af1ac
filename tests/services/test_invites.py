from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AlreadyMember, Expired, InvalidInput, NotAllowed, NotFound
from bot.services import invites, onboarding
from bot.services.onboarding import Identity
from db.models import AuditEntry, Invite, Role
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

DAY = timedelta(days=1)


def newcomer(user_id: int = 900) -> Identity:
    return Identity("telegram", user_id, user_id, "Hoàng Văn Em")


async def test_a_secretary_invites_to_their_own_cell(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    created = await factories.invite(session, clock, cast.chi_bo_1, actor=cast.chi_thu, ttl=DAY)
    assert len(invites.normalise_code(created.code)) == 8
    stored = await session.scalar(select(Invite).where(Invite.id == created.invite_id))
    assert stored is not None
    assert stored.code_hash == invites.hash_code(created.code)
    assert invites.normalise_code(created.code) not in stored.code_hash
    actions = list(await session.scalars(select(AuditEntry.action)))
    assert actions == ["invite.create"]


async def test_a_secretary_cannot_invite_to_another_cell(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    with pytest.raises(NotAllowed):
        await factories.invite(session, clock, cast.chi_bo_2, actor=cast.chi_thu, ttl=DAY)


async def test_a_member_cannot_invite_and_a_secretary_cannot_make_a_secretary(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    with pytest.raises(NotAllowed):
        await factories.invite(session, clock, cast.chi_bo_1, actor=cast.an, ttl=DAY)
    with pytest.raises(NotAllowed):
        await factories.invite(
            session, clock, cast.chi_bo_1, role=Role.SECRETARY, actor=cast.chi_thu, ttl=DAY
        )


async def test_a_cell_role_does_not_fit_a_committee(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    with pytest.raises(InvalidInput):
        await factories.invite(session, clock, cast.dang_bo, ttl=DAY)


async def test_an_expired_invite_says_when_it_expired(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    created = await factories.invite(session, clock, cast.chi_bo_1, ttl=DAY)
    clock.move(days=1, seconds=1)
    with pytest.raises(Expired) as caught:
        await onboarding.redeem_invite(session, clock, created.code, newcomer())
    assert caught.value.kind == "expired"
    assert caught.value.at == created.expires_at


async def test_an_invite_is_used_up_after_its_uses(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    created = await factories.invite(session, clock, cast.chi_bo_1, ttl=DAY, max_uses=2)
    await onboarding.redeem_invite(session, clock, created.code, newcomer(901))
    await onboarding.redeem_invite(session, clock, created.code.lower(), newcomer(902))
    with pytest.raises(Expired) as caught:
        await onboarding.redeem_invite(session, clock, created.code, newcomer(903))
    assert caught.value.kind == "used up"


async def test_an_unknown_code_is_not_found(session: AsyncSession, clock: FakeClock) -> None:
    with pytest.raises(NotFound):
        await onboarding.redeem_invite(session, clock, "ZZZZ-ZZZZ", newcomer())


async def test_a_member_cannot_join_twice(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    created = await factories.invite(session, clock, cast.chi_bo_2, ttl=DAY, max_uses=5)
    with pytest.raises(AlreadyMember):
        await onboarding.redeem_invite(
            session, clock, created.code, Identity("telegram", 102, 102, "An")
        )
