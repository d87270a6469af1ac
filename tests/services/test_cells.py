from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotAllowed
from bot.services import access, cells
from db.models import Role
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock


async def test_a_secretary_sees_their_cell(session: AsyncSession, cast: Cast) -> None:
    overview = await cells.cell_overview(session, cast.chi_thu, cast.chi_bo_1.id)
    assert [m.full_name for m in overview.members] == [
        "Trần Thị Thư",
        "Nguyễn Văn An",
        "Lê Thị Bình",
    ]
    assert (overview.active, overview.onboarding) == (3, 0)


async def test_nobody_sees_a_cell_they_do_not_manage(session: AsyncSession, cast: Cast) -> None:
    for outsider in (cast.dung, cast.an, None):
        with pytest.raises(NotAllowed):
            await cells.cell_overview(session, outsider, cast.chi_bo_1.id)


async def test_a_committee_admin_manages_the_cells_below(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    admin = await factories.member(
        session, clock, cast.dang_bo, "Đỗ Văn Giáp", role=Role.COMMITTEE_ADMIN
    )
    elsewhere = await factories.unit(session, clock, "Chi bộ xã 2")
    assert await access.can_manage_unit(session, admin, cast.chi_bo_2.id)
    assert not await access.can_manage_unit(session, admin, elsewhere.id)
