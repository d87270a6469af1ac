"""Quiz nights, before the questions: hosts, the lobby, its settings, joining, start and stop.

The play itself (answers, closing a question, the podium, a restart) is in night_play.py.
Rights are checked here on every call: only the cell's secretary or deputy, or a member the
secretary named, hosts; the night belongs to the host's cell.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.clock import Clock
from bot.errors import NotFound
from bot.quiz_models import fits_poll
from bot.quizbank import QuizBanks
from bot.services import audit
from bot.services.night_banks import NightBank, find_bank, selectable_banks, tag
from bot.services.night_hosts import can_host, require_host
from bot.services.night_refusals import Refused
from db.models import Member, MemberStatus
from db.models.quiz_nights import (
    CANCELLED,
    FINISHED,
    LOBBY,
    PAUSED,
    RUNNING,
    QuizNight,
    QuizNightPlayer,
    QuizNightQuestion,
)

COUNTS = (3, 5, 10, 15, 20)
SECONDS = (10, 15, 20, 30, 45, 60)
DEFAULT_COUNT = 10
DEFAULT_SECONDS = 20
# Each join would edit the lobby's count; Telegram limits a group to 20 messages a minute, so
# the count is refreshed at most this often (and always when the night starts).
LOBBY_EDIT_EVERY = timedelta(seconds=5)
Setting = Literal["n", "s", "g", "v", "p"]  # count, seconds, guests, names shown, public votes


@dataclass(frozen=True)
class Lobby:
    night_id: int
    status: str
    bank_title: str
    count: int
    seconds: int
    allow_guests: bool
    show_names: bool
    players: int
    message_id: int | None
    public_votes: bool = False


@dataclass(frozen=True)
class Joined:
    lobby: Lobby
    late: bool  # joined while running: plays from the next question
    refresh: bool  # time to edit the lobby's count in the group


async def open_night(
    session: AsyncSession,
    clock: Clock,
    banks: QuizBanks,
    catalog: Catalog,
    member: Member | None,
    channel: str,
    chat_id: int,
) -> Lobby:
    """Open a lobby in this group for the host's cell, with the default settings. Commits."""
    if member is None or not await can_host(session, member):
        raise Refused("not_host")
    if await _open_in_chat(session, chat_id) is not None:
        raise Refused("already_open")
    choices = await selectable_banks(session, banks, catalog, member.unit_id)
    if not choices:
        raise Refused("no_bank")
    # The first bank that fills a night by default; the host may pick another.
    first = next((b for b in choices if len(b.questions) >= DEFAULT_COUNT), choices[0])
    night = QuizNight(
        unit_id=member.unit_id,
        channel=channel,
        chat_id=chat_id,
        host_member_id=member.id,
        bank_key=first.key,
        title=first.title,
        question_count=DEFAULT_COUNT,
        seconds=DEFAULT_SECONDS,
        allow_guests=False,
        show_names=True,
        public_votes=False,  # secret ballots unless the host chooses otherwise
        status=LOBBY,
        position=0,
        created_at=clock.now(),
        interrupted=False,
        resumed_count=0,
    )
    session.add(night)
    await session.flush()
    audit.record(session, clock, "quiz_night.open", actor_member_id=member.id, night_id=night.id)
    await session.commit()
    return await lobby(session, night.id)


async def lobby(session: AsyncSession, night_id: int) -> Lobby:
    """Return what the lobby message shows."""
    night = await _night(session, night_id)
    players = await session.scalar(
        select(func.count()).where(QuizNightPlayer.night_id == night.id)
    )
    return Lobby(
        night.id,
        night.status,
        night.title,
        night.question_count,
        night.seconds,
        night.allow_guests,
        night.show_names,
        players or 0,
        night.lobby_message_id,
        night.public_votes,
    )


async def hosted_lobby(
    session: AsyncSession, member: Member | None, night_id: int, chat_id: int
) -> Lobby:
    """Return the lobby for its host, pressed in its own group."""
    night = await _hosted(session, member, night_id, chat_id, LOBBY)
    return await lobby(session, night.id)


