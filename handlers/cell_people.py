"""Removing a member (the cell's secretary) and taking a role back (a committee admin).

Every step re-checks rights in bot.services.membership; a refusal raises NotAllowed, which
handlers.errors audits. The one typed step (a reason of one's own) keeps the reason in the
conversation state, as callback data cannot hold it; "hủy" presses the Hủy button.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery.membership_notices import member_removed
from bot.dispatch.render import show
from bot.errors import Expired, InvalidInput
from bot.screens import cell as cell_screens
from bot.screens import membership as screens
from bot.screens.menus import PickRevokeCell
from bot.services import cells, membership
from bot.settings import Settings
from bot.texts import membership as t
from db.models import Member, Unit
from handlers.filters import ActionIs, Active
from handlers.pledges import FREE_TEXT

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())
REASON_KEY = "removal_reason"


class Typing(StatesGroup):
    removal_reason = State()


@router.callback_query(ActionIs(screens.PickRemoval))
async def on_pick_removal(
    query: CallbackQuery,
    action: screens.PickRemoval,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    people = await membership.removable(session, member, action.unit_id)
    await query.answer()
    await state.set_state(None)
    await show(query, screens.pick_removal(people), state)


@router.callback_query(ActionIs(screens.RemoveWho))
async def on_remove_who(
    query: CallbackQuery,
    action: screens.RemoveWho,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    chosen = await membership.candidate(session, member, action.member_id)
    await query.answer()
    await state.set_state(Typing.removal_reason)
    await state.update_data(removal_member=action.member_id)
    person = chosen.people[0]
    await show(query, screens.ask_reason(chosen.unit_id, person.member_id, person.name), state)


@router.message(StateFilter(Typing.removal_reason), F.text, FREE_TEXT)
async def on_reason_typed(
    message: Message, session: AsyncSession, member: Member, state: FSMContext
) -> None:
    assert message.text is not None
    member_id = int((await state.get_data())["removal_member"])
    chosen = await membership.candidate(session, member, member_id)
    try:
        reason = membership.parse_reason(message.text)
    except InvalidInput as error:
        await message.answer(t.reason_problem(error.reason))
        return
    await state.set_state(None)
    await state.update_data({REASON_KEY: reason})
    person = chosen.people[0]
    screen = screens.confirm_removal(chosen.unit_id, member_id, person.name, "other", reason)
    await show(message, screen, state)


@router.callback_query(ActionIs(screens.RemoveWhy))
async def on_remove_why(
    query: CallbackQuery,
    action: screens.RemoveWhy,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    if action.reason == "other":
        raise Expired("a typed reason comes as a message")
    chosen = await membership.candidate(session, member, action.member_id)
    await query.answer()
    await state.set_state(None)
    person = chosen.people[0]
    screen = screens.confirm_removal(
        chosen.unit_id, person.member_id, person.name, action.reason, ""
    )
    await show(query, screen, state)


@router.callback_query(ActionIs(screens.RemoveConfirm))
async def on_remove_confirm(
    query: CallbackQuery,
    action: screens.RemoveConfirm,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    reason: str = action.reason
    if reason == "other":
        reason = (await state.get_data()).get(REASON_KEY) or ""
        if not reason:
            raise Expired("the typed reason is gone")

    async def notify(
        session: AsyncSession, clock: Clock, removed: Member, unit: Unit, why: str
    ) -> None:
        await member_removed(session, clock, removed, unit, why, settings.tz)

    done = await membership.remove_member(session, clock, member, action.member_id, reason, notify)
    await query.answer()
    await state.set_state(None)
    await state.update_data({REASON_KEY: None})
    await show(query, screens.removed(done), state)


@router.callback_query(ActionIs(screens.CancelRemoval))
async def on_cancel_removal(
    query: CallbackQuery,
    action: screens.CancelRemoval,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    await state.set_state(None)
    await state.update_data({REASON_KEY: None})
    overview = await cells.cell_overview(session, member, action.unit_id)
    await query.answer()
    screen = cell_screens.cell_menu(overview, remover=membership.may_remove(member))
    await show(query, screen, state)


@router.callback_query(ActionIs(PickRevokeCell))
async def on_pick_revoke_cell(
    query: CallbackQuery,
    action: PickRevokeCell,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    found = await membership.cells_below(session, member, action.unit_id)
    await query.answer()
    await show(query, screens.pick_cell(action.unit_id, found), state)


@router.callback_query(ActionIs(screens.PickRevoke))
async def on_pick_revoke(
    query: CallbackQuery,
    action: screens.PickRevoke,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    people = await membership.holders(session, member, action.unit_id)
    await query.answer()
    await show(query, screens.pick_revoke(people), state)


@router.callback_query(ActionIs(screens.RevokeWho))
async def on_revoke_who(
    query: CallbackQuery,
    action: screens.RevokeWho,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    chosen = (await membership.holder(session, member, action.member_id)).people[0]
    await query.answer()
    await show(query, screens.confirm_revoke(chosen.member_id, chosen.name, chosen.role), state)


@router.callback_query(ActionIs(screens.RevokeConfirm))
async def on_revoke_confirm(
    query: CallbackQuery,
    action: screens.RevokeConfirm,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    done = await membership.revoke_role(session, clock, member, action.member_id)
    await query.answer()
    await show(query, screens.revoked(done), state)
