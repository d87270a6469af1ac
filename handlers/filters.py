"""Gates on who is acting. Only routing: every service checks rights again."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.actions import Action, BadAction, unpack_as
from bot.textnorm import fold
from db.models import Member, MemberStatus


class Stranger(Filter):
    """No member behind this user on this channel."""

    async def __call__(self, event: TelegramObject, member: Member | None = None) -> bool:
        return member is None


class Joining(Filter):
    """A member who has not finished the joining steps."""

    async def __call__(self, event: TelegramObject, member: Member | None = None) -> bool:
        return member is not None and member.status is MemberStatus.ONBOARDING


class Active(Filter):
    """A member who may use the bot's features."""

    async def __call__(self, event: TelegramObject, member: Member | None = None) -> bool:
        return member is not None and member.status is MemberStatus.ACTIVE


class Typed(Filter):
    """A text message that, folded (no diacritics, case or punctuation), is one of `words`,
    or starts with `prefix`. Stickers, photos and other messages without text never match."""

    def __init__(self, words: frozenset[str] = frozenset(), *, prefix: str | None = None) -> None:
        self.words = words
        self.prefix = prefix

    async def __call__(self, event: TelegramObject) -> bool:
        text = event.text if isinstance(event, Message) else None
        if not text:
            return False
        folded = fold(text)
        return folded in self.words or (self.prefix is not None and folded.startswith(self.prefix))


class ActionIs(Filter):
    """A button press whose data decodes to an action of type `kind`; passes it as `action`."""

    def __init__(self, kind: type[Action]) -> None:
        self.kind = kind

    async def __call__(self, event: TelegramObject) -> bool | dict[str, Any]:
        if not isinstance(event, CallbackQuery):
            return False
        try:
            return {"action": unpack_as(self.kind, event.data)}
        except BadAction:
            return False
