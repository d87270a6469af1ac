from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import InvalidInput
from bot.services import onboarding
from bot.services.onboarding import Identity, Step
from db.models import MemberStatus
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock


async def test_a_newcomer_walks_through_every_step(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    created = await factories.invite(
        session, clock, cast.chi_bo_1, actor=cast.chi_thu, full_name="Hoàng Văn Em"
    )
    who = Identity("telegram", 900, 900, "Em Hoàng")
    state = await onboarding.redeem_invite(session, clock, created.code, who)
    assert (state.step, state.full_name, state.cell_name) == (
        Step.NAME,
        "Hoàng Văn Em",
        "Chi bộ 1",
    )

    member = await onboarding.find_member(session, "telegram", 900)
    assert member is not None
    assert member.status is MemberStatus.ONBOARDING
    state = await onboarding.confirm_name(session, member, "hoàng văn  em")
    assert (state.step, state.full_name) == (Step.TIME, "Hoàng Văn Em")
    state = await onboarding.set_lesson_time(session, member, time(20, 0))
    assert state.step is Step.CONSENT
    state = await onboarding.give_consent(session, clock, member)
    assert state.step is Step.DONE
    again = await onboarding.find_member(session, "telegram", 900)
    assert again is not None
    assert (again.status, again.consent_at) == (MemberStatus.ACTIVE, clock.now())


async def test_the_step_is_read_back_from_the_database_after_a_restart(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, cast: Cast
) -> None:
    async with sessionmaker() as first:
        created = await factories.invite(first, clock, cast.chi_bo_1, ttl=timedelta(days=1))
        await onboarding.redeem_invite(
            first, clock, created.code, Identity("telegram", 900, 900, "Hoàng Văn Em")
        )
        member = await onboarding.find_member(first, "telegram", 900)
        assert member is not None
        await onboarding.confirm_name(first, member, None)
    async with sessionmaker() as second:
        again = await onboarding.find_member(second, "telegram", 900)
        assert again is not None
        assert onboarding.progress(again).step is Step.TIME


async def test_a_bad_name_changes_nothing(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    created = await factories.invite(session, clock, cast.chi_bo_1, ttl=timedelta(days=1))
    await onboarding.redeem_invite(
        session, clock, created.code, Identity("telegram", 900, 900, "Hoàng Văn Em")
    )
    member = await onboarding.find_member(session, "telegram", 900)
    assert member is not None
    with pytest.raises(InvalidInput):
        await onboarding.confirm_name(session, member, "x" * 300)
    assert onboarding.progress(member).step is Step.NAME
    assert member.full_name == "Hoàng Văn Em"
