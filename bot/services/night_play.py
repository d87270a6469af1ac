"""Quiz nights, during the questions: answers, closing a question, the podium, restarts.

The runner (bot/delivery/quiz_night_runner.py) moves a night through its states, each one
committed, so a restart continues where it stood: asked → closed → results posted → next
question, and after the last one the podium. The answer path is kept short (it runs once per
player per question): one indexed lookup, one INSERT that the primary key makes "first answer
counts", one UPDATE of the player's score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import NotFound
from bot.services.night_refusals import Refused
from bot.services.night_scores import Ranked, Standing, points, ranked
from bot.services.quiz_nights import add_player
from db.dialect import insert_ignoring_duplicates
from db.models import Member
from db.models.quiz_nights import (
    FINISHED,
    RUNNING,
    QuizNight,
    QuizNightAnswer,
    QuizNightPlayer,
    QuizNightQuestion,
)


@dataclass(frozen=True)
class Answered:
    night_id: int
    position: int
    correct: bool
    points: int
    everyone: bool = False  # this was the last player still to answer: close the question


@dataclass(frozen=True)
class Step:
    """Where a night stands, for the runner."""

    night_id: int
    chat_id: int
    status: str
    position: int
    count: int
    seconds: int
    asked_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    results_sent: bool
    # The previous question's close (or the start): the next question waits a pause after it.
    settled_at: datetime | None
    podium_sent: bool
    as_poll: bool = False  # the current question is a native poll (a public night)


@dataclass(frozen=True)
class Asking:
    night_id: int
    position: int
    count: int
    seconds: int
    text: str
    options: tuple[str, ...]
    correct: int  # 1-based
    explanation: str
    as_poll: bool


@dataclass(frozen=True)
class QuestionResult:
    night_id: int
    position: int
    count: int
    text: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    citation: str
    passage: str
    chosen: tuple[int, ...]  # how many chose each option: counts only, never who
    answered: int
    players: int
    board: list[Ranked]
    show_names: bool


@dataclass(frozen=True)
class Podium:
    night_id: int
    unit_id: int
    title: str
    played: int  # questions closed
    count: int
    interrupted: bool
    board: list[Ranked]
    show_names: bool


async def record_answer(
    session: AsyncSession,
    clock: Clock,
    member: Member | None,
    user_id: int,
    first_name: str,
    option: int,
    *,
    poll_id: str | None = None,
    night_id: int | None = None,
    position: int | None = None,
    chat_id: int | None = None,
) -> Answered:
    """Count a player's first answer (a poll's `poll_id`, or a button's night and position).

    Raises Refused for a second answer, a late one, another night's button, a member of
    another cell or a guest where guests are off; a refused answer changes no score. Commits.
    """
    query = select(QuizNightQuestion, QuizNight).join(
        QuizNight, QuizNight.id == QuizNightQuestion.night_id
    )
    if poll_id is not None:
        query = query.where(QuizNightQuestion.poll_id == poll_id)
    else:
        query = query.where(
            QuizNightQuestion.night_id == night_id, QuizNightQuestion.position == position
        )
    found = (await session.execute(query)).first()
    if found is None:
        raise Refused("unknown_poll" if poll_id is not None else "not_open")
    question, night = found
    if chat_id is not None and night.chat_id != chat_id:
        raise Refused("not_open")  # a button copied from another group
    now = clock.now()
    if night.status != RUNNING or night.position != question.position:
        raise Refused("late")
    if question.asked_at is None or question.closed_at is not None:
        raise Refused("late")
    # Telegram closes a poll itself: every vote it delivers was cast in time. A button's time
    # is checked here, by when the press arrives; a press Telegram kept while the bot was down
    # (the night was taken up after the question was asked, and is not closed yet: the runner
    # waits for those first) may have been made in time, and gets the benefit of the doubt.
    kept = night.resumed_at is not None and question.asked_at <= night.resumed_at
    if not question.as_poll and question.closes_at is not None and now > question.closes_at:
        if not kept:
            raise Refused("late")
        now = question.closes_at
    if not 1 <= option <= len(question.options):
        raise Refused("not_open")
    player = await session.get(QuizNightPlayer, (night.id, user_id))
    if player is None:
        # Answering is joining: from the next question, as for anyone joining late.
        await add_player(session, clock, night, member, user_id, first_name)
        await session.commit()
        raise Refused("joined_late")
    if player.first_position > question.position:
        raise Refused("joined_late")
    elapsed = int((now - question.asked_at).total_seconds() * 1000)
    right = option == question.correct
    earned = points(correct=right, elapsed_ms=elapsed, seconds=night.seconds)
    inserted = await session.execute(
        insert_ignoring_duplicates(
            session,
            QuizNightAnswer.__table__,
            {
                "night_id": night.id,
                "position": question.position,
                "user_id": user_id,
                "option": option,
                "correct": right,
                "elapsed_ms": max(0, min(elapsed, night.seconds * 1000)),
                "points": earned,
                "answered_at": now,
            },
        )
    )
    if getattr(inserted, "rowcount", 0) != 1:
        await session.rollback()
        raise Refused("answered")
    await session.execute(
        update(QuizNightPlayer)
        .where(QuizNightPlayer.night_id == night.id, QuizNightPlayer.user_id == user_id)
        .values(
            score=QuizNightPlayer.score + earned,
            correct_count=QuizNightPlayer.correct_count + int(right),
            answered_count=QuizNightPlayer.answered_count + 1,
        )
        .execution_options(synchronize_session=False)
    )
    everyone = await everyone_answered(session, night.id, question.position)
    await session.commit()
    return Answered(night.id, question.position, right, earned, everyone)


async def everyone_answered(session: AsyncSession, night_id: int, position: int) -> bool:
    """Whether every player who may answer question `position` (late joiners may not) has."""
    expected = await session.scalar(
        select(func.count())
        .select_from(QuizNightPlayer)
        .where(QuizNightPlayer.night_id == night_id, QuizNightPlayer.first_position <= position)
    )
    return bool(expected) and await answer_count(session, night_id, position) == expected


async def answer_count(session: AsyncSession, night_id: int, position: int) -> int:
    """Return how many have answered question `position` (a count: never who, never what)."""
    found = await session.scalar(
        select(func.count())
        .select_from(QuizNightAnswer)
        .where(QuizNightAnswer.night_id == night_id, QuizNightAnswer.position == position)
    )
    return found or 0


async def step(session: AsyncSession, night_id: int) -> Step | None:
    """Return where a night stands, or None if there is no such night."""
    night = await session.get(QuizNight, night_id, populate_existing=True)
    if night is None:
        return None
    question = await session.get(
        QuizNightQuestion, (night.id, night.position), populate_existing=True
    )
    before = (
        await session.get(QuizNightQuestion, (night.id, night.position - 1))
        if night.position > 0
        else None
    )
    return Step(
        night.id,
        night.chat_id,
        night.status,
        night.position,
        night.question_count,
        night.seconds,
        question.asked_at if question else None,
        question.closes_at if question else None,
        question.closed_at if question else None,
        question is not None and question.results_message_id is not None,
        before.closed_at if before else night.started_at,
        night.podium_message_id is not None,
        question is not None and question.as_poll,
    )


async def asking(session: AsyncSession, night_id: int) -> Asking:
    """Return the question to send now."""
    night, question = await _current(session, night_id)
    return Asking(
        night.id,
        question.position,
        night.question_count,
        night.seconds,
        question.text,
        tuple(question.options),
        question.correct,
        question.explanation,
        question.as_poll,
    )


async def mark_asked(
    session: AsyncSession, clock: Clock, night_id: int, message_id: int, poll_id: str | None
) -> datetime:
    """Record that the current question was sent; return when it closes. Commits."""
    night, question = await _current(session, night_id)
    now = clock.now()
    question.message_id, question.poll_id = message_id, poll_id
    question.asked_at, question.closes_at = now, now + timedelta(seconds=night.seconds)
    await session.commit()
    return question.closes_at


async def question_message(session: AsyncSession, night_id: int) -> int | None:
    """Return the message id of the current question as sent."""
    _, question = await _current(session, night_id)
    return question.message_id


async def close_question(session: AsyncSession, clock: Clock, night_id: int) -> None:
    """Close the current question: later answers are refused. Commits."""
    _, question = await _current(session, night_id)
    if question.closed_at is None:
        question.closed_at = clock.now()
        await session.commit()


async def result(session: AsyncSession, night_id: int, position: int) -> QuestionResult:
    """Return a closed question's answer, how many chose each option and the leaderboard."""
    night = await _night(session, night_id)
    question = await session.get(QuizNightQuestion, (night_id, position))
    if question is None:
        raise NotFound("question")
    rows = await session.execute(
        select(QuizNightAnswer.option, func.count())
        .where(QuizNightAnswer.night_id == night_id, QuizNightAnswer.position == position)
        .group_by(QuizNightAnswer.option)
    )
    by_option: dict[int, int] = dict(rows.all())
    chosen = tuple(by_option.get(n, 0) for n in range(1, len(question.options) + 1))
    board = await leaderboard(session, night_id)
    return QuestionResult(
        night.id,
        position,
        night.question_count,
        question.text,
        tuple(question.options),
        question.correct,
        question.explanation,
        question.citation,
        question.passage,
        chosen,
        sum(chosen),
        len(board),
        board,
        night.show_names,
    )


