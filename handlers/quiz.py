"""Solo practice: the practice page, rounds, answers, passages and the round's result."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.clock import Clock
from bot.dispatch.render import show
from bot.quizbank import QuizBanks
from bot.screens import quiz as screens
from bot.screens.base import Screen
from bot.screens.menus import OpenQuiz
from bot.services import quiz as service
from bot.services.preferences import zone_of
from bot.settings import Settings
from bot.texts import quiz as t
from db.models import Member
from handlers.filters import ActionIs, Active, Typed

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())
TYPED = frozenset({"on tap", "quiz", "cau hoi on tap", "trac nghiem"})


@router.message(Command("quiz", "ontap"))
@router.message(Typed(TYPED))
async def on_typed(
    message: Message,
    session: AsyncSession,
    clock: Clock,
    catalog: Catalog,
    banks: QuizBanks,
    member: Member,
    state: FSMContext,
) -> None:
    await state.set_state(None)
    view = await service.home(session, clock, catalog, banks, member)
    await show(message, screens.home(view), state)


@router.callback_query(ActionIs(OpenQuiz))
async def on_open(
    query: CallbackQuery,
    session: AsyncSession,
    clock: Clock,
    catalog: Catalog,
    banks: QuizBanks,
    member: Member,
    state: FSMContext,
) -> None:
    await query.answer()
    view = await service.home(session, clock, catalog, banks, member)
    await show(query, screens.home(view), state)


@router.callback_query(ActionIs(screens.ChooseBank))
async def on_choose_bank(query: CallbackQuery, banks: QuizBanks, state: FSMContext) -> None:
    await query.answer()
    await show(query, screens.banks(service.bank_choices(banks)), state)


@router.callback_query(ActionIs(screens.StartQuiz))
async def on_start(
    query: CallbackQuery,
    action: screens.StartQuiz,
    session: AsyncSession,
    clock: Clock,
    catalog: Catalog,
    banks: QuizBanks,
    member: Member,
    settings: Settings,
    state: FSMContext,
) -> None:
    await query.answer()
    try:
        asked = await service.start_round(
            session, clock, catalog, banks, member, action.kind, action.key
        )
    except service.NoQuestions as none:
        if action.kind != "d":
            await show(query, screens.no_questions(), state)
            return
        local = none.next_due.astimezone(zone_of(member, settings.tz)) if none.next_due else None
        await show(query, screens.nothing_due(local), state)
        return
    await show(query, screens.question(asked), state)


@router.callback_query(ActionIs(screens.AnswerQuiz))
async def on_answer(
    query: CallbackQuery,
    action: screens.AnswerQuiz,
    session: AsyncSession,
    clock: Clock,
    banks: QuizBanks,
    member: Member,
    state: FSMContext,
) -> None:
    try:
        outcome = await service.answer(
            session, clock, banks, member, action.round_id, action.index, action.option
        )
    except service.Refused as refused:
        await query.answer(t.refused(refused.reason), show_alert=True)
        return
    await query.answer()
    await show(query, _screen(outcome), state)


@router.callback_query(ActionIs(screens.NextQuestion))
async def on_next(
    query: CallbackQuery,
    action: screens.NextQuestion,
    session: AsyncSession,
    clock: Clock,
    banks: QuizBanks,
    member: Member,
    state: FSMContext,
) -> None:
    try:
        outcome = await service.current(session, clock, banks, member, action.round_id)
    except service.Refused as refused:
        await query.answer(t.refused(refused.reason), show_alert=True)
        return
    await query.answer()
    await show(query, _screen(outcome), state)


@router.callback_query(ActionIs(screens.ShowPassage))
async def on_passage(
    query: CallbackQuery,
    action: screens.ShowPassage,
    session: AsyncSession,
    catalog: Catalog,
    banks: QuizBanks,
    member: Member,
    state: FSMContext,
) -> None:
    try:
        found = await service.cited(session, catalog, banks, member, action.round_id, action.index)
    except service.Refused as refused:
        await query.answer(t.refused(refused.reason), show_alert=True)
        return
    await query.answer()
    # A new message, so the answer and its explanation stay in view above the passage.
    await show(query, screens.cited(found), state, edit=False)


def _screen(outcome: service.Checked | service.Asked | service.Result) -> Screen:
    if isinstance(outcome, service.Checked):
        return screens.checked(outcome)
    if isinstance(outcome, service.Asked):
        return screens.question(outcome)
    return screens.result(outcome)
