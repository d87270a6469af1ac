"""The pledge: a member writes, reviews and submits it; the secretary approves or returns it.

The draft is kept by the service in the database; the FSM state only says that a typed text is
awaited (a pledge item, or the secretary's return comment).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import notices
from bot.dispatch.render import show
from bot.errors import Expired, InvalidInput
from bot.screens import pledges as screens
from bot.screens.base import Screen
from bot.screens.menus import OpenPledge, notice
from bot.services import pledge_reviews
from bot.services import pledges as service
from bot.settings import Settings
from bot.textnorm import fold
from bot.texts import checkins as checkin_texts
from bot.texts import pledges as t
from db.models import Member
from handlers.fallback import MENU_WORDS
from handlers.filters import ActionIs, Active

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())
TYPED = frozenset({"cam ket", "ban cam ket", "camket"})
# Free text, but not "menu" or a command: those keep their meaning in the middle of a step.
FREE_TEXT = F.text.func(lambda text: fold(text) not in MENU_WORDS and not text.startswith("/"))


class Typing(StatesGroup):
    item = State()
    return_comment = State()


async def _render(
    event: Message | CallbackQuery,
    result: service.PledgeDraft | service.PledgeView | service.NoPledge,
    state: FSMContext,
    *,
    problem: str = "",
    note: str = "",
) -> None:
    screen: Screen
    if isinstance(result, service.NoPledge):
        screen = screens.intro(result.year)
    elif isinstance(result, service.PledgeView):
        screen = screens.pledge(result, notice=note)
    else:
        screen = screens.draft(result, problem=problem)
    typing = isinstance(result, service.PledgeDraft) and result.step != "review"
    await state.set_state(Typing.item if typing else None)
    await show(event, screen, state)


@router.message(Command("camket"))
@router.message(F.text, F.text.func(lambda text: fold(text) in TYPED))
async def on_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    await _render(message, await service.open_pledge(session, clock, member, settings.tz), state)


@router.callback_query(ActionIs(OpenPledge))
async def on_open(
    query: CallbackQuery,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    result = await service.open_pledge(session, clock, member, settings.tz)
    await query.answer()
    await _render(query, result, state)


@router.callback_query(ActionIs(screens.StartPledge))
async def on_start(
    query: CallbackQuery,
    action: screens.StartPledge,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    result = await service.start_pledge(session, clock, member, settings.tz, action.year)
    await query.answer()
    await _render(query, result, state)


@router.message(StateFilter(Typing.item), F.text, FREE_TEXT)
async def on_item_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    assert message.text is not None
    year = service.current_year(member, clock, settings.tz)
    try:
        result = await service.write(session, clock, member, year, message.text)
    except InvalidInput as error:
        draft = await service.open_pledge(session, clock, member, settings.tz)
        problem = t.problem(error.reason, len(message.text.strip()))
        await _render(message, draft, state, problem=problem)
        return
    await _render(message, result, state)


@router.callback_query(ActionIs(screens.KeepText))
async def on_keep(
    query: CallbackQuery,
    action: screens.KeepText,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    result = await service.write(session, clock, member, action.year, None)
    await query.answer()
    await _render(query, result, state)


@router.callback_query(ActionIs(screens.EditItem))
async def on_edit(
    query: CallbackQuery,
    action: screens.EditItem,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    result = await service.edit_item(session, clock, member, action.year, action.position)
    await query.answer()
    await _render(query, result, state)


@router.callback_query(ActionIs(screens.DropLast))
async def on_drop(
    query: CallbackQuery,
    action: screens.DropLast,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    result = await service.drop_last_item(session, clock, member, action.year)
    await query.answer()
    await _render(query, result, state)


@router.callback_query(ActionIs(screens.SubmitPledge))
async def on_submit(
    query: CallbackQuery,
    action: screens.SubmitPledge,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    result = await service.submit(
        session, clock, member, action.year, settings.tz, notify=notices.pledge_submitted
    )
    await query.answer()
    await _render(query, result, state, note=t.submitted())


@router.callback_query(ActionIs(screens.CancelPledge))
async def on_cancel(
    query: CallbackQuery,
    action: screens.CancelPledge,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    await query.answer()
    if not action.confirmed:
        await state.set_state(None)
        await show(query, screens.confirm_cancel(action.year), state)
        return
    await service.discard(session, member, action.year)
    await state.set_state(None)
    await show(query, notice(t.cancelled()), state)


@router.callback_query(ActionIs(screens.PledgeHistory))
async def on_history(
    query: CallbackQuery,
    action: screens.PledgeHistory,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    found = await pledge_reviews.history(session, member, action.pledge_id)
    back = OpenPledge() if found.own else screens.ReviewPledge(action.pledge_id)
    await query.answer()
    await show(query, screens.history(found.year, list(found.revisions), back), state)


# -- the secretary's review ----------------------------------------------------------------------


@router.callback_query(ActionIs(screens.PendingPledges))
async def on_pending(
    query: CallbackQuery,
    action: screens.PendingPledges,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    cell, views = await pledge_reviews.pending(session, member, action.unit_id)
    await query.answer()
    await state.set_state(None)
    await show(query, screens.pending(action.unit_id, cell, views), state)


@router.callback_query(ActionIs(screens.ReviewPledge))
async def on_review(
    query: CallbackQuery,
    action: screens.ReviewPledge,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    review = await pledge_reviews.for_review(session, member, action.pledge_id)
    await query.answer()
    await show(query, screens.for_secretary(review, review.pledge.unit_id), state)


@router.callback_query(ActionIs(screens.DecidePledge))
async def on_decide(
    query: CallbackQuery,
    action: screens.DecidePledge,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    review = await pledge_reviews.for_review(session, member, action.pledge_id)
    view = review.pledge
    if view.version != action.version:
        await query.answer(t.decision_stale(), show_alert=True)
        return
    await query.answer()
    if not action.approve:
        await state.set_state(Typing.return_comment)
        await state.update_data(pledge_id=view.pledge_id, version=view.version)
        await show(query, screens.ask_return_comment(view.member_name, view.unit_id), state)
        return
    try:
        decided = await pledge_reviews.decide(
            session,
            clock,
            member,
            action.pledge_id,
            action.version,
            approve=True,
            tz=settings.tz,
            notify=notices.pledge_decided,
        )
    except Expired:
        await show(query, notice(t.decision_stale()), state)
        return
    await show(query, screens.decided(True, decided.member_name, decided.unit_id), state)


@router.message(StateFilter(Typing.return_comment), F.text, FREE_TEXT)
async def on_return_comment(
    message: Message,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    assert message.text is not None
    data = await state.get_data()
    pledge_id, version = int(data["pledge_id"]), int(data["version"])
    try:
        decided = await pledge_reviews.decide(
            session,
            clock,
            member,
            pledge_id,
            version,
            approve=False,
            tz=settings.tz,
            comment=message.text,
            notify=notices.pledge_decided,
        )
    except InvalidInput as error:
        await message.answer(checkin_texts.problem(error.reason, len(message.text.strip())))
        return
    except Expired:
        await state.set_state(None)
        await show(message, notice(t.decision_stale()), state)
        return
    await state.set_state(None)
    await show(message, screens.decided(False, decided.member_name, decided.unit_id), state)
