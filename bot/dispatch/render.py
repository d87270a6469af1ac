"""The one place that turns a Screen into Bot API calls."""

from __future__ import annotations

from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.screens.base import Screen
from bot.textnorm import fold

MENU_KEY = "menu"  # FSM data: the buttons of the last screen, for typed answers
TYPED_PREFIX = "typed:"  # callback query ids made from typed text (bot/dispatch/typed.py)


def keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    if not screen.rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b.label, callback_data=b.action.pack())
                if b.action
                else InlineKeyboardButton(text=b.label, url=b.url)
                for b in row
            ]
            for row in screen.rows
        ]
    )


async def show(
    event: Message | CallbackQuery,
    screen: Screen,
    state: FSMContext | None = None,
    *,
    edit: bool = True,
) -> None:
    """Show `screen`: edit the message whose button was pressed, or send a new one."""
    markup = keyboard(screen)
    if state is not None:
        await remember_menu(state, screen)
    if isinstance(event, CallbackQuery):
        message = event.message
        typed = event.id.startswith(TYPED_PREFIX)
        if edit and not typed and isinstance(message, Message):
            try:
                await message.edit_text(screen.text, reply_markup=markup)
                return
            except TelegramBadRequest as error:
                if "not modified" in error.message:
                    return
                # Too old to edit, or deleted: fall through to a new message.
        if message is not None:
            await event.bot.send_message(message.chat.id, screen.text, reply_markup=markup)  # type: ignore[union-attr]
        return
    await event.answer(screen.text, reply_markup=markup)


def menu_of_markup(markup: dict[str, Any] | None) -> list[list[str]]:
    """The typed-answer menu of a message already sent (an outbox row's reply_markup)."""
    rows = (markup or {}).get("inline_keyboard") or []
    return [
        [fold(button["text"]), button["callback_data"]]
        for row in rows
        for button in row
        if "callback_data" in button
    ]


async def remember_menu(state: FSMContext, screen: Screen) -> None:
    """Keep the last screen's buttons, so typing a label or its number presses it."""
    buttons = [[fold(b.label), b.action.pack()] for b in screen.buttons if b.action]
    await state.update_data({MENU_KEY: buttons})