async def set_lobby_message(
    session: AsyncSession, clock: Clock, night_id: int, message_id: int
) -> None:
    """Remember the group message that shows the lobby. Commits."""
    night = await _night(session, night_id)
    night.lobby_message_id, night.lobby_edited_at = message_id, clock.now()
    await session.commit()


async def bank_choices(
    session: AsyncSession,
    banks: QuizBanks,
    catalog: Catalog,
    member: Member | None,
    night_id: int,
    chat_id: int,
) -> list[NightBank]:
    """Return the banks the host may pick for this night."""
    night = await _hosted(session, member, night_id, chat_id, LOBBY)
    return await selectable_banks(session, banks, catalog, night.unit_id)


async def choose_bank(
    session: AsyncSession,
    banks: QuizBanks,
    catalog: Catalog,
    member: Member | None,
    night_id: int,
    chat_id: int,
    index: int,
    check: int,
) -> Lobby:
    """Use the bank at `index` of bank_choices, if it is still the one shown (`check`, its
    night_banks.tag). Commits."""
    night = await _hosted(session, member, night_id, chat_id, LOBBY)
    choices = await selectable_banks(session, banks, catalog, night.unit_id)
    if not 0 <= index < len(choices):
        raise Refused("no_bank")
    if tag(choices[index].key) != check:
        raise Refused("bank_changed")
    night.bank_key, night.title = choices[index].key, choices[index].title
    await session.commit()
    return await lobby(session, night.id)


async def change_setting(
    session: AsyncSession, member: Member | None, night_id: int, chat_id: int, setting: Setting
) -> Lobby:
    """Step a setting to its next value (counts and seconds go round). Commits."""
    night = await _hosted(session, member, night_id, chat_id, LOBBY)
    if setting == "n":
        night.question_count = _next(COUNTS, night.question_count)
    elif setting == "s":
        night.seconds = _next(SECONDS, night.seconds)
    elif setting == "g":
        night.allow_guests = not night.allow_guests
    elif setting == "p":
        night.public_votes = not night.public_votes
    else:
        night.show_names = not night.show_names
    await session.commit()
    return await lobby(session, night.id)


async def join(
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    night_id: int,
    chat_id: int,
    user_id: int,
    first_name: str,
) -> Joined:
    """Add a player (a member of the cell, or a guest if allowed). Commits.

    Joining twice changes nothing; during a running night the player starts at the next
    question."""
    night = await _night(session, night_id)
    if night.chat_id != chat_id or night.status not in (LOBBY, RUNNING):
        raise Refused("not_open")
    player = await session.get(QuizNightPlayer, (night.id, user_id))
    late = night.status == RUNNING
    if player is None:
        player = await add_player(session, clock, night, member, user_id, first_name)
    now = clock.now()
    edited = night.lobby_edited_at
    refresh = not late and (edited is None or now - edited >= LOBBY_EDIT_EVERY)
    if refresh:
        night.lobby_edited_at = now
    await session.commit()
    return Joined(
        await lobby(session, night.id), late and player.first_position > night.position, refresh
    )


async def add_player(
    session: AsyncSession,
    clock: Clock,
    night: QuizNight,
    member: Member | None,
    user_id: int,
    first_name: str,
) -> QuizNightPlayer:
    """Add `user_id` to a night if they may play (does not commit)."""
    member_id = eligible(night, member)
    seq = await session.scalar(select(func.count()).where(QuizNightPlayer.night_id == night.id))
    player = QuizNightPlayer(
        night_id=night.id,
        user_id=user_id,
        member_id=member_id,
        seq=(seq or 0) + 1,
        display_name=first_name[:120] or str(user_id),
        joined_at=clock.now(),
        first_position=night.position + 1 if night.status == RUNNING else 0,
        score=0,
        correct_count=0,
        answered_count=0,
    )
    session.add(player)
    await session.flush()
    return player


def eligible(night: QuizNight, member: Member | None) -> int | None:
    """Return the member id of a player (None: a guest), or raise Refused."""
    active = member is not None and member.status is MemberStatus.ACTIVE
    if member is not None and active and member.unit_id == night.unit_id:
        return member.id
    if member is not None and active:
        raise Refused("other_cell")
    if not night.allow_guests:
        raise Refused("guests_off")
    return None


