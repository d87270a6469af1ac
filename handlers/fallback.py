"""What no other handler took: stale or forged buttons, unknown text, groups."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dispatch.render import show
from bot.screens import menus
from bot.services import audit
from bot.textnorm import fold
from bot.texts import common
from db.models import Member, MemberStatus
from handlers.context import main_menu

router = Router(name=__name__)
MENU_WORDS = frozenset({"menu", "menu chinh", "trang chu", "bat dau"})


@router.callback_query()
async def on_unknown_button(
    query: CallbackQuery, session: AsyncSession, clock: Clock, member: Member | None
) -> None:
    # Forged, stale (an old version of the bot) or pressed by someone it was not meant for.
    audit.record(
        session,
        clock,
        "button.refused",
        outcome="refused",
        actor_member_id=member.id if member else None,
        actor_external_id=query.from_user.id,
        data=(query.data or "")[:64],
    )
    await session.commit()
    await query.answer(common.button_expired(), show_alert=True)


@router.message(F.chat.type == "private", F.text)
async def on_text(message: Message, member: Member | None, state: FSMContext) -> None:
    assert message.text is not None
    if member is not None and member.status is MemberStatus.ACTIVE:
        if fold(message.text) in MENU_WORDS:
            await show(message, main_menu(member), state)
        else:
            await show(message, menus.notice(common.not_understood()), state)
        return
    await message.answer(common.inactive())


@router.message(F.chat.type == "private")
async def on_other(message: Message, member: Member | None, state: FSMContext) -> None:
    # Stickers, photos or voice where nothing asked for them.
    if member is not None and member.status is MemberStatus.ACTIVE:
        await show(message, menus.notice(common.text_expected()), state)
    else:
        await message.answer(common.inactive())


@router.message(F.chat.type.in_({"group", "supergroup"}), F.text.startswith("/"))
async def on_group_command(message: Message) -> None:
    # Personal features live in the private chat; quiz nights will add group commands.
    await message.reply(common.private_only())
