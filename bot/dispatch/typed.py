"""Typed answers press buttons: "dong y", "Đồng ý" or "1" work like tapping the button.

A message whose folded text matches a label (or the number) of the last screen's buttons is
turned into a callback query and dispatched as if the button had been pressed, so every
handler exists once. Callback answers for such synthetic queries never reach the Bot API (the
query id would be refused); a toast text is sent as a message instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.fsm.context import FSMContext
from aiogram.methods import AnswerCallbackQuery, Response, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, Message, TelegramObject, Update

from bot.dispatch.render import MENU_KEY, TYPED_PREFIX
from bot.textnorm import fold

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def match(text: str, menu: list[list[str]]) -> str | None:
    """Return the callback data of the button that `text` names, if exactly one does."""
    folded = fold(text)
    if not folded:
        return None
    if folded.isascii() and folded.isdigit() and 1 <= int(folded) <= len(menu):
        return menu[int(folded) - 1][1]
    hits = [data for label, data in menu if label == folded]
    return hits[0] if len(hits) == 1 else None


class TypedButtons(BaseMiddleware):
    """Outer middleware on private messages."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Message)
        state: FSMContext | None = data.get("state")
        if event.text is None or event.chat.type != "private" or state is None:
            return await handler(event, data)
        menu = (await state.get_data()).get(MENU_KEY) or []
        callback_data = match(event.text, menu)
        if callback_data is None or event.from_user is None:
            return await handler(event, data)
        query = CallbackQuery(
            id=f"{TYPED_PREFIX}{event.chat.id}:{event.message_id}",
            from_user=event.from_user,
            chat_instance=TYPED_PREFIX,
            message=event,
            data=callback_data,
        )
        dispatcher: Dispatcher = data["dispatcher"]
        bot: Bot = data["bot"]
        update = Update(update_id=data["event_update"].update_id, callback_query=query)
        extra = {k: v for k, v in data.items() if k in dispatcher.workflow_data}
        return await dispatcher.feed_update(bot, update, **extra)


class AnswerTypedLocally(BaseRequestMiddleware):
    """Request middleware: a synthetic callback answer becomes a message, or nothing."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, AnswerCallbackQuery) and method.callback_query_id.startswith(
            TYPED_PREFIX
        ):
            chat_id = int(method.callback_query_id.removeprefix(TYPED_PREFIX).split(":")[0])
            if method.text:
                # The next handler in the chain is typed for this method's result, not a Message.
                await make_request(bot, SendMessage(chat_id=chat_id, text=method.text))  # type: ignore[arg-type]
            return Response[TelegramType](ok=True, result=True)
        return await make_request(bot, method)