async def mark_results_sent(session: AsyncSession, night_id: int, message_id: int) -> None:
    """Record that the current question's results are in the group. Commits."""
    _, question = await _current(session, night_id)
    question.results_message_id = message_id
    await session.commit()


async def advance(session: AsyncSession, clock: Clock, night_id: int) -> bool:
    """Move to the next question; after the last, finish. Return whether one is left. Commits."""
    night = await _night(session, night_id)
    if night.position + 1 < night.question_count:
        night.position += 1
        await session.commit()
        return True
    night.status, night.finished_at = FINISHED, clock.now()
    await session.commit()
    return False


async def podium(session: AsyncSession, night_id: int) -> Podium:
    """Return the final standings of a night."""
    night = await _night(session, night_id)
    played = await session.scalar(
        select(func.count()).where(
            QuizNightQuestion.night_id == night_id, QuizNightQuestion.closed_at.is_not(None)
        )
    )
    return Podium(
        night.id,
        night.unit_id,
        night.title,
        played or 0,
        night.question_count,
        night.interrupted,
        await leaderboard(session, night_id),
        night.show_names,
    )


async def mark_podium_sent(session: AsyncSession, night_id: int, message_id: int) -> None:
    """Record that the end was posted (does not commit: the private results go with it)."""
    night = await _night(session, night_id)
    night.podium_message_id = message_id


async def leaderboard(session: AsyncSession, night_id: int) -> list[Ranked]:
    """Return every player of a night, ranked (equal scores share a rank)."""
    players = await session.scalars(
        select(QuizNightPlayer)
        .where(QuizNightPlayer.night_id == night_id)
        .order_by(QuizNightPlayer.seq)
    )
    return ranked(
        Standing(
            p.user_id,
            p.display_name,
            p.seq,
            p.member_id is None,
            p.score,
            p.correct_count,
            p.answered_count,
        )
        for p in players
    )


async def _night(session: AsyncSession, night_id: int) -> QuizNight:
    night = await session.get(QuizNight, night_id, populate_existing=True)
    if night is None:
        raise NotFound("quiz night")
    return night


async def _current(session: AsyncSession, night_id: int) -> tuple[QuizNight, QuizNightQuestion]:
    night = await _night(session, night_id)
    question = await session.get(
        QuizNightQuestion, (night.id, night.position), populate_existing=True
    )
    if question is None:
        raise NotFound("question")
    return night, question
