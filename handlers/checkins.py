"""The check-in: the member's steps, history, year-end DOCX and /xoadulieu; the secretary's
cell view, comments and rules.

Over 400 lines on purpose: every handler here is a thin translation of one button or typed
text, and the feature's router is one module (handlers/__init__.py lists each router once).
The draft lives in the database (the service keeps it); the FSM state only says which typed
text is awaited, with the ids the secretary's steps need.
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
from bot.errors import Expired, InvalidInput, NotAllowed
from bot.screens import checkins as screens
from bot.screens.base import Screen
from bot.screens.menus import OpenCheckin, notice
from bot.services import checkins as service
from bot.services import yearend
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
TYPED_ERASE = frozenset({"xoa du lieu", "xoa du lieu cua toi"})


class Typing(StatesGroup):
    answer = State()
    comment = State()
    day = State()
    reason = State()


Result = (
    service.Ready
    | service.CheckinStep
    | service.MonthView
    | service.NotAsked
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
    elif isinstance(result, service.MonthView):
        screen = screens.my_month(result)
    elif isinstance(result, service.NotAsked):
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
    month = service.from_code(action.month)
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
    month, rating = service.from_code(action.month), Rating(action.rating)
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
    month = service.from_code(action.month)
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
    if not isinstance(current, service.CheckinStep) or current.month != service.from_code(
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
    month = service.from_code(action.month)
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
    month = service.from_code(action.month)
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
    month = service.from_code(action.month)
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
    months = await service.my_months(session, member, action.year)
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
    found = await service.view(session, clock, member, settings.tz, action.checkin_id)
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


@router.message(Command("xoadulieu"))
@router.message(F.text, F.text.func(lambda text: fold(text) in TYPED_ERASE))
async def on_erase_asked(message: Message, state: FSMContext) -> None:
    await state.set_state(None)
    await show(message, screens.confirm_erase(), state)


@router.callback_query(ActionIs(screens.EraseData))
async def on_erase(
    query: CallbackQuery,
    action: screens.EraseData,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    await query.answer()
    if not action.confirmed:
        await show(query, notice(t.erase_kept()), state)
        return
    await service.erase_my_data(session, clock, member)
    await state.set_state(None)
    await show(query, notice(t.erased()), state)


# -- the secretary's ----------------------------------------------------------------------------


async def _rules(
    event: Message | CallbackQuery,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
    unit_id: int,
    note: str = "",
) -> None:
    rules = await service.cell_rules(session, clock, member, unit_id, settings.tz)
    await state.set_state(None)
    await show(event, screens.cell_rules(rules, notice=note), state)


@router.callback_query(ActionIs(screens.CellCheckins))
async def on_cell(
    query: CallbackQuery,
    action: screens.CellCheckins,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    await _rules(query, session, member, clock, settings, state, action.unit_id)
    await query.answer()


@router.callback_query(ActionIs(screens.CellMonthView))
async def on_cell_month(
    query: CallbackQuery,
    action: screens.CellMonthView,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    month = service.from_code(action.month)
    view = await service.cell_month(session, clock, member, action.unit_id, month, settings.tz)
    await query.answer()
    await state.set_state(None)
    await show(query, screens.cell_month(view), state)


@router.callback_query(ActionIs(screens.CommentCheckin))
async def on_comment_asked(
    query: CallbackQuery,
    action: screens.CommentCheckin,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    found = await service.view(session, clock, member, settings.tz, action.checkin_id)
    if found.mine:
        await _stale(query)  # one's own check-in has no comment button
        return
    await query.answer()
    await state.set_state(Typing.comment)
    await state.update_data(checkin_id=found.checkin_id)
    await show(query, screens.ask_comment(found, found.unit_id), state)


@router.message(StateFilter(Typing.comment), F.text, FREE_TEXT)
async def on_comment_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    assert message.text is not None
    checkin_id = int((await state.get_data())["checkin_id"])
    try:
        found = await service.comment(
            session, clock, member, checkin_id, message.text, settings.tz
        )
    except InvalidInput as error:
        await message.answer(t.problem(error.reason, len(message.text.strip())))
        return
    await state.set_state(None)
    await show(message, screens.for_secretary(found, found.unit_id, notice=t.commented()), state)


@router.callback_query(ActionIs(screens.AskDay))
async def on_day_asked(
    query: CallbackQuery,
    action: screens.AskDay,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    await service.cell_rules(session, clock, member, action.unit_id, settings.tz)  # rights
    await query.answer()
    await state.set_state(Typing.day)
    await state.update_data(unit_id=action.unit_id, kind=action.kind)
    await show(query, screens.ask_day(action.unit_id, action.kind), state)


@router.message(StateFilter(Typing.day), F.text, FREE_TEXT)
async def on_day_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    assert message.text is not None
    data = await state.get_data()
    unit_id, kind = int(data["unit_id"]), str(data["kind"])
    try:
        day = service.parse_day(message.text)
        which = {"meeting_day": day} if kind == "meeting" else {"open_day": day}
        rules = await service.set_days(session, clock, member, unit_id, **which)
    except InvalidInput as error:
        problem = t.day_problem(error.reason, kind)
        await show(message, screens.ask_day(unit_id, kind, problem=problem), state)
        return
    note = t.days_set(rules.open_day, rules.meeting_day)
    await _rules(message, session, member, clock, settings, state, unit_id, note)


@router.callback_query(ActionIs(screens.ToggleSkip))
async def on_skip_month(
    query: CallbackQuery,
    action: screens.ToggleSkip,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    month = service.from_code(action.month)
    skipped = await service.toggle_skip(session, clock, member, action.unit_id, month, settings.tz)
    await query.answer()
    note = t.skip_set(month, skipped)
    await _rules(query, session, member, clock, settings, state, action.unit_id, note)


@router.callback_query(ActionIs(screens.Exemptions))
async def on_exemptions(
    query: CallbackQuery,
    action: screens.Exemptions,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    rules = await service.cell_rules(session, clock, member, action.unit_id, settings.tz)
    await query.answer()
    await state.set_state(None)
    await show(query, screens.exemptions(action.unit_id, rules.exemptions), state)


@router.callback_query(ActionIs(screens.ExemptPick))
async def on_exempt_pick(
    query: CallbackQuery,
    action: screens.ExemptPick,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    people = await service.candidates(session, member, action.unit_id)
    await query.answer()
    if action.member_id == 0:
        await show(query, screens.choose_member(action.unit_id, people), state)
        return
    chosen = next((p for p in people if p.member_id == action.member_id), None)
    if chosen is None:
        raise NotAllowed("not a member of this cell")
    months = service.EXEMPT_MONTHS
    screen = screens.choose_months(action.unit_id, chosen.member_id, chosen.name, months)
    await show(query, screen, state)


@router.callback_query(ActionIs(screens.ExemptFor))
async def on_exempt_for(
    query: CallbackQuery,
    action: screens.ExemptFor,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    people = await service.candidates(session, member, action.unit_id)
    chosen = next((p for p in people if p.member_id == action.member_id), None)
    if chosen is None or action.months not in service.EXEMPT_MONTHS:
        raise NotAllowed("not a member of this cell, or a forged period")
    await query.answer()
    await state.set_state(Typing.reason)
    await state.update_data(
        unit_id=action.unit_id, member_id=chosen.member_id, months=action.months
    )
    await show(query, screens.ask_reason(action.unit_id, chosen.name), state)


@router.message(StateFilter(Typing.reason), F.text, FREE_TEXT)
async def on_reason_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    assert message.text is not None
    data = await state.get_data()
    unit_id = int(data["unit_id"])
    try:
        made = await service.exempt(
            session,
            clock,
            member,
            unit_id,
            int(data["member_id"]),
            int(data["months"]),
            message.text,
            settings.tz,
        )
    except InvalidInput as error:
        await message.answer(t.problem(error.reason, len(message.text.strip())))
        return
    note = t.exempted(made.member_name, made.from_month, made.to_month)
    await _rules(message, session, member, clock, settings, state, unit_id, note)


@router.callback_query(ActionIs(screens.EndExemption))
async def on_end_exemption(
    query: CallbackQuery,
    action: screens.EndExemption,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    unit_id = await service.end_exemption(session, clock, member, action.exemption_id)
    rules = await service.cell_rules(session, clock, member, unit_id, settings.tz)
    await query.answer()
    await show(query, screens.exemptions(unit_id, rules.exemptions), state)
