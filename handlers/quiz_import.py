"""A question bank sent as a file: download, report, store a draft; publish or discard it.

Rights are checked by bot.services.quiz_banks on the upload and again on every press.
"""

from __future__ import annotations

import asyncio

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Document, Message
from aiohttp import ClientError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dispatch.render import show
from bot.quizbank import QuizBanks
from bot.screens import quiz_import as screens
from bot.screens.menus import ImportHelp
from bot.services import quiz_banks, quiz_template
from bot.services.quiz_import import FileRejected, parse_bank
from bot.services.quiz_sheets import MAX_BYTES
from bot.texts import quiz_import as t
from db.models import Member, Unit, UnitKind
from handlers.context import chat_id_of
from handlers.filters import ActionIs, Active

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())


@router.message(F.document)
async def on_document(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    clock: Clock,
    member: Member,
    state: FSMContext,
) -> None:
    document = message.document
    assert document is not None
    name = document.file_name or "tệp"
    if not await quiz_banks.may_import(session, member, member.unit_id):
        await show(message, screens.not_importer(), state)
        return
    if (document.file_size or 0) > MAX_BYTES:  # not even downloaded
        await show(
            message, screens.rejected(name, t.too_large(document.file_size or 0, MAX_BYTES))
        )
        return
    data = await _download(bot, document)
    if data is None:
        await message.answer(t.downloading_failed())
        return
    try:  # a thread: a thousand rows must not hold up other members' updates
        parsed = await asyncio.to_thread(parse_bank, data, name)
    except FileRejected as rejected:
        await show(message, screens.rejected(name, rejected.reason), state)
        return
    draft = None
    if parsed.questions:
        draft = await quiz_banks.create_draft(
            session,
            clock,
            unit_id=member.unit_id,
            actor=member,
            file_name=name,
            questions=parsed.questions,
        )
    for screen in screens.report(name, parsed, draft):
        await show(message, screen, state)


@router.callback_query(ActionIs(screens.PublishBank))
async def on_publish(
    query: CallbackQuery,
    action: screens.PublishBank,
    session: AsyncSession,
    clock: Clock,
    member: Member,
    state: FSMContext,
) -> None:
    try:
        info = await quiz_banks.publish(session, clock, member, action.bank_id)
    except quiz_banks.NotDraft as done:
        await query.answer(t.not_a_draft(done.status.value), show_alert=True)
        return
    await query.answer()
    await show(query, screens.published(info), state)


@router.callback_query(ActionIs(screens.DiscardBank))
async def on_discard(
    query: CallbackQuery,
    action: screens.DiscardBank,
    session: AsyncSession,
    clock: Clock,
    member: Member,
    state: FSMContext,
) -> None:
    try:
        info = await quiz_banks.discard(session, clock, member, action.bank_id)
    except quiz_banks.NotDraft as done:
        await query.answer(t.not_a_draft(done.status.value), show_alert=True)
        return
    await query.answer()
    await show(query, screens.discarded(info), state)


@router.callback_query(ActionIs(ImportHelp))
async def on_help(
    query: CallbackQuery,
    action: ImportHelp,
    session: AsyncSession,
    member: Member,
    state: FSMContext,
) -> None:
    if not await quiz_banks.may_import(session, member, action.unit_id):
        await query.answer()
        await show(query, screens.not_importer(), state)
        return
    unit = await session.get(Unit, action.unit_id)
    banks = await quiz_banks.list_banks(session, action.unit_id)
    await query.answer()
    help_screen = screens.import_help(
        action.unit_id,
        unit.name if unit else "",
        banks,
        cell=unit is not None and unit.kind is UnitKind.CELL,
    )
    await show(query, help_screen, state)


@router.callback_query(ActionIs(screens.SendTemplate))
async def on_template(
    query: CallbackQuery, action: screens.SendTemplate, bot: Bot, banks: QuizBanks
) -> None:
    await query.answer()
    build = quiz_template.build_xlsx if action.kind == "xlsx" else quiz_template.build_csv
    document = BufferedInputFile(build(banks), filename=f"quiz-bank.{action.kind}")
    await bot.send_document(chat_id_of(query), document, caption=t.template_caption())


async def _download(bot: Bot, document: Document) -> bytes | None:
    try:
        stream = await bot.download(document.file_id)
    except (TelegramAPIError, ClientError, TimeoutError):
        return None  # the person is asked to send it again
    return stream.read() if stream is not None else None
