"""Lessons: today's lesson, read, next, full text, the list of lessons read."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.clock import Clock
from bot.dispatch.render import show
from bot.errors import NotAllowed, NotFound
from bot.screens import lessons as screens
from bot.screens.menus import ChooseThemes, OpenLesson
from bot.services import lessons as service
from bot.services.preferences import zone_of
from bot.settings import Settings
from db.models import Member, Role
from handlers.filters import ActionIs, Active, Typed

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())
TYPED = frozenset({"hoc", "hoc bai", "bai hoc", "bai hoc hom nay"})


@router.message(Command("hoc"))
@router.message(Typed(TYPED))
async def on_lesson_typed(
    message: Message, session: AsyncSession, catalog: Catalog, member: Member, state: FSMContext
) -> None:
    view = await service.todays_lesson(session, catalog, member)
    await show(message, screens.lesson(view), state)


@router.callback_query(ActionIs(OpenLesson))
async def on_open(
    query: CallbackQuery,
    action: OpenLesson,
    session: AsyncSession,
    catalog: Catalog,
    member: Member,
    state: FSMContext,
) -> None:
    if not action.key:
        await _today(query, session, catalog, member, state)
        return
    try:
        view = await service.lesson_view(session, catalog, member, action.key)
    except NotFound:
        await _today(query, session, catalog, member, state)
        return
    await query.answer()
    await show(query, screens.lesson(view), state)


@router.callback_query(ActionIs(screens.NextLesson))
async def on_next(
    query: CallbackQuery,
    action: screens.NextLesson,
    session: AsyncSession,
    catalog: Catalog,
    member: Member,
    state: FSMContext,
) -> None:
    view = await service.todays_lesson(session, catalog, member, after=action.key)
    await query.answer()
    await show(query, screens.lesson(view), state, edit=False)


@router.callback_query(ActionIs(screens.MarkRead))
async def on_read(
    query: CallbackQuery,
    action: screens.MarkRead,
    session: AsyncSession,
    catalog: Catalog,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    try:
        lesson = service.find(catalog, action.key)
    except NotFound:
        await _today(query, session, catalog, member, state)
        return
    progress = await service.mark_read(
        session, clock, zone_of(member, settings.tz), catalog, member, action.key
    )
    await query.answer()
    await show(query, screens.read_done(lesson, progress), state, edit=False)


@router.callback_query(ActionIs(screens.FullText))
async def on_full_text(
    query: CallbackQuery,
    action: screens.FullText,
    session: AsyncSession,
    catalog: Catalog,
    member: Member,
    state: FSMContext,
) -> None:
    try:
        lesson = service.find(catalog, action.key)
    except NotFound:
        await _today(query, session, catalog, member, state)
        return
    await query.answer()
    await show(query, screens.full_text(lesson, catalog.works[lesson.work]), state, edit=False)


@router.callback_query(ActionIs(screens.History))
async def on_history(
    query: CallbackQuery,
    session: AsyncSession,
    catalog: Catalog,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    read = await service.read_lessons(session, catalog, member)
    progress = await service.progress(
        session, clock, zone_of(member, settings.tz), catalog, member
    )
    await query.answer()
    await show(query, screens.history(read, progress), state)


@router.callback_query(ActionIs(ChooseThemes))
async def on_themes(
    query: CallbackQuery,
    session: AsyncSession,
    catalog: Catalog,
    member: Member,
    state: FSMContext,
) -> None:
    if member.role not in (Role.COMMITTEE_ADMIN, Role.OPERATOR):
        raise NotAllowed("only a committee chooses its theme")
    current, chosen = await service.studied(session, catalog, member.unit_id)
    await query.answer()
    await show(query, screens.themes(catalog, member.unit.name, current, chosen), state)


@router.callback_query(ActionIs(screens.PickTheme))
async def on_pick_theme(
    query: CallbackQuery,
    action: screens.PickTheme,
    session: AsyncSession,
    catalog: Catalog,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    theme = await service.choose_theme(session, clock, catalog, member, action.key)
    await query.answer()
    await show(query, screens.theme_chosen(member.unit.name, theme), state)


async def _today(
    query: CallbackQuery,
    session: AsyncSession,
    catalog: Catalog,
    member: Member,
    state: FSMContext,
) -> None:
    """Show today's lesson; also where a button's lesson was removed from the content."""
    view = await service.todays_lesson(session, catalog, member)
    await query.answer()
    await show(query, screens.lesson(view), state)
