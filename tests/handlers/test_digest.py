"""Digests in the bot: on demand, Excel, chart, the nudge, the weekly setting, and refusals."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.screens import digest as screens
from bot.screens.menus import OpenDigest, OpenRollup
from bot.texts import common
from bot.texts import digest as t
from db.models import AuditEntry, DigestSettings, OutboxMessage, Role
from tests import digest_seed, factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import PilotFactory


async def test_a_secretary_gets_the_digest_chart_excel_and_nudges_the_missing_once(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    pilot_for: PilotFactory,
    server: BotApiServer,
) -> None:
    await digest_seed.seed(session, clock, cast)
    clock.set(digest_seed.DIGEST_DAY)
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_CELL)
    assert "Báo cáo chi bộ: Chi bộ 1" in thu.text()
    assert "Sắp xếp thời gian đọc sách" in thu.text()
    photo = next(m for m in thu.bot_messages() if "photo" in m)
    assert "6 tháng" in photo["caption"] and len(server.calls_to("sendPhoto")) == 1
    await thu.press(t.EXCEL)
    message = thu.bot_messages()[-1]
    stored = server.world.files[message["document"]["file_id"]]
    assert stored.filename == "bao-cao-2026-11.xlsx"
    book = load_workbook(io.BytesIO(stored.data))
    assert book["Tự soi"]["B4"].value == "Nguyễn Văn An"
    await thu.press(t.NUDGE)
    await thu.press(t.NUDGE)
    answers = [c.params.get("text", "") for c in server.calls_to("answerCallbackQuery")]
    assert answers[-2:] == [t.nudges_sent(1), t.nudges_none()]
    keys = list(await session.scalars(select(OutboxMessage.key)))
    assert keys == [f"digest-nudge:{cast.binh.id}:2026-11"]  # Giang blocked the bot


async def test_the_weekly_digest_can_be_turned_off_and_moved(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.forge(screens.WeeklySettings(cast.chi_bo_1.id).pack())
    assert "đang bật" in thu.text()
    await thu.press(t.WEEKLY_OFF)
    assert "đang tắt" in thu.text()
    await thu.press(t.weekday_label(4, False))
    row = await session.get(DigestSettings, cast.chi_bo_1.id)
    assert row is not None and (row.weekly, row.weekday) == (False, 4)


async def test_other_cells_members_and_forged_buttons_are_refused(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    pilot_for: PilotFactory,
    server: BotApiServer,
) -> None:
    await digest_seed.seed(session, clock, cast)
    await factories.member(
        session, clock, cast.dang_bo, "Hoàng Văn Em", role=Role.COMMITTEE_ADMIN, user_id=900
    )
    clock.set(digest_seed.DIGEST_DAY)
    an, dung, em = pilot_for(102), pilot_for(105), pilot_for(900)
    for pilot in (an, dung, em):
        await pilot.send("menu")
    cell = cast.chi_bo_1.id
    await an.forge(OpenDigest(cell).pack())
    await dung.forge(OpenDigest(cell).pack())
    await dung.forge(screens.DigestExcel(cell).pack())
    await dung.forge(screens.DigestNudge(cell, 202611).pack())
    await dung.forge(screens.SetWeekly(cell, False).pack())
    await em.forge(OpenDigest(cell).pack())  # a committee sees numbers, never the cell's words
    await dung.forge(OpenRollup(cast.dang_bo.id).pack())
    answers = [c.params.get("text", "") for c in server.calls_to("answerCallbackQuery")]
    assert answers[-7:] == [common.not_allowed()] * 7
    await dung.forge("v1|dgn|abc|x")
    assert server.calls_to("answerCallbackQuery")[-1].params.get("text") == common.button_expired()
    assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    refused = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.outcome == "refused")
    )
    assert refused == 8  # the seven presses and the forged button
    assert not any("Sắp xếp" in m.get("text", "") for m in server.messages(105))


async def test_a_committee_admin_gets_the_rollup_and_its_excel(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    pilot_for: PilotFactory,
    server: BotApiServer,
) -> None:
    await digest_seed.seed(session, clock, cast)
    await factories.member(
        session, clock, cast.dang_bo, "Hoàng Văn Em", role=Role.COMMITTEE_ADMIN, user_id=900
    )
    clock.set(digest_seed.DIGEST_DAY)
    em = pilot_for(900)
    await em.send("menu")
    await em.press(t.MENU_COMMITTEE)
    assert "Báo cáo đảng bộ: Đảng bộ phường 1" in em.text()
    assert digest_seed.FIX not in em.text()
    await em.press(t.EXCEL)
    message = em.bot_messages()[-1]
    book = load_workbook(io.BytesIO(server.world.files[message["document"]["file_id"]].data))
    assert [row[1].value for row in book["Tự soi"].iter_rows(min_row=3)] == [
        "Chi bộ 2",
        "Chi bộ 1",
    ]


async def test_the_scheduled_digest_brings_its_chart_drawn_when_sent(
    app: App, session: AsyncSession, clock: FakeClock, cast: Cast, server: BotApiServer
) -> None:
    await digest_seed.seed(session, clock, cast)
    clock.set(digest_seed.DIGEST_DAY)

    await app.tick()

    sent = [m for m in server.messages(101) if m["from"]["is_bot"]]  # with the day's others
    [chart] = [n for n, m in enumerate(sent) if "photo" in m]
    [text] = [n for n, m in enumerate(sent) if "Báo cáo chi bộ: Chi bộ 1" in m.get("text", "")]
    assert text < chart and "6 tháng" in sent[chart]["caption"]
    stored = server.world.files[sent[chart]["photo"][-1]["file_id"]]
    assert stored.data.startswith(b"\x89PNG\r\n\x1a\n") and len(stored.data) > 10_000
