"""A secretary's announcement: preview, confirm, delivery through the outbox, the report."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.screens.announce import AnnouncementReport, ConfirmAnnouncement, StartAnnouncement
from bot.texts import announce as t
from bot.texts import common
from db.models import AuditEntry, OutboxMessage
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import PilotFactory, plain

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def copies(server: BotApiServer, chat_id: int) -> list[str]:
    return [
        m["text"]
        for m in server.messages(chat_id)
        if m["from"]["is_bot"] and m.get("text", "").startswith("📣")
    ]


async def test_a_secretary_announces_and_members_get_it_once_as_typed(
    app: App, server: BotApiServer, cast: Cast, pilot_for: PilotFactory, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=HCM))
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_ANNOUNCE)
    await thu.send("  <b>Họp chi bộ</b> lúc 19h30 thứ Năm & mang sổ ghi chép 🙏 ")
    assert "Xem trước — gửi đến 2 đồng chí" in thu.text()
    assert "<b>Họp chi bộ</b> lúc 19h30 thứ Năm & mang sổ ghi chép 🙏" in thu.text()
    await thu.press(t.SEND)
    assert plain(t.queued(2)) in thu.text()
    # "Gửi" pressed twice (the second press from a stale copy): the draft is gone.
    await thu.forge(ConfirmAnnouncement(cast.chi_bo_1.id).pack())
    assert plain(t.draft_gone()) in thu.text()
    await app.tick()
    for chat in (102, 103):
        [copy] = copies(server, chat)
        assert copy.startswith("📣 Thông báo của Chi bộ 1")
        assert "<b>Họp chi bộ</b> lúc 19h30" in copy and copy.endswith("— Trần Thị Thư")
    assert copies(server, 101) == [] and copies(server, 104) == []  # not the author, not chi bộ 2
    await thu.send("menu")  # the tick also brought her Monday's weekly digest
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_REPORT)
    assert "đã đến 2/2" in thu.text()


async def test_quiet_hours_hold_a_copy_and_a_member_who_blocked_the_bot_is_reported(
    app: App, server: BotApiServer, cast: Cast, pilot_for: PilotFactory, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 23, 22, 15, tzinfo=HCM))
    server.faults.block_bot(103)
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_ANNOUNCE)
    await thu.send("Sáng mai 7h họp chi bộ.")
    await thu.press(t.SEND)
    await app.tick()
    assert copies(server, 102) == []  # 22:15 is in An's quiet hours
    await thu.press(t.MENU_REPORT)
    assert "đã đến 0/2, 2 đang chờ gửi" in thu.text()
    clock.set(datetime(2026, 11, 24, 6, 30, tzinfo=HCM))
    await app.tick()
    assert len(copies(server, 102)) == 1
    await thu.press(t.REFRESH)  # edits the report in place, above the lesson pushed since
    [report] = [m["text"] for m in server.messages(101) if "Báo cáo gửi thông báo" in m["text"]]
    assert "đã đến 1/2, 1 đã chặn bot" in report
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_REPORT)
    assert "đã đến 1/2, 1 đã chặn bot" in thu.text()


async def test_overlong_empty_and_non_text_are_asked_again_and_nothing_is_queued(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory, server: BotApiServer, app: App
) -> None:
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_ANNOUNCE)
    await thu.send("Họp " * 2500)
    assert thu.text() == plain(t.too_long(9999, 3500))
    await thu.send("   ")
    await app.handle(await server.user_sends_sticker(101))
    assert thu.text() == plain(t.not_text())
    await thu.send("Nội dung ngắn gọn.")
    assert "Xem trước" in thu.text()
    assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_members_and_other_cells_secretaries_are_refused_and_audited(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory, server: BotApiServer
) -> None:
    an, dung = pilot_for(102), pilot_for(105)
    await an.send("menu")
    await an.forge(StartAnnouncement(cast.chi_bo_1.id).pack())
    await an.forge(AnnouncementReport(cast.chi_bo_1.id).pack())
    await dung.send("menu")
    await dung.forge(ConfirmAnnouncement(cast.chi_bo_1.id).pack())
    await dung.forge(AnnouncementReport(cast.chi_bo_1.id).pack())
    answers = [c.params.get("text", "") for c in server.calls_to("answerCallbackQuery")]
    assert answers[-4:] == [common.not_allowed()] * 4
    refused = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.outcome == "refused")
    )
    assert refused == 4
    assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_an_announcement_of_only_invisible_characters_is_asked_again(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_ANNOUNCE)
    for blank in ("\u200b", "\u3164\u3164", "\u200d\ufeff "):
        await thu.send(blank)
        assert plain(t.empty()) in thu.text()
        assert t.SEND not in thu.buttons()
    await thu.send("Họp chi bộ lúc 19h30")
    assert "Xem trước — gửi đến 2 đồng chí" in thu.text()
    assert await session.scalar(select(func.count(OutboxMessage.id))) == 0
