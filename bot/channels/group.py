"""The quiz night runner's group chat, over the Bot API through aiogram."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.types import InputPollOption

from bot.delivery.night_port import SendFailed, SentPoll
from bot.dispatch.render import keyboard
from bot.screens.base import Screen
from bot.screens.quiz_nights import PollSpec


class BotGroup:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_poll(self, chat_id: int, poll: PollSpec) -> SentPoll:
        with _failures():
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
        assert message.poll is not None
        return SentPoll(message.message_id, message.poll.id)

    async def send(self, chat_id: int, screen: Screen) -> int:
        with _failures():
            message = await self._bot.send_message(
                chat_id, screen.text, reply_markup=keyboard(screen)
            )
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, screen: Screen) -> None:
        with _failures():
            await self._bot.edit_message_text(
                screen.text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard(screen)
            )

    async def stop_poll(self, chat_id: int, message_id: int) -> None:
        with _failures():
            await self._bot.stop_poll(chat_id, message_id)


@contextmanager
def _failures() -> Iterator[None]:
    """Bot API errors as the runner's SendFailed: a 429 says how long to wait; a 400 or 403
    means the group will not take the night's posts (the bot was removed, lost its right to
    post, or the group is gone), so trying again would only repeat the refusal."""
    try:
        yield
    except TelegramRetryAfter as error:
        raise SendFailed(error.message, error.retry_after) from error
    except TelegramMigrateToChat as error:  # the group became a supergroup with a new id
        raise SendFailed(error.message, moved_to=error.migrate_to_chat_id) from error
    except (TelegramForbiddenError, TelegramBadRequest) as error:
        raise SendFailed(error.message, lost=True) from error
    except TelegramAPIError as error:
        raise SendFailed(error.message) from error
