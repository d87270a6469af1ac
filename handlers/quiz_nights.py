"""Quiz nights in the cell's group: /doivui opens a lobby, buttons set it up and start it,
polls and answer buttons score, /dungdoivui stops it, /nguoidan names a host; privately, the
host resumes or stops a paused night. Every refusal is audited (night_refusals.record).

Over 400 lines: one router per feature is the layout handlers/__init__.py lists; each handler
stays a thin parse → service → screen step."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message, PollAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.clock import Clock
from bot.delivery import night_announcements
from bot.delivery.quiz_night_runner import NightRunner
from bot.dispatch.render import keyboard, show
from bot.quizbank import QuizBanks
from bot.screens import quiz_nights as screens
from bot.services import night_hosts, night_pauses, night_refusals
from bot.services import night_play as play
from bot.services import quiz_nights as service
from bot.services.night_refusals import Refused
from bot.settings import Settings
from bot.texts import quiz_nights as t
from db.models import Member
from handlers.filters import ActionIs

router = Router(name=__name__)
POLL_STORED_WAIT = 5.0  # seconds; a sendPoll answer and one commit take milliseconds
GROUPS = F.chat.type.in_({"group", "supergroup"})


@router.message(Command("doivui"), GROUPS)
async def on_open(
    message: Message,
    session: AsyncSession,
    clock: Clock,
    banks: QuizBanks,
    catalog: Catalog,
    member: Member | None,
    channel: str,
    nights: NightRunner,
    settings: Settings,
) -> None:
    # Every message to the group takes its slot from the budget the runner uses (20 a minute).
    await nights.pace(message.chat.id)
    try:
        view = await service.open_night(
            session, clock, banks, catalog, member, channel, message.chat.id
        )
    except Refused as refused:
        await _refuse_message(message, session, clock, member, "open", refused)
        return
    screen = screens.lobby(view)
    sent = await message.answer(screen.text, reply_markup=keyboard(screen))
    await service.set_lobby_message(session, clock, view.night_id, sent.message_id)
    title = message.chat.title or ""
    if await night_announcements.announce(session, clock, view.night_id, title, settings.tz):
        nights.outbox_waiting()


@router.message(Command("doivui", "dungdoivui", "nguoidan"), F.chat.type == "private")
async def on_private(message: Message) -> None:
    await message.answer(t.group_only())


@router.message(Command("dungdoivui"), GROUPS)
async def on_stop(
    message: Message,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    nights: NightRunner,
) -> None:
    await nights.pace(message.chat.id)
    try:
        night_id = await service.stop_night(session, clock, member, message.chat.id)
    except Refused as refused:
        await _refuse_message(message, session, clock, member, "stop", refused)
        return
    view = await service.lobby(session, night_id)
    if view.status == "cancelled":
        await message.answer(t.cancelled())
    nights.launch(night_id)  # the runner posts the podium of a running night


@router.message(Command("nguoidan"), GROUPS)
async def on_name_host(
    message: Message,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    channel: str,
    nights: NightRunner,
) -> None:
    await nights.pace(message.chat.id)
    target = message.reply_to_message.from_user if message.reply_to_message else None
    if target is None or target.is_bot:
        await message.reply(t.name_host_usage())
        return
    try:
        name = await night_hosts.name_host(session, clock, member, channel, target.id)
    except Refused as refused:
        await _refuse_message(message, session, clock, member, "host", refused)
        return
    await message.reply(t.host_named(name))


@router.callback_query(ActionIs(screens.JoinNight))
async def on_join(
    query: CallbackQuery,
    action: screens.JoinNight,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
) -> None:
    try:
        joined = await service.join(
            session,
            clock,
            member,
            action.night_id,
            _chat(query),
            query.from_user.id,
            query.from_user.first_name,
        )
    except Refused as refused:
        await _refuse(query, session, clock, member, "join", refused, action.night_id)
        return
    late = t.refused("joined_late") if joined.late else t.joined(joined.lobby.players)
    await query.answer(late)
    if joined.refresh:
        await show(query, screens.lobby(joined.lobby))


@router.callback_query(ActionIs(screens.NightSetting))
async def on_setting(
    query: CallbackQuery,
    action: screens.NightSetting,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
) -> None:
    try:
        view = await service.change_setting(
            session, member, action.night_id, _chat(query), action.setting
        )
    except Refused as refused:
        await _refuse(query, session, clock, member, "setting", refused, action.night_id)
        return
    await query.answer()
    await show(query, screens.lobby(view))


@router.callback_query(ActionIs(screens.NightBanks))
async def on_banks(
    query: CallbackQuery,
    action: screens.NightBanks,
    session: AsyncSession,
    clock: Clock,
    banks: QuizBanks,
    catalog: Catalog,
    member: Member | None,
) -> None:
    try:
        choices = await service.bank_choices(
            session, banks, catalog, member, action.night_id, _chat(query)
        )
    except Refused as refused:
        await _refuse(query, session, clock, member, "banks", refused, action.night_id)
        return
    await query.answer()
    await show(query, screens.banks(action.night_id, choices))


@router.callback_query(ActionIs(screens.NightBankPick))
async def on_bank(
    query: CallbackQuery,
    action: screens.NightBankPick,
    session: AsyncSession,
    clock: Clock,
    banks: QuizBanks,
    catalog: Catalog,
    member: Member | None,
) -> None:
    try:
        view = await service.choose_bank(
            session,
            banks,
            catalog,
            member,
            action.night_id,
            _chat(query),
            action.index,
            action.tag,
        )
    except Refused as refused:
        await _refuse(query, session, clock, member, "bank", refused, action.night_id)
        return
    await query.answer()
    await show(query, screens.lobby(view))


@router.callback_query(ActionIs(screens.NightLobby))
async def on_back(
    query: CallbackQuery,
    action: screens.NightLobby,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
) -> None:
    try:
        view = await service.hosted_lobby(session, member, action.night_id, _chat(query))
    except Refused as refused:
        await _refuse(query, session, clock, member, "lobby", refused, action.night_id)
        return
    await query.answer()
    await show(query, screens.lobby(view))


@router.callback_query(ActionIs(screens.StartNight))
async def on_start(
    query: CallbackQuery,
    action: screens.StartNight,
    session: AsyncSession,
    clock: Clock,
    banks: QuizBanks,
    catalog: Catalog,
    member: Member | None,
    nights: NightRunner,
) -> None:
    try:
        view = await service.start_night(
            session, clock, banks, catalog, member, action.night_id, _chat(query)
        )
    except Refused as refused:
        await _refuse(query, session, clock, member, "start", refused, action.night_id)
        return
    await query.answer()
    await show(query, screens.lobby_started(view))
    nights.launch(view.night_id)


@router.callback_query(ActionIs(screens.CancelNight))
async def on_cancel(
    query: CallbackQuery,
    action: screens.CancelNight,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
) -> None:
    try:
        await service.cancel_lobby(session, clock, member, action.night_id, _chat(query))
    except Refused as refused:
        await _refuse(query, session, clock, member, "cancel", refused, action.night_id)
        return
    await query.answer()
    await show(query, screens.lobby_closed())


@router.callback_query(ActionIs(screens.NightAnswer))
async def on_answer(
    query: CallbackQuery,
    action: screens.NightAnswer,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    nights: NightRunner,
) -> None:
    try:
        answered = await play.record_answer(
            session,
            clock,
            member,
            query.from_user.id,
            query.from_user.first_name,
            action.option,
            night_id=action.night_id,
            position=action.position,
            chat_id=_chat(query),
        )
    except Refused as refused:
        await _refuse(query, session, clock, member, "answer", refused, action.night_id)
        return
    await query.answer(t.answered_ok(t.LETTERS[action.option - 1]))
    _close_if_everyone(nights, answered)


@router.poll_answer()
async def on_poll_answer(
    answer: PollAnswer,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    nights: NightRunner,
) -> None:
    # A vote cannot be refused in the chat (Telegram keeps it); a refused one just scores
    # nothing. A quiz poll's vote cannot be taken back, so option_ids is never empty here.
    if answer.user is None or not answer.option_ids:
        return
    user, option = answer.user, answer.option_ids[0] + 1
    try:
        answered = await play.record_answer(
            session, clock, member, user.id, user.first_name, option, poll_id=answer.poll_id
        )
    except Refused as refused:
        # Telegram sends poll answers only to the bot that made the poll: an unknown one was
        # not stored yet. Even if the poll was stored a moment after the lookup (nothing in
        # flight any more), it must be tried again, or the answer is lost.
        if refused.reason != "unknown_poll":
            await _audit(session, clock, member, user.id, "answer", refused, answer.poll_id)
            return
    else:
        _close_if_everyone(nights, answered)
        return
    # The poll reached the group before its id was stored: answer again once it is.
    await session.rollback()
    await nights.poll_stored(POLL_STORED_WAIT)
    try:
        answered = await play.record_answer(
            session, clock, member, user.id, user.first_name, option, poll_id=answer.poll_id
        )
    except Refused as refused:
        await _audit(session, clock, member, user.id, "answer", refused, answer.poll_id)
        return
    _close_if_everyone(nights, answered)


@router.callback_query(ActionIs(screens.ResumeNight))
async def on_resume(
    query: CallbackQuery,
    action: screens.ResumeNight,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    nights: NightRunner,
) -> None:
    try:
        await night_pauses.resume_paused(session, clock, member, action.night_id)
    except Refused as refused:
        await _refuse(query, session, clock, member, "resume", refused, action.night_id)
        return
    await query.answer(t.resumed_by_host())
    nights.launch(action.night_id)


@router.callback_query(ActionIs(screens.StopNight))
async def on_stop_paused(
    query: CallbackQuery,
    action: screens.StopNight,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    nights: NightRunner,
) -> None:
    try:
        await night_pauses.stop_paused(session, clock, member, action.night_id)
    except Refused as refused:
        await _refuse(query, session, clock, member, "stop", refused, action.night_id)
        return
    await query.answer(t.stopped_by_host())
    nights.launch(action.night_id)  # the runner posts the end in the group


def _close_if_everyone(nights: NightRunner, answered: play.Answered) -> None:
    """The last player still to answer has: wake the night to close the question now."""
    if answered.everyone:
        nights.launch(answered.night_id)


async def _refuse(
    query: CallbackQuery,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    action: str,
    refused: Refused,
    night_id: int,
) -> None:
    """Answer a refused press privately (an alert only the presser sees), and audit it."""
    await _audit(session, clock, member, query.from_user.id, action, refused, night_id)
    await query.answer(t.refused(refused.reason), show_alert=True)


async def _refuse_message(
    message: Message,
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    action: str,
    refused: Refused,
) -> None:
    user_id = message.from_user.id if message.from_user else message.chat.id
    await night_refusals.record(
        session, clock, action, refused, member=member, user_id=user_id, chat_id=message.chat.id
    )
    await message.reply(t.refused(refused.reason))


async def _audit(
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    user_id: int,
    action: str,
    refused: Refused,
    night: int | str,
) -> None:
    """Every refusal is audited: a night's id, or the poll an answer named."""
    where = {"night_id": night} if isinstance(night, int) else {"poll_id": night}
    await night_refusals.record(
        session, clock, action, refused, member=member, user_id=user_id, **where
    )


def _chat(query: CallbackQuery) -> int:
    return query.message.chat.id if query.message else query.from_user.id
