"""A secretary's announcement: write it, see it as members will, confirm, follow delivery.

The draft lives in the conversation data, so a restart between preview and confirm loses
nothing; the copies go through the outbox. Rights are checked by the service on every press.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import payload
from bot.dispatch.render import show
from bot.errors import InvalidInput
from bot.screens import announce as screens
from bot.services import access, announcements
from bot.services.announcements import TEXT_MAX
from bot.settings import Settings
from bot.texts import announce as t
from db.models import Member, Unit
from handlers.filters import ActionIs, Active

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())
DRAFT = "announcement"  # conversation data: {"unit_id": …, "text": …}


class Announcing(StatesGroup):
    text = State()


@router.callback_query(ActionIs(screens.StartAnnouncement))
async def on_start(
    query: CallbackQuery,
    action: screens.StartAnnouncement,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    await access.require_manager(session, member, action.unit_id)
    await query.answer()
    await state.set_state(Announcing.text)
    await state.update_data({DRAFT: {"unit_id": action.unit_id, "text": ""}})
    await show(query, screens.ask_text(action.unit_id), state)


@router.message(StateFilter(Announcing.text), F.text)
async def on_text(
    message: Message, session: AsyncSession, member: Member, state: FSMContext
) -> None:
    assert message.text is not None
    unit_id = int(((await state.get_data()).get(DRAFT) or {}).get("unit_id", 0))
    try:
        draft = await announcements.draft(session, member, unit_id, message.text)
    except InvalidInput as error:
        await show(message, screens.ask_text(unit_id, _problem(error, message.text)), state)
        return
    await state.update_data({DRAFT: {"unit_id": unit_id, "text": draft.text}})
    await show(message, screens.preview(draft), state)


@router.message(StateFilter(Announcing.text))
async def on_not_text(message: Message, state: FSMContext) -> None:
    unit_id = int(((await state.get_data()).get(DRAFT) or {}).get("unit_id", 0))
    await show(message, screens.ask_text(unit_id, t.not_text()), state)


@router.callback_query(ActionIs(screens.ConfirmAnnouncement))
async def on_confirm(
    query: CallbackQuery,
    action: screens.ConfirmAnnouncement,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    settings: Settings,
    state: FSMContext,
) -> None:
    await access.require_manager(session, member, action.unit_id)
    saved = (await state.get_data()).get(DRAFT) or {}
    if saved.get("unit_id") != action.unit_id or not saved.get("text"):
        await query.answer()
        await show(query, screens.draft_gone(action.unit_id), state)
        return
    unit = await session.get(Unit, action.unit_id)
    assert unit is not None  # require_manager found it
    text = str(saved["text"])
    letter = screens.message(unit.name, text, member.full_name or "")
    sent = await announcements.send(
        session,
        clock,
        member,
        action.unit_id,
        text,
        settings.tz,
        lambda chat_id: payload.send_message(chat_id, letter),
    )
    # Cleared before answering: a second press on "Gửi" finds no draft and sends nothing.
    await state.set_state(None)
    await state.update_data({DRAFT: None})
    await query.answer()
    await show(query, screens.queued(action.unit_id, sent.recipients), state)


@router.callback_query(ActionIs(screens.AnnouncementReport))
async def on_report(
    query: CallbackQuery,
    action: screens.AnnouncementReport,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    state: FSMContext,
) -> None:
    rows = await announcements.report(session, member, action.unit_id)
    unit = await session.get(Unit, action.unit_id)
    assert unit is not None
    await query.answer()
    await show(query, screens.report(action.unit_id, unit.name, rows, settings.tz), state)


def _problem(error: InvalidInput, typed: str) -> str:
    if error.reason == announcements.TOO_LONG:
        return t.too_long(len(typed.strip()), TEXT_MAX)
    if error.reason == announcements.CONTROL:
        return t.bad_characters()
    return t.empty()
