"""/xoadulieu: a member, or someone who has left the cell, erases every copy of their words.

Its own router, so that a member who left (inactive, shut out of every feature) can erase too.
It comes after the pledge and check-in routers: while an answer is awaited there, "xóa dữ
liệu" typed is taken as the member's answer, as before.
"""

from __future__ import annotations

import json

from aiogram import F, Router
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import CallbackQuery, Message, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dispatch.render import show
from bot.screens import checkins as screens
from bot.screens.base import Screen
from bot.screens.menus import notice
from bot.services import erasure
from bot.services.erasure_copies import scrub
from bot.textnorm import fold
from bot.texts import checkins as t
from db.models import Member, MemberStatus
from handlers.filters import ActionIs

TYPED_ERASE = frozenset({"xoa du lieu", "xoa du lieu cua toi"})


class Erasable(Filter):
    """A member who has joined, whether still in the cell or not."""

    async def __call__(self, event: TelegramObject, member: Member | None = None) -> bool:
        return member is not None and member.status in (MemberStatus.ACTIVE, MemberStatus.INACTIVE)


router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Erasable())
router.callback_query.filter(Erasable())


@router.message(Command("xoadulieu"))
@router.message(F.text, F.text.func(lambda text: fold(text) in TYPED_ERASE))
async def on_erase_asked(message: Message, state: FSMContext) -> None:
    await state.set_state(None)
    await show(message, screens.confirm_erase(), state)


@router.callback_query(ActionIs(screens.EraseData))
async def on_erase(
    query: CallbackQuery,
    action: screens.EraseData,
    session: AsyncSession,
    member: Member,
    clock: Clock,
    state: FSMContext,
) -> None:
    await query.answer()
    active = member.status is MemberStatus.ACTIVE
    if not action.confirmed:
        await show(query, _done(t.erase_kept(), active=active), state)
        return
    done = await erasure.erase_my_data(session, clock, member)
    await state.clear()
    await _forget_kept_state(state.storage, done)
    await show(query, _done(t.erased(), active=active), state)


def _done(text: str, *, active: bool) -> Screen:
    # Someone who left has no menu to go back to.
    return notice(text) if active else Screen(text)


async def _forget_kept_state(storage: BaseStorage, done: erasure.Erasure) -> None:
    """Delete the member's conversation state kept in Redis, in every chat, and take their
    words out of their readers' (the database's is handled by the erasure itself)."""
    if not isinstance(storage, RedisStorage):
        return
    redis = storage.redis
    wanted = {str(u) for u in done.user_ids}
    readers = {str(u) for u in done.reader_ids}
    # RedisStorage keys: "fsm:<bot>:<chat>[:<thread>]:<user>:<destiny>:<state|data>".
    async for key in redis.scan_iter(match="fsm:*", count=500):
        parts = (key.decode() if isinstance(key, bytes) else str(key)).split(":")
        if len(parts) >= 6 and parts[-3] in wanted:
            await redis.delete(key)
        elif len(parts) >= 6 and parts[-3] in readers and parts[-1] == "data":
            raw = await redis.get(key)
            if raw is None:
                continue
            data = json.loads(raw)
            scrubbed = scrub(data, done.needles)
            if scrubbed != data:
                await redis.set(key, json.dumps(scrubbed), keepttl=True)
