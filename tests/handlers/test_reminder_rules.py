"""A secretary sets the cell's reminders in the bot; others are refused."""

from __future__ import annotations

from datetime import time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from bot.screens.menus import OpenReminders
from bot.screens.reminders import ReminderTime, ToggleReminder
from bot.texts import common
from bot.texts import reminders as t
from db.models import AuditEntry, ReminderRule
from tests.conftest import Cast
from tests.pilot import PilotFactory, plain


async def test_a_secretary_turns_a_reminder_off_and_sets_a_typed_time(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU)
    assert "✅ Nhắc người chưa nộp: 19:30, trước hạn 3 ngày" in thu.text()
    await thu.press(t.toggle_label("meeting_day", True))
    assert "⏸ (đã tắt) Nhắc ngày sinh hoạt chi bộ" in thu.text()
    await thu.press(t.time_label("checkin_nudge"))
    await thu.send("25:00")
    assert thu.text() == plain(t.time_invalid())
    await thu.send("20h15")
    assert "Nhắc người chưa nộp: 20:15" in thu.text()
    await thu.press(t.days_label(5))
    assert "trước hạn 5 ngày" in thu.text()
    rows = {r.kind: r for r in await session.scalars(select(ReminderRule))}
    assert rows["meeting_day"].enabled is False
    assert (rows["checkin_nudge"].at, rows["checkin_nudge"].days_before) == (time(20, 15), 5)


async def test_members_and_other_cells_are_refused(
    session: AsyncSession, cast: Cast, pilot_for: PilotFactory, server: BotApiServer
) -> None:
    an, dung = pilot_for(102), pilot_for(105)
    await an.send("menu")
    await an.forge(OpenReminders(cast.chi_bo_1.id).pack())
    await dung.send("menu")
    await dung.forge(ToggleReminder(cast.chi_bo_1.id, 0).pack())
    await dung.forge(ReminderTime(cast.chi_bo_1.id, 1, 60).pack())
    answers = [c.params.get("text", "") for c in server.calls_to("answerCallbackQuery")]
    assert answers[-3:] == [common.not_allowed()] * 3
    assert await session.scalar(select(func.count()).select_from(ReminderRule)) == 0
    refused = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.outcome == "refused")
    )
    assert refused == 3
