"""The secretary's cell tools: overview, invites, member list. Rights are checked in services."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.deep_linking import create_start_link
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dispatch.render import show
from bot.screens import cell as screens
from bot.screens import menus
from bot.services import access, cells, invites, membership
from bot.settings import Settings
from db.models import Member, Role
from handlers.filters import ActionIs, Active

router = Router(name=__name__)
router.callback_query.filter(Active())


@router.callback_query(ActionIs(menus.OpenCell))
async def on_cell(
    query: CallbackQuery,
    action: menus.OpenCell,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    overview = await cells.cell_overview(session, member, action.unit_id)
    await query.answer()
    await show(query, screens.cell_menu(overview, remover=membership.may_remove(member)), state)


@router.callback_query(ActionIs(screens.ListMembers))
async def on_member_list(
    query: CallbackQuery,
    action: screens.ListMembers,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    overview = await cells.member_list(session, member, action.unit_id)
    await query.answer()
    await show(query, screens.member_list(overview), state)


@router.callback_query(ActionIs(screens.NewInvite))
async def on_new_invite(
    query: CallbackQuery,
    action: screens.NewInvite,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    state: FSMContext,
) -> None:
    if action.role == "ask":
        await access.require_manager(session, member, action.unit_id)
        roles = [r.value for r in access.INVITABLE[member.role]]
        await query.answer()
        await show(query, screens.choose_role(action.unit_id, roles), state)
        return
    created = await invites.create_invite(
        session,
        clock,
        unit_id=action.unit_id,
        role=Role(action.role),
        actor=member,
        ttl=timedelta(hours=settings.invite_ttl_hours),
        max_uses=settings.invite_max_uses,
    )
    link = await create_start_link(bot, invites.normalise_code(created.code))
    await query.answer()
    await show(query, screens.invite_created(created, link, action.unit_id, settings.tz), state)
