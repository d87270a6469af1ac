"""Removing a member and taking a role back through the bot: buttons, typed words, refusals."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.screens.membership import RemoveConfirm, RevokeConfirm
from bot.texts import cell, common
from bot.texts import membership as t
from db.models import AuditEntry, Member, MemberStatus, OutboxMessage, Role
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import PilotFactory, plain


async def fresh(session: AsyncSession, member: Member) -> Member:
    await session.commit()
    found = await session.get(Member, member.id, populate_existing=True)
    assert found is not None
    return found


async def refusals(session: AsyncSession) -> list[AuditEntry]:
    await session.commit()
    return list(await session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused")))


async def test_the_secretary_removes_a_member_with_buttons_and_the_member_is_told(
    app: App, session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_REMOVE)
    assert thu.buttons() == [
        t.person_button(1, "Nguyễn Văn An", cell.ROLE_MEMBER),
        t.person_button(2, "Lê Thị Bình", cell.ROLE_MEMBER),
        t.CANCEL,
    ]
    await thu.press(t.person_button(1, "Nguyễn Văn An", cell.ROLE_MEMBER))
    assert thu.text() == plain(t.ask_reason("Nguyễn Văn An"))
    await thu.press(t.REASONS["transfer"])
    assert "Lý do: Chuyển sinh hoạt đảng" in thu.text()
    await thu.press(t.CONFIRM_REMOVE)
    assert thu.text() == plain(t.removed("Nguyễn Văn An"))
    assert (await fresh(session, cast.an)).status is MemberStatus.INACTIVE

    notice = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.member_id == cast.an.id)
    )
    assert notice is not None and "Chuyển sinh hoạt đảng" in notice.payload["text"]
    an = pilot_for(102)
    await an.send("menu")
    assert an.text() == common.inactive()


async def test_typed_numbers_a_typed_reason_and_huy_work_and_leave_nothing_half_done(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_REMOVE)
    await thu.send("2")  # Lê Thị Bình
    await thu.send("\u200b")  # invisible only: asked again
    assert thu.text() == t.reason_problem("empty")
    await thu.send("Chuyển công tác <vào Nam>")
    assert "Lý do: Chuyển công tác <vào Nam>" in thu.text()
    await thu.send("huỷ")  # the old tone style is understood too
    assert "Đã tham gia" in thu.text()  # back at the cell menu
    await thu.send("tìm gì đó")  # not taken as a reason any more
    assert "Lý do" not in thu.text()
    assert (await fresh(session, cast.binh)).status is MemberStatus.ACTIVE

    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_REMOVE)
    await thu.send("2")
    await thu.send("Chuyển công tác vào Nam")
    await thu.send("1")  # the confirm button
    binh = await fresh(session, cast.binh)
    assert (binh.status, binh.left_reason) == (MemberStatus.INACTIVE, "Chuyển công tác vào Nam")


async def test_another_cells_secretary_and_forged_buttons_are_refused_and_audited(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory, server: BotApiServer
) -> None:
    dung = pilot_for(105)
    await dung.send("menu")
    await dung.forge(RemoveConfirm(cast.an.id, "mistake").pack())
    await dung.forge(RevokeConfirm(cast.chi_thu.id).pack())
    an = pilot_for(102)
    await an.send("menu")
    await an.forge(RemoveConfirm(cast.binh.id, "transfer").pack())
    await an.forge("v1|rmok|3|nonsense")
    assert (await fresh(session, cast.an)).status is MemberStatus.ACTIVE
    assert (await fresh(session, cast.chi_thu)).role is Role.SECRETARY
    assert len(await refusals(session)) == 4
    assert common.not_allowed() in [
        c.params.get("text", "") for c in server.calls_to("answerCallbackQuery")
    ]


async def test_a_committee_admin_takes_a_secretarys_role_back(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    await factories.member(
        session, clock, cast.dang_bo, "Hoàng Văn Em", role=Role.COMMITTEE_ADMIN, user_id=900
    )
    await session.commit()
    em = pilot_for(900)
    await em.send("menu")
    await em.press(t.MENU_REVOKE)
    assert em.buttons() == ["1. Chi bộ 1", "2. Chi bộ 2", t.CANCEL]
    await em.send("1")
    await em.press(t.person_button(1, "Trần Thị Thư", cell.ROLE_SECRETARY))
    assert em.text() == plain(t.confirm_revoke("Trần Thị Thư", cell.ROLE_SECRETARY))
    await em.press(t.CONFIRM_REVOKE)
    assert em.text() == plain(t.revoked("Trần Thị Thư", cell.ROLE_SECRETARY))
    assert (await fresh(session, cast.chi_thu)).role is Role.MEMBER
    thu = pilot_for(101)
    await thu.send("menu")
    assert common.MENU_CELL not in thu.buttons()
