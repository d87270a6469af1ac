"""Digests on demand: the secretary's «Báo cáo chi bộ», the committee's «Báo cáo đảng bộ»,
their Excel and chart, the nudge to the missing, the weekly digest's setting. Every press is
checked again in the services (a cell's own secretary; a committee's admin)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import digest_jobs
from bot.dispatch.render import show
from bot.screens import digest as screens
from bot.screens import menus
from bot.services import (
    checkin_windows,
    digest,
    digest_chart,
    digest_excel,
    digest_rollup,
    digest_settings,
)
from bot.settings import Settings
from bot.texts import digest as t
from db.models import Member
from handlers.context import chat_id_of
from handlers.filters import ActionIs, Active

router = Router(name=__name__)
router.callback_query.filter(Active())


@router.callback_query(ActionIs(menus.OpenDigest))
async def on_digest(
    query: CallbackQuery,
    action: menus.OpenDigest,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    state: FSMContext,
) -> None:
    cell = await digest.cell_digest(session, clock, settings.tz, member, action.unit_id)
    await query.answer()
    if cell.members:
        chart = digest_chart.history_chart(cell.unit_name, cell.history)
        photo = BufferedInputFile(chart, filename="bieu-do.png")
        await bot.send_photo(chat_id_of(query), photo, caption=t.chart_caption(cell.unit_name))
    for part in screens.cell_digest(cell, settings.tz):
        await show(query, part, state, edit=False)


@router.callback_query(ActionIs(screens.DigestChart))
async def on_chart(
    query: CallbackQuery,
    action: screens.DigestChart,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    bot: Bot,
) -> None:
    cell = await digest.cell_digest(session, clock, settings.tz, member, action.unit_id)
    await query.answer()
    photo = BufferedInputFile(
        digest_chart.history_chart(cell.unit_name, cell.history), filename="bieu-do.png"
    )
    await bot.send_photo(chat_id_of(query), photo, caption=t.chart_caption(cell.unit_name))


@router.callback_query(ActionIs(screens.DigestExcel))
async def on_excel(
    query: CallbackQuery,
    action: screens.DigestExcel,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    bot: Bot,
) -> None:
    cell = await digest.cell_digest(session, clock, settings.tz, member, action.unit_id)
    await query.answer()
    document = BufferedInputFile(digest_excel.cell_workbook(cell), t.excel_name(cell.month))
    await bot.send_document(chat_id_of(query), document, caption=t.excel_sent(cell.unit_name))


@router.callback_query(ActionIs(screens.DigestNudge))
async def on_nudge(
    query: CallbackQuery,
    action: screens.DigestNudge,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
) -> None:
    month = checkin_windows.from_code(action.month)
    added = await digest_jobs.nudge_missing(
        session, clock, settings.tz, member, action.unit_id, month
    )
    await query.answer(t.nudges_sent(added) if added else t.nudges_none(), show_alert=True)


@router.callback_query(ActionIs(menus.OpenRollup))
async def on_rollup(
    query: CallbackQuery,
    action: menus.OpenRollup,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    rollup = await digest_rollup.committee_rollup(
        session, clock, settings.tz, member, action.unit_id
    )
    await query.answer()
    for part in screens.rollup(rollup):
        await show(query, part, state, edit=False)


@router.callback_query(ActionIs(screens.RollupExcel))
async def on_rollup_excel(
    query: CallbackQuery,
    action: screens.RollupExcel,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    bot: Bot,
) -> None:
    rollup = await digest_rollup.committee_rollup(
        session, clock, settings.tz, member, action.unit_id
    )
    await query.answer()
    month = max((row.month for row in rollup.rows), default=str(rollup.today)[:7])
    document = BufferedInputFile(digest_excel.rollup_workbook(rollup), t.excel_name(month))
    await bot.send_document(chat_id_of(query), document, caption=t.excel_sent(rollup.unit_name))


@router.callback_query(ActionIs(screens.WeeklySettings))
async def on_weekly(
    query: CallbackQuery,
    action: screens.WeeklySettings,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    weekly = await digest_settings.weekly_of(session, member, action.unit_id)
    await query.answer()
    await show(query, screens.weekly_settings(weekly.unit_id, weekly.on, weekly.weekday), state)


@router.callback_query(ActionIs(screens.SetWeekly))
@router.callback_query(ActionIs(screens.SetWeekday))
async def on_set_weekly(
    query: CallbackQuery,
    action: screens.SetWeekly | screens.SetWeekday,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    if isinstance(action, screens.SetWeekly):
        weekly = await digest_settings.set_weekly(
            session, clock, member, action.unit_id, on=action.on
        )
    else:
        weekly = await digest_settings.set_weekly(
            session, clock, member, action.unit_id, weekday=action.weekday
        )
    await query.answer()
    await show(query, screens.weekly_settings(weekly.unit_id, weekly.on, weekly.weekday), state)
