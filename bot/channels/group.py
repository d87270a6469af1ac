"""The quiz night runner's group chat, over the Bot API through aiogram."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.types import InputPollOption

from bot.delivery.quiz_night_runner import SendFailed, SentPoll
from bot.dispatch.render import keyboard
from bot.screens.base import Screen
from bot.screens.quiz_nights import PollSpec


class BotGroup:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_poll(self, chat_id: int, poll: PollSpec) -> SentPoll:
        try:
            message = await self._bot.send_poll(
                chat_id,
                poll.question,
                [InputPollOption(text=x) for x in poll.options],
                is_anonymous=False,  # poll_answer updates name the voter: that is the score
                type="quiz",
                correct_option_ids=[poll.correct_index],
                explanation=poll.explanation,
                # Plain text: a question or option may hold "<" and the default is HTML.
                question_parse_mode=None,
                explanation_parse_mode=None,
                open_period=poll.open_period,
            )
        except TelegramRetryAfter as error:
            raise SendFailed(error.message, error.retry_after) from error
        except TelegramAPIError as error:
            raise SendFailed(error.message) from error
        assert message.poll is not None
        return SentPoll(message.message_id, message.poll.id)

    async def send(self, chat_id: int, screen: Screen) -> int:
        try:
            message = await self._bot.send_message(
                chat_id, screen.text, reply_markup=keyboard(screen)
            )
        except TelegramRetryAfter as error:
            raise SendFailed(error.message, error.retry_after) from error
        except TelegramAPIError as error:
            raise SendFailed(error.message) from error
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, screen: Screen) -> None:
        try:
            await self._bot.edit_message_text(
                screen.text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard(screen)
            )
        except TelegramRetryAfter as error:
            raise SendFailed(error.message, error.retry_after) from error
        except TelegramAPIError as error:
            raise SendFailed(error.message) from error

    async def stop_poll(self, chat_id: int, message_id: int) -> None:
        try:
            await self._bot.stop_poll(chat_id, message_id)
        except TelegramRetryAfter as error:
            raise SendFailed(error.message, error.retry_after) from error
        except TelegramAPIError as error:
            raise SendFailed(error.message) from error
