"""Search in the works: /tim <từ khóa>, the menu button, or "tim …" typed."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.dispatch.render import show
from bot.errors import InvalidInput, NotFound
from bot.screens import search as screens
from bot.screens.menus import OpenSearch
from bot.services import search as service
from handlers.filters import ActionIs, Active, Typed

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())


class Searching(StatesGroup):
    query = State()


@router.message(Command("tim"))
async def on_search_command(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    catalog: Catalog,
    state: FSMContext,
) -> None:
    if not command.args:
        await state.set_state(Searching.query)
        await show(message, screens.prompt(), state)
        return
    await answer(message, command.args, session, catalog, state)


@router.message(Typed(prefix="tim "))
async def on_search_typed(
    message: Message, session: AsyncSession, catalog: Catalog, state: FSMContext
) -> None:
    assert message.text is not None
    await answer(message, message.text.strip()[3:], session, catalog, state)


@router.message(StateFilter(Searching.query), F.text)
async def on_query(
    message: Message, session: AsyncSession, catalog: Catalog, state: FSMContext
) -> None:
    assert message.text is not None
    await answer(message, message.text, session, catalog, state)


@router.callback_query(ActionIs(OpenSearch))
async def on_open_search(query: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(Searching.query)
    await query.answer()
    await show(query, screens.prompt(), state)


@router.callback_query(ActionIs(screens.OpenPassage))
async def on_open_passage(
    query: CallbackQuery,
    action: screens.OpenPassage,
    session: AsyncSession,
    catalog: Catalog,
    state: FSMContext,
) -> None:
    try:
        hit = await service.passage(session, action.passage_id)
    except NotFound:
        await query.answer()
        await show(query, screens.prompt(), state)
        await state.set_state(Searching.query)
        return
    await query.answer()
    await show(query, screens.passage(hit, catalog), state, edit=False)


async def answer(
    message: Message, text: str, session: AsyncSession, catalog: Catalog, state: FSMContext
) -> None:
    try:
        found = await service.search(session, text)
    except InvalidInput:
        await show(message, screens.too_short(), state)
        return
    await state.set_state(None)
    await show(message, screens.results(found, catalog), state)
