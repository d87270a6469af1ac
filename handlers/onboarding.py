"""The joining steps after the invite: name, lesson time, privacy notice."""

from __future__ import annotations

from datetime import time

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dispatch.render import show
from bot.errors import InvalidInput
from bot.screens import onboarding as screens
from bot.screens.base import Screen
from bot.services import onboarding as service
from bot.services import quiet
from bot.services.onboarding import Step
from bot.services.quiet import quiet_of
from bot.texts import common
from db.models import Member
from handlers.context import main_menu
from handlers.filters import ActionIs, Joining

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Joining())
router.callback_query.filter(Joining())


@router.callback_query(ActionIs(screens.NameChoice))
async def on_name_choice(
    query: CallbackQuery,
    action: screens.NameChoice,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    await query.answer()
    if action.choice == "edit":
        await show(query, screens.ask_name(), state)
        return
    progress = await service.confirm_name(session, member, None)
    await show(query, screens.step_screen(progress), state)


@router.callback_query(ActionIs(screens.PickTime))
async def on_time_picked(
    query: CallbackQuery,
    action: screens.PickTime,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    await query.answer()
    if action.minutes == -1:
        await show(query, screens.ask_custom_time(), state)
        return
    if not 0 <= action.minutes < 24 * 60:
        await query.answer(common.button_expired(), show_alert=True)
        return
    value = time(action.minutes // 60, action.minutes % 60)
    progress = await service.set_lesson_time(session, member, value)
    await show(query, screens.step_screen(progress), state)


@router.callback_query(ActionIs(screens.Consent))
async def on_consent(
    query: CallbackQuery,
    action: screens.Consent,
    session: AsyncSession,
    clock: Clock,
    member: Member,
    state: FSMContext,
) -> None:
    await query.answer()
    if not action.agree:
        await show(query, screens.declined(), state)
        return
    progress = await service.give_consent(session, clock, member)
    if progress.step is not Step.DONE:
        await show(query, screens.step_screen(progress), state)
        return
    await show(query, Screen(screens.joined(progress)), edit=True)
    await show(query, main_menu(member), state, edit=False)


@router.message(F.text)
async def on_text(
    message: Message, session: AsyncSession, member: Member, state: FSMContext
) -> None:
    assert message.text is not None
    step = service.progress(member).step
    try:
        if step is Step.NAME:
            progress = await service.confirm_name(session, member, message.text)
        elif step is Step.TIME:
            progress = await service.set_lesson_time(
                session, member, service.parse_time(message.text)
            )
        else:
            progress = service.progress(member)
    except InvalidInput as error:
        if step is Step.NAME:
            invalid = screens.ask_name(invalid=True)
        elif error.reason == quiet.INSIDE:
            invalid = screens.ask_custom_time(quiet=quiet_of(member))
        else:
            invalid = screens.ask_custom_time(invalid=True)
        await show(message, invalid, state)
        return
    await show(message, screens.step_screen(progress), state)


@router.message()
async def on_not_text(message: Message, member: Member, state: FSMContext) -> None:
    await message.answer(common.text_expected())
    await show(message, screens.step_screen(service.progress(member)), state)
