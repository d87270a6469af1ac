"""A member's reminder settings: lesson time, quiet hours, a pause, the time zone.

Each page waits for typed input too ("19h30", "22:00-06:00", "UTC+9"), so it sets a state.
"""

from __future__ import annotations

from datetime import datetime, time

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dispatch.render import show
from bot.errors import InvalidInput
from bot.screens import settings as screens
from bot.screens.base import Screen
from bot.screens.menus import OpenSettings
from bot.services import onboarding, preferences, quiet
from bot.services.quiet import Quiet, quiet_of
from bot.settings import Settings
from bot.texts import onboarding as joining
from bot.texts import settings as t
from db.models import Member
from handlers.filters import ActionIs, Active, Typed

router = Router(name=__name__)
router.message.filter(F.chat.type == "private", Active())
router.callback_query.filter(Active())
TYPED = frozenset({"cai dat", "cai dat nhac nho", "nhac nho", "tam dung", "gio yen lang"})


class Typing(StatesGroup):
    lesson_time = State()
    quiet = State()
    zone = State()


def overview(member: Member, settings: Settings, clock: Clock, notice: str = "") -> Screen:
    quiet = quiet_of(member)
    paused = preferences.paused(member, clock.now())
    return screens.overview(
        member.lesson_time,
        (quiet.start, quiet.end),
        _local(member, settings, member.paused_until) if paused else None,
        member.timezone or t.ZONE_HOME,
        notice=notice,
    )


@router.message(Command("caidat"))
@router.message(Typed(TYPED))
async def on_typed(
    message: Message, member: Member, settings: Settings, clock: Clock, state: FSMContext
) -> None:
    await state.set_state(None)
    await show(message, overview(member, settings, clock), state)


@router.callback_query(ActionIs(OpenSettings))
async def on_open(
    query: CallbackQuery,
    action: OpenSettings,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    await query.answer()
    pages = {
        "time": (Typing.lesson_time, screens.ask_lesson_time),
        "quiet": (Typing.quiet, screens.ask_quiet),
        "zone": (Typing.zone, screens.ask_zone),
    }
    if action.page in pages:
        waiting, page = pages[action.page]
        await state.set_state(waiting)
        await show(query, page(), state)
        return
    await state.set_state(None)
    await show(query, overview(member, settings, clock), state)


@router.callback_query(ActionIs(screens.SetLessonTime))
async def on_lesson_time(
    query: CallbackQuery,
    action: screens.SetLessonTime,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    value = _clock_time(action.minutes)  # before answering: a forged press gets the alert
    await query.answer()
    await _set_lesson_time(query, value, session, member, settings, clock, state)


@router.message(StateFilter(Typing.lesson_time), F.text)
async def on_lesson_time_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    assert message.text is not None
    try:
        value = onboarding.parse_time(message.text)
    except InvalidInput:
        await show(message, screens.ask_lesson_time(problem=joining.time_invalid()), state)
        return
    await _set_lesson_time(message, value, session, member, settings, clock, state)


async def _set_lesson_time(
    event: Message | CallbackQuery,
    value: time,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    try:
        await preferences.set_lesson_time(session, clock, settings.tz, member, value)
    except InvalidInput:
        quiet = quiet_of(member)
        await show(
            event, screens.ask_lesson_time(problem=t.time_in_quiet(quiet.start, quiet.end)), state
        )
        return
    await state.set_state(None)
    await show(event, overview(member, settings, clock, t.lesson_time_set(value)), state)


@router.callback_query(ActionIs(screens.SetQuiet))
async def on_quiet(
    query: CallbackQuery,
    action: screens.SetQuiet,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    window = Quiet(_clock_time(action.start), _clock_time(action.end))
    await query.answer()
    await _set_quiet(query, window, session, member, settings, clock, state)


@router.message(StateFilter(Typing.quiet), F.text)
async def on_quiet_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    assert message.text is not None
    try:
        window = preferences.parse_quiet(message.text)
    except InvalidInput:
        await show(message, screens.ask_quiet(problem=t.quiet_invalid()), state)
        return
    await _set_quiet(message, window, session, member, settings, clock, state)


async def _set_quiet(
    event: Message | CallbackQuery,
    window: Quiet,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    try:
        await preferences.set_quiet(session, clock, settings.tz, member, window)
    except InvalidInput as error:
        problem = (
            t.quiet_hides_lesson(member.lesson_time)
            if member.lesson_time and error.reason == quiet.HIDES_LESSON
            else t.quiet_invalid()
        )
        await show(event, screens.ask_quiet(problem=problem), state)
        return
    await state.set_state(None)
    await show(
        event, overview(member, settings, clock, t.quiet_set(window.start, window.end)), state
    )


@router.callback_query(ActionIs(screens.Pause))
async def on_pause(
    query: CallbackQuery,
    action: screens.Pause,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    if action.days not in (0, preferences.PAUSE_DAYS):
        raise InvalidInput("forged pause")
    await query.answer()
    if action.days == 0:
        await preferences.resume(session, clock, settings.tz, member)
        notice = t.resumed()
    else:
        until = await preferences.pause(session, clock, settings.tz, member, action.days)
        local = _local(member, settings, until)
        assert local is not None
        notice = t.paused(local)
    await show(query, overview(member, settings, clock, notice), state)


@router.callback_query(ActionIs(screens.SetZone))
async def on_home_zone(
    query: CallbackQuery,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    await query.answer()
    await preferences.set_zone(session, clock, settings.tz, member, None)
    await state.set_state(None)
    await show(query, overview(member, settings, clock, t.zone_set(t.ZONE_HOME)), state)


@router.message(StateFilter(Typing.zone), F.text)
async def on_zone_typed(
    message: Message,
    session: AsyncSession,
    member: Member,
    settings: Settings,
    clock: Clock,
    state: FSMContext,
) -> None:
    assert message.text is not None
    try:
        name = preferences.parse_zone(message.text)
    except InvalidInput:
        await show(message, screens.ask_zone(problem=t.zone_invalid()), state)
        return
    await preferences.set_zone(session, clock, settings.tz, member, name)
    await state.set_state(None)
    await show(message, overview(member, settings, clock, t.zone_set(name)), state)


def _local(member: Member, settings: Settings, moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(preferences.zone_of(member, settings.tz))


def _clock_time(minutes: int) -> time:
    """The time of day of a button's minutes; a forged value is refused."""
    if not 0 <= minutes < 24 * 60:
        raise InvalidInput("forged minutes")
    return time(minutes // 60, minutes % 60)
