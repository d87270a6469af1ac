"""The main menu and help, for active members."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.dispatch.render import show
from bot.screens import menus
from bot.services import access
from db.models import Member
from handlers.context import main_menu
from handlers.filters import ActionIs, Active

router = Router(name=__name__)
router.callback_query.filter(Active())


@router.callback_query(ActionIs(menus.OpenMenu))
async def on_menu(query: CallbackQuery, member: Member, state: FSMContext) -> None:
    await state.set_state(None)  # leave any half-typed step (a search) behind
    await query.answer()
    await show(query, main_menu(member), state)


@router.callback_query(ActionIs(menus.OpenHelp))
async def on_help(query: CallbackQuery, member: Member, state: FSMContext) -> None:
    await query.answer()
    await show(query, menus.help_screen(manager=access.is_manager(member)), state)
