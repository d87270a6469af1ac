"""The pledge through the bot: a member writes and submits it, the secretary returns and approves
it, forged buttons are refused and audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.screens.pledges import DecidePledge, ReviewPledge
from bot.texts import checkins as ct
from bot.texts import common
from bot.texts import pledges as t
from db.models import AuditEntry, Pledge, PledgeStatus
from tests.conftest import Cast
from tests.pilot import PilotFactory, plain
from tests.services.test_pledges import ACTION, MEASURE

SECOND = ("Không để hồ sơ của dân quá hạn", "Không hồ sơ nào quá hạn trong cả năm")


async def pledge_row(session: AsyncSession, member_id: int) -> Pledge:
    await session.commit()  # a new transaction sees the bot's writes
    found = await session.scalar(
        select(Pledge)
        .where(Pledge.member_id == member_id)
        .execution_options(populate_existing=True)
    )
    assert found is not None
    return found


async def test_a_member_writes_two_items_checks_them_and_submits(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await an.send("menu")
    await an.press(t.MENU_PLEDGE)
    assert an.text() == plain(t.intro(2026))
    await an.press(t.START)
    assert "Việc làm 1" in an.text() and t.EXAMPLE_ACTIONS[0] in an.text()
    await an.send(t.EXAMPLE_ACTIONS[0])  # the example sent back
    assert an.text().startswith(plain(t.problem("example")))
    await an.send("Học bài")
    assert an.text().startswith(plain(t.problem("short")))
    await an.send("x" * 600)
    assert an.text().startswith(plain(t.problem("long", 600)))
    await an.send(ACTION)
    assert "Đo bằng gì?" in an.text() and ACTION in an.text()
    await an.send(MEASURE)
    assert an.buttons() == [t.edit_label(1), t.ADD, t.SUBMIT, t.CANCEL]
    await an.press(t.ADD)
    await an.send(SECOND[0])
    await an.send(SECOND[1])
    assert t.DROP_LAST in an.buttons() and SECOND[1] in an.text()
    await an.press(t.edit_label(1))
    assert f"Hiện ghi: «{ACTION}»" in an.text()
    await an.press(t.KEEP)
    await an.send("Mỗi tháng 2 trang sổ tay")
    await an.press(t.SUBMIT)
    assert plain(t.submitted()) in an.text() and "đang chờ bí thư duyệt" in an.text()
    saved = await pledge_row(session, cast.an.id)
    assert [(i.action, i.measure) for i in saved.items] == [
        (ACTION, "Mỗi tháng 2 trang sổ tay"),
        SECOND,
    ]


async def test_a_half_written_pledge_continues_and_cancel_asks_first(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await an.send("/camket")
    await an.press(t.START)
    await an.send(ACTION)
    await an.send("menu")  # leaves the step; the draft stays
    assert common.MENU_HELP in an.buttons()
    await an.send("cam ket")
    assert "Đo bằng gì?" in an.text()
    await an.press(t.CANCEL)
    assert an.text() == plain(t.confirm_cancel())
    await an.press(t.CANCEL_NO)
    assert "Đo bằng gì?" in an.text()
    await an.press(t.CANCEL)
    await an.press(t.CANCEL_YES)
    assert plain(t.cancelled()) in an.text()
    await an.send("cam ket")
    assert an.text() == plain(t.intro(2026))


async def submit_pledge(an_pilot: object, pilot_for: PilotFactory) -> None:
    an = pilot_for(102)
    await an.send("/camket")
    await an.press(t.START)
    await an.send(ACTION)
    await an.send(MEASURE)
    await an.press(t.SUBMIT)


async def test_the_secretary_returns_with_a_comment_then_approves_the_revision(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    await submit_pledge(None, pilot_for)
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(ct.MENU_CELL_CHECKINS)
    await thu.press(ct.pending_label(1))
    await thu.press("1. Nguyễn Văn An")
    assert ACTION in thu.text() and MEASURE in thu.text()
    await thu.press(t.RETURN)
    await thu.send("Ghi rõ <số buổi> mỗi tuần")
    assert plain(t.decided(False, "Nguyễn Văn An")) in thu.text()

    an = pilot_for(102)
    await an.send("cam ket")
    assert "bí thư trả lại để sửa" in an.text() and "Ghi rõ <số buổi> mỗi tuần" in an.text()
    await an.press(t.AMEND)
    await an.press(t.edit_label(1))
    await an.press(t.KEEP)
    await an.send("Mỗi tuần 2 buổi, mỗi tháng 1 trang sổ tay")
    await an.press(t.SUBMIT)

    await thu.press(t.PENDING)
    await thu.press("1. Nguyễn Văn An")
    await thu.press(t.APPROVE)
    assert plain(t.decided(True, "Nguyễn Văn An")) in thu.text()
    saved = await pledge_row(session, cast.an.id)
    assert (saved.status, saved.version, saved.approved_version) == (PledgeStatus.APPROVED, 2, 2)
    await an.send("cam ket")
    await an.press(t.HISTORY)
    assert "Bản 1 · Trả lại" in an.text() and "Bản 2 · Duyệt" in an.text()
    assert "Trần Thị Thư" in an.text()


async def test_forged_pledge_buttons_are_refused_and_audited(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    await submit_pledge(None, pilot_for)
    saved = await pledge_row(session, cast.an.id)
    binh = pilot_for(103)
    await binh.send("menu")
    await binh.forge(DecidePledge(saved.id, 1, True).pack())  # a member approving
    dung = pilot_for(105)
    await dung.send("menu")
    await dung.forge(ReviewPledge(saved.id).pack())  # another cell's secretary
    an = pilot_for(102)
    await an.forge(DecidePledge(saved.id, 1, True).pack())  # approving one's own
    answers = [a.text for a in an.server.callback_answers()]
    assert answers[-3:] == [common.not_allowed()] * 3
    assert (await pledge_row(session, cast.an.id)).status is PledgeStatus.SUBMITTED
    refused = list(
        await session.scalars(select(AuditEntry.id).where(AuditEntry.outcome == "refused"))
    )
    assert len(refused) == 3
