"""A unit's reminder rules, set by its secretary or committee admin; rights checked in services."""

from __future__ import annotations

from datetime import time

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dispatch.render import show
from bot.errors import InvalidInput
from bot.screens import reminders as screens
from bot.screens.base import Screen
from bot.screens.menus import OpenReminders
from bot.services import access, checkin_windows, reminders
from bot.services.onboarding import parse_time
from bot.settings import Settings
from bot.texts import reminders as t
from db.models import Member, Unit
from handlers.filters import ActionIs, Active

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())
EDITING = "reminder"  # conversation data: {"unit_id": …, "kind": …} while a time is typed


class Typing(StatesGroup):
    at = State()


async def overview(
    session: AsyncSession, member: Member, unit_id: int, notice: str = ""
) -> Screen:
    await access.require_manager(session, member, unit_id)
    rules = await reminders.effective(session, unit_id)
    chain = await access.ancestors(session, unit_id)
    names = dict(
        (await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(chain)))).all()
    )
    return screens.overview(unit_id, names[unit_id], rules, names, notice)


@router.callback_query(ActionIs(OpenReminders))
async def on_open(
    query: CallbackQuery,
    action: OpenReminders,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    screen = await overview(session, member, action.unit_id)
    await query.answer()
    await state.set_state(None)
    await show(query, screen, state)


@router.callback_query(ActionIs(screens.ToggleReminder))
async def on_toggle(
    query: CallbackQuery,
    action: screens.ToggleReminder,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    kind = _kind(action.kind)
    current = (await reminders.effective(session, action.unit_id))[kind]
    await reminders.change(
        session, clock, member, action.unit_id, kind, enabled=not current.enabled
    )
    screen = await overview(session, member, action.unit_id, t.changed(kind))
    await query.answer()
    await show(query, screen, state)


@router.callback_query(ActionIs(screens.ReminderTime))
async def on_time(
    query: CallbackQuery,
    action: screens.ReminderTime,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    kind = _kind(action.kind)
    if action.minutes == -1:
        await access.require_manager(session, member, action.unit_id)
        await query.answer()
        await state.set_state(Typing.at)
        await state.update_data({EDITING: {"unit_id": action.unit_id, "kind": action.kind}})
        await show(query, screens.ask_time(action.unit_id, action.kind), state)
        return
    if not 0 <= action.minutes < 24 * 60:
        raise InvalidInput("forged minutes")
    at = time(action.minutes // 60, action.minutes % 60)
    await reminders.change(session, clock, member, action.unit_id, kind, at=at)
    screen = await overview(session, member, action.unit_id, t.changed(kind))
    await query.answer()
    await state.set_state(None)
    await show(query, screen, state)


@router.message(StateFilter(Typing.at), F.text)
async def on_time_typed(
    message: Message, session: AsyncSession, member: Member, clock: Clock, state: FSMContext
) -> None:
    assert message.text is not None
    editing = (await state.get_data()).get(EDITING) or {}
    unit_id, number = int(editing.get("unit_id", 0)), int(editing.get("kind", 0))
    try:
        at = parse_time(message.text)
    except InvalidInput:
        await show(message, screens.ask_time(unit_id, number, t.time_invalid()), state)
        return
    kind = _kind(number)
    await reminders.change(session, clock, member, unit_id, kind, at=at)
    await state.set_state(None)
    await show(message, await overview(session, member, unit_id, t.changed(kind)), state)


@router.callback_query(ActionIs(screens.ReminderDays))
async def on_days(
    query: CallbackQuery,
    action: screens.ReminderDays,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    kind = reminders.CHECKIN_NUDGE
    await reminders.change(session, clock, member, action.unit_id, kind, days_before=action.days)
    screen = await overview(session, member, action.unit_id, t.changed(kind))
    await query.answer()
    await show(query, screen, state)


@router.callback_query(ActionIs(screens.WhoWasNudged))
async def on_who(
    query: CallbackQuery,
    action: screens.WhoWasNudged,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    await access.require_manager(session, member, action.unit_id)
    rules = await checkin_windows.rules_of(session, action.unit_id)
    month = checkin_windows.current_month(clock.now().astimezone(settings.tz).date(), rules)
    rows = await reminders.nudged(session, member, action.unit_id, month)
    await query.answer()
    await show(query, screens.nudged(action.unit_id, month, rows), state)


def _kind(number: int) -> str:
    if not 0 <= number < len(reminders.KINDS):
        raise InvalidInput("forged reminder kind")
    return reminders.KINDS[number]
