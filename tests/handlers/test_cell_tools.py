from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from bot.screens.cell import ListMembers, NewInvite
from bot.texts import cell, common
from db.models import AuditEntry, Invite
from tests.conftest import Cast
from tests.pilot import PilotFactory


def alerts(server: BotApiServer) -> list[str]:
    return [c.params.get("text", "") for c in server.calls_to("answerCallbackQuery")]


async def test_a_secretary_creates_an_invite_in_the_bot(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("/start")
    await thu.press(common.MENU_CELL)
    assert "Đã tham gia: 3 đồng chí" in thu.text()
    await thu.press(cell.INVITE_CREATE)
    assert thu.buttons()[:2] == [cell.ROLE_MEMBER, cell.ROLE_DEPUTY]
    await thu.press(cell.ROLE_MEMBER)
    assert "Mã mời <b>Đảng viên</b>" in thu.text() or "Mã mời Đảng viên" in thu.text()
    assert "https://t.me/" in thu.text() and "?start=" in thu.text()
    assert await session.scalar(select(Invite.unit_id)) == cast.chi_bo_1.id


async def test_a_secretary_sees_the_member_list(cast: Cast, pilot_for: PilotFactory) -> None:
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(cell.MEMBER_LIST)
    assert "1. Trần Thị Thư (Bí thư)" in thu.text()
    assert "3. Lê Thị Bình (Đảng viên)" in thu.text()
    assert "Phạm Văn Cường" not in thu.text()  # another cell


async def test_a_member_has_no_cell_tools_and_forged_ones_are_refused(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory, server: BotApiServer
) -> None:
    an = pilot_for(102)
    await an.send("/start")
    assert common.MENU_CELL not in an.buttons()
    await an.forge(ListMembers(cast.chi_bo_1.id).pack())
    await an.forge(NewInvite(cast.chi_bo_1.id, "member").pack())
    assert alerts(server)[-2:] == [common.not_allowed(), common.not_allowed()]
    assert await session.scalar(select(Invite.id)) is None
    refused = list(
        await session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused"))
    )
    assert [e.actor_external_id for e in refused] == [102, 102]


async def test_a_secretary_cannot_reach_another_cell(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory, server: BotApiServer
) -> None:
    thu = pilot_for(101)
    await thu.send("/start")
    await thu.forge(ListMembers(cast.chi_bo_2.id).pack())
    assert alerts(server)[-1] == common.not_allowed()
    assert "Phạm Văn Cường" not in thu.text()


async def test_garbage_button_data_gets_a_polite_answer(
    cast: Cast, pilot_for: PilotFactory, server: BotApiServer
) -> None:
    binh = pilot_for(103)
    await binh.send("/start")
    for data in ["garbage", "v1|inv|1", "v9|menu", "v1|members|1' OR 1=1"]:
        await binh.forge(data)
        assert alerts(server)[-1] == common.button_expired()
