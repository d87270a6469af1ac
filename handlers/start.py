"""/start, deep-link invites and typed invite codes."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dispatch.render import show
from bot.errors import AlreadyMember, Expired, NotFound
from bot.screens import onboarding
from bot.services import invites
from bot.services import onboarding as service
from bot.settings import Settings
from bot.texts import common
from bot.texts import onboarding as t
from db.models import Member, MemberStatus
from handlers.context import identity, main_menu
from handlers.filters import Stranger

router = Router(name=__name__)
router.message.filter(F.chat.type == "private")


@router.message(CommandStart())
async def on_start(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    member: Member | None,
    clock: Clock,
    channel: str,
    settings: Settings,
    state: FSMContext,
) -> None:
    if member is None:
        if command.args:
            await redeem(message, command.args, session, clock, channel, settings, state)
        else:
            await show(message, onboarding.welcome(), state)
        return
    await continue_with(message, member, state)


@router.message(Command("menu"))
async def on_menu_command(message: Message, member: Member | None, state: FSMContext) -> None:
    if member is None:
        await show(message, onboarding.welcome(), state)
    else:
        await continue_with(message, member, state)


@router.message(Stranger(), F.text, F.text.func(invites.looks_like_code))
async def on_code_typed(
    message: Message,
    session: AsyncSession,
    clock: Clock,
    channel: str,
    settings: Settings,
    state: FSMContext,
) -> None:
    assert message.text is not None
    await redeem(message, message.text, session, clock, channel, settings, state)


@router.message(Stranger())
async def on_stranger(message: Message, state: FSMContext) -> None:
    await show(message, onboarding.welcome(), state)


async def redeem(
    message: Message,
    code: str,
    session: AsyncSession,
    clock: Clock,
    channel: str,
    settings: Settings,
    state: FSMContext,
) -> None:
    assert message.from_user is not None
    who = identity(message.from_user, message.chat.id, channel)
    try:
        progress = await service.redeem_invite(session, clock, code, who)
    except NotFound:
        await message.answer(t.invite_unknown())
        return
    except Expired as error:
        await message.answer(_expired_text(error, settings))
        return
    except AlreadyMember as error:
        await message.answer(t.already_member(str(error)))
        return
    await show(message, onboarding.step_screen(progress), state)


async def continue_with(message: Message, member: Member, state: FSMContext) -> None:
    """Show a known person where they stand: a joining step, or the main menu."""
    if member.status is MemberStatus.INACTIVE:
        await message.answer(common.inactive())
        return
    progress = service.progress(member)
    if progress.step is service.Step.DONE:
        await show(message, main_menu(member), state)
    else:
        await show(message, onboarding.step_screen(progress), state)


def _expired_text(error: Expired, settings: Settings) -> str:
    if error.kind == "used up":
        return t.invite_used_up()
    if error.kind == "revoked" or error.at is None:
        return t.invite_revoked()
    return t.invite_expired(error.at.astimezone(settings.tz))
