"""The check-in, the member's side: the steps, history and the year-end DOCX; the secretary's
cell view, comments and rules are in handlers.checkin_cell, /xoadulieu in handlers.erase.

The draft lives in the database (the service keeps it); the FSM state only says that a typed
answer is awaited.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dispatch.render import show
from bot.errors import Expired, InvalidInput
from bot.screens import checkins as screens
from bot.screens.base import Screen
from bot.screens.menus import OpenCheckin, notice
from bot.services import checkin_months, checkin_windows, yearend
from bot.services import checkins as service
from bot.services.pledges import NoPledge
from bot.settings import Settings
from bot.textnorm import fold
from bot.texts import checkins as t
from db.models import Member, Rating
from handlers.context import chat_id_of
from handlers.filters import ActionIs, Active
from handlers.pledges import FREE_TEXT

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())
TYPED = frozenset({"tu soi", "tu soi tu sua", "tusoi", "tu kiem diem"})


class Typing(StatesGroup):
    answer = State()  # the secretary's typed texts: handlers.checkin_cell.Typing


Result = (
    service.Ready
    | service.CheckinStep
    | checkin_months.MonthView
    | checkin_windows.NotAsked
    | service.NotOpen
    | NoPledge
)


async def _render(
    event: Message | CallbackQuery, result: Result, state: FSMContext, *, problem: str = ""
) -> None:
    screen: Screen
    typing = False
    if isinstance(result, service.CheckinStep):
        screen = screens.step(result, problem=problem)
        typing = result.step in ("done", "fix", "note")
    elif isinstance(result, service.Ready):
        screen = screens.ready(result)
    elif isinstance(result, checkin_months.MonthView):
        screen = screens.my_month(result)
    elif isinstance(result, checkin_windows.NotAsked):
        screen = screens.not_asked(result)
    elif isinstance(result, service.NotOpen):
        screen = screens.not_open(result)
    else:
        screen = screens.no_pledge(result.year)
    await state.set_state(Typing.answer if typing else None)
    await show(event, screen, state)


async def _stale(query: CallbackQuery) -> None:
    await query.answer(t.stale(), show_alert=True)


@router.message(Command("tusoi"))
@router.message(F.text, F.text.func(lambda text: fold(text) in TYPED))
async def on_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    await _render(message, await service.open_checkin(session, clock, member, settings.tz), state)


@router.callback_query(ActionIs(OpenCheckin))
async def on_open(
    query: CallbackQuery,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    result = await service.open_checkin(session, clock, member, settings.tz)
    await query.answer()
    await _render(query, result, state)


@router.callback_query(ActionIs(screens.StartCheckin))
async def on_start(
    query: CallbackQuery,
    action: screens.StartCheckin,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    month = checkin_windows.from_code(action.month)
    try:
        result = await service.start(session, clock, member, settings.tz, month)
    except Expired:
        await _stale(query)
        return
    await query.answer()
    await _render(query, result, state)


@router.callback_query(ActionIs(screens.Rate))
async def on_rating(
    query: CallbackQuery,
    action: screens.Rate,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    month, rating = checkin_windows.from_code(action.month), Rating(action.rating)
    try:
        result = await service.rate(
            session, clock, member, settings.tz, month, action.position, rating
        )
    except Expired:
        await _stale(query)
        return
    await query.answer()
    await _render(query, result, state)


@router.message(StateFilter(Typing.answer), F.text, FREE_TEXT)
async def on_answer_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    assert message.text is not None
    try:
        result = await service.write(session, clock, member, settings.tz, message.text)
    except InvalidInput as error:
        current = await service.open_checkin(session, clock, member, settings.tz)
        problem = t.problem(error.reason, len(message.text.strip()))
        await _render(message, current, state, problem=problem)
        return
    await _render(message, result, state)


@router.callback_query(ActionIs(screens.SkipText))
async def on_skip(
    query: CallbackQuery,
    action: screens.SkipText,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    month = checkin_windows.from_code(action.month)
    try:
        result = await service.write(
            session, clock, member, settings.tz, None, keep=action.keep, month=month
        )
    except Expired:
        await _stale(query)
        return
    await query.answer()
    await _render(query, result, state)


@router.callback_query(ActionIs(screens.ChooseItem))
async def on_choose_item(
    query: CallbackQuery,
    action: screens.ChooseItem,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    current = await service.open_checkin(session, clock, member, settings.tz)
    if not isinstance(current, service.CheckinStep) or current.month != checkin_windows.from_code(
        action.month
    ):
        await _stale(query)
        return
    await query.answer()
    await state.set_state(None)
    await show(query, screens.choose_item(current), state)


@router.callback_query(ActionIs(screens.EditAnswer))
async def on_edit(
    query: CallbackQuery,
    action: screens.EditAnswer,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    month = checkin_windows.from_code(action.month)
    try:
        result = await service.edit(session, clock, member, settings.tz, month, action.position)
    except Expired:
        await _stale(query)
        return
    await query.answer()
    await _render(query, result, state)


@router.callback_query(ActionIs(screens.SubmitCheckin))
async def on_submit(
    query: CallbackQuery,
    action: screens.SubmitCheckin,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    month = checkin_windows.from_code(action.month)
    try:
        done = await service.submit(session, clock, member, settings.tz, month)
    except Expired as error:
        if error.kind == "deadline":
            await query.answer()
            await state.set_state(None)
            await show(query, notice(t.after_deadline(month)), state)
        else:
            await _stale(query)
        return
    await query.answer()
    await state.set_state(None)
    await show(query, screens.my_month(done, notice=t.submitted(month, done.late)), state)


@router.callback_query(ActionIs(screens.CancelCheckin))
async def on_cancel(
    query: CallbackQuery,
    action: screens.CancelCheckin,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    month = checkin_windows.from_code(action.month)
    current = await service.open_checkin(session, clock, member, settings.tz)
    if not isinstance(current, service.CheckinStep) or current.month != month:
        await _stale(query)
        return
    await query.answer()
    await state.set_state(None)
    if not action.confirmed:
        await show(query, screens.confirm_cancel(current), state)
        return
    await service.discard(session, clock, member, settings.tz, month)
    await show(query, notice(t.cancelled()), state)


@router.callback_query(ActionIs(screens.MyHistory))
async def on_history(
    query: CallbackQuery,
    action: screens.MyHistory,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    months = await checkin_months.my_months(session, member, action.year)
    await query.answer()
    await state.set_state(None)
    await show(query, screens.history(action.year, months), state)


@router.callback_query(ActionIs(screens.ViewCheckin))
async def on_view(
    query: CallbackQuery,
    action: screens.ViewCheckin,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    found = await checkin_months.view(session, clock, member, settings.tz, action.checkin_id)
    await query.answer()
    screen = screens.my_month(found) if found.mine else screens.for_secretary(found, found.unit_id)
    await show(query, screen, state)


@router.callback_query(ActionIs(screens.YearDocx))
async def on_year_docx(
    query: CallbackQuery,
    action: screens.YearDocx,
    session: AsyncSession,
    member: Member,
    bot: Bot,
    state: FSMContext,
) -> None:
    summary = await yearend.year_summary(session, member, action.year)
    if summary.empty:
        await query.answer(t.docx_nothing(action.year), show_alert=True)
        return
    await query.answer()
    document = BufferedInputFile(yearend.build_docx(summary), filename=yearend.filename(summary))
    await bot.send_document(chat_id_of(query), document, caption=t.docx_sent(action.year))
