"""Small helpers every handler shares: who is acting, and the main menu for them."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message, User

from bot.screens import menus
from bot.screens.base import Screen
from bot.services import access
from bot.services.onboarding import Identity
from db.models import Member, Role, UnitKind


def identity(user: User, chat_id: int, channel: str) -> Identity:
    # Vietnamese names read family name first: "Hoàng Văn" + "Em" is "Hoàng Văn Em".
    name = " ".join(part for part in (user.last_name, user.first_name) if part)
    return Identity(channel, user.id, chat_id, name or None)


def chat_id_of(event: Message | CallbackQuery) -> int:
    if isinstance(event, Message):
        return event.chat.id
    return event.message.chat.id if event.message else event.from_user.id


def main_menu(member: Member) -> Screen:
    manager = access.is_manager(member) and member.unit.kind is UnitKind.CELL
    committee = member.role in (Role.COMMITTEE_ADMIN, Role.OPERATOR)
    return menus.main_menu(
        member.full_name or "",
        member.unit.name,
        member.unit_id,
        manager=manager,
        committee=committee,
    )
