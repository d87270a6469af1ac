"""The check-in, the secretary's side: the cell's month, comments on a check-in, and the cell's
rules (meeting and opening days, skipped months, exemptions). The FSM state says which typed
text is awaited, with the ids the steps need.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import notices
from bot.dispatch.render import show
from bot.errors import InvalidInput, NotAllowed
from bot.screens import checkins as screens
from bot.services import checkin_cell, checkin_months, checkin_rules, checkin_windows
from bot.settings import Settings
from bot.texts import checkins as t
from db.models import Member
from handlers.filters import ActionIs, Active
from handlers.pledges import FREE_TEXT

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())


class Typing(StatesGroup):
    # Named as the member's group in handlers.checkins was before the split, so the stored state
    # strings ("Typing:comment") stay as they were.
    comment = State()
    day = State()
    reason = State()


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
    rules = await checkin_rules.cell_rules(session, clock, member, unit_id, settings.tz)
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
    month = checkin_windows.from_code(action.month)
    view = await checkin_cell.cell_month(
        session, clock, member, action.unit_id, month, settings.tz
    )
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
    found = await checkin_months.view(session, clock, member, settings.tz, action.checkin_id)
    if found.mine:
        await query.answer(t.stale(), show_alert=True)  # one's own has no comment button
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
        found = await checkin_cell.comment(
            session,
            clock,
            member,
            checkin_id,
            message.text,
            settings.tz,
            notify=notices.checkin_commented,
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
    await checkin_rules.cell_rules(session, clock, member, action.unit_id, settings.tz)  # rights
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
        day = checkin_rules.parse_day(message.text)
        which = {"meeting_day": day} if kind == "meeting" else {"open_day": day}
        rules = await checkin_rules.set_days(session, clock, member, unit_id, **which)
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
    month = checkin_windows.from_code(action.month)
    skipped = await checkin_rules.toggle_skip(
        session, clock, member, action.unit_id, month, settings.tz
    )
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
    rules = await checkin_rules.cell_rules(session, clock, member, action.unit_id, settings.tz)
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
    people = await checkin_rules.candidates(session, member, action.unit_id)
    await query.answer()
    if action.member_id == 0:
        await show(query, screens.choose_member(action.unit_id, people), state)
        return
    chosen = next((p for p in people if p.member_id == action.member_id), None)
    if chosen is None:
        raise NotAllowed("not a member of this cell")
    months = checkin_rules.EXEMPT_MONTHS
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
    people = await checkin_rules.candidates(session, member, action.unit_id)
    chosen = next((p for p in people if p.member_id == action.member_id), None)
    if chosen is None or action.months not in checkin_rules.EXEMPT_MONTHS:
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
        made = await checkin_rules.exempt(
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
    unit_id = await checkin_rules.end_exemption(session, clock, member, action.exemption_id)
    rules = await checkin_rules.cell_rules(session, clock, member, unit_id, settings.tz)
    await query.answer()
    await show(query, screens.exemptions(unit_id, rules.exemptions), state)
