"""A button press answered twice or too late is not an error.

Answering a callback query only stops the client's spinner. When an update is tried again
(after a database fault) its query may have been answered on the first try, or be older than
Telegram allows; the handler must still go on and do its work, so that answer is skipped.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)


class ForgiveLateAnswers(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as error:
            late = isinstance(method, AnswerCallbackQuery) and "query is too old" in error.message
            if not late:
                raise
            log.info("callback answered already or too late")
            return Response[TelegramType](ok=True, result=True)