async def start_night(
    session: AsyncSession,
    clock: Clock,
    banks: QuizBanks,
    catalog: Catalog,
    member: Member | None,
    night_id: int,
    chat_id: int,
) -> Lobby:
    """Snapshot the questions and start the night. Commits."""
    night = await _hosted(session, member, night_id, chat_id, LOBBY)
    bank = await find_bank(session, banks, catalog, night.unit_id, night.bank_key)
    if bank is None or not bank.questions:
        raise Refused("no_bank")
    # A fixed draw for a night: the same questions if the start is retried.
    chosen = random.Random(night.id).sample(
        bank.questions, min(night.question_count, len(bank.questions))
    )
    for position, q in enumerate(chosen):
        session.add(
            QuizNightQuestion(
                night_id=night.id,
                position=position,
                question_id=q.id,
                text=q.text,
                options=list(q.options),
                correct=q.correct,
                explanation=q.explanation,
                citation=q.citation[:300],
                passage=q.passage,
                # Only a public night uses Telegram's quiz polls, which show who chose what.
                as_poll=night.public_votes and fits_poll(q.text, q.options),
            )
        )
    night.question_count = len(chosen)
    night.status, night.started_at, night.position = RUNNING, clock.now(), 0
    night.lobby_edited_at = clock.now()
    assert member is not None
    audit.record(session, clock, "quiz_night.start", actor_member_id=member.id, night_id=night.id)
    await session.commit()
    return await lobby(session, night.id)


async def stop_night(
    session: AsyncSession, clock: Clock, member: Member | None, chat_id: int
) -> int:
    """End this group's night early (a lobby is cancelled); return its id. Commits."""
    night = await _open_in_chat(session, chat_id)
    if night is None:
        raise Refused("not_open")
    await require_host(session, member, night)
    now = clock.now()
    if night.status == LOBBY:
        night.status, night.finished_at = CANCELLED, now
    else:
        await close_early(session, now, night)
    assert member is not None
    audit.record(session, clock, "quiz_night.stop", actor_member_id=member.id, night_id=night.id)
    await session.commit()
    return night.id


async def cancel_lobby(
    session: AsyncSession, clock: Clock, member: Member | None, night_id: int, chat_id: int
) -> None:
    """Cancel a night still in its lobby. Commits."""
    night = await _hosted(session, member, night_id, chat_id, LOBBY)
    night.status, night.finished_at = CANCELLED, clock.now()
    await session.commit()


async def close_early(session: AsyncSession, now: datetime, night: QuizNight) -> None:
    """Finish a running night now, keeping the scores so far (does not commit)."""
    question = await session.get(QuizNightQuestion, (night.id, night.position))
    if question is not None and question.asked_at is not None and question.closed_at is None:
        question.closed_at = now
    night.status, night.finished_at, night.interrupted = FINISHED, now, True


async def _open_in_chat(session: AsyncSession, chat_id: int) -> QuizNight | None:
    return await session.scalar(
        select(QuizNight)
        .where(QuizNight.chat_id == chat_id, QuizNight.status.in_((LOBBY, RUNNING, PAUSED)))
        .order_by(QuizNight.id.desc())
        .limit(1)
    )


async def _night(session: AsyncSession, night_id: int) -> QuizNight:
    # Fresh from the database: the runner or another press may have changed it meanwhile.
    night = await session.get(QuizNight, night_id, populate_existing=True)
    if night is None:
        raise NotFound("quiz night")
    return night


async def _hosted(
    session: AsyncSession, member: Member | None, night_id: int, chat_id: int, status: str
) -> QuizNight:
    night = await _night(session, night_id)
    if night.chat_id != chat_id or night.status != status:
        raise Refused("not_open")
    await require_host(session, member, night)
    return night


def _next(values: tuple[int, ...], current: int) -> int:
    later = [v for v in values if v > current]
    return later[0] if later else values[0]
