"""Quiz nights after a restart, or when their group is lost or moves: pick up, go on, close."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import NotFound
from bot.services import audit
from bot.services.quiz_nights import close_early
from db.models.quiz_nights import FINISHED, RUNNING, QuizNight, QuizNightQuestion

# After a restart, a night whose question should have closed more than this long ago is closed
# with the results so far rather than continued: the group has moved on.
RESUME_WITHIN = timedelta(minutes=10)
# The podium "message" of a night whose group could not be reached: Telegram's message ids
# start at 1, and a night with any podium id is never picked up again.
NOT_POSTED = 0


async def running_nights(session: AsyncSession) -> list[int]:
    """Return the nights to pick up after a restart (running, or finished but not announced)."""
    rows = await session.scalars(
        select(QuizNight.id).where(
            (QuizNight.status == RUNNING)
            | ((QuizNight.status == FINISHED) & QuizNight.podium_message_id.is_(None))
        )
    )
    return list(rows)


async def resume(
    session: AsyncSession, clock: Clock, night_id: int
) -> Literal["continue", "closed", "done"]:
    """After a restart: continue a night, or close it with the results so far. Commits.

    "done": nothing to say (it had finished already)."""
    night = await _night(session, night_id)
    if night.status != RUNNING:
        return "done"
    question = await session.get(QuizNightQuestion, (night.id, night.position))
    since = (question.closes_at if question else None) or night.started_at or night.created_at
    if clock.now() - since > RESUME_WITHIN:
        await close_early(session, clock.now(), night)
        await session.commit()
        return "closed"
    night.resumed_count += 1
    night.resumed_at = clock.now()
    await session.commit()
    return "continue"


async def give_up_group(session: AsyncSession, clock: Clock, night_id: int) -> None:
    """The group refuses the bot (removed, or no right to post): close the night where it
    stands and post nothing more there; its results go privately instead. Does not commit."""
    night = await _night(session, night_id)
    if night.status == RUNNING:
        await close_early(session, clock.now(), night)
    night.podium_message_id = NOT_POSTED
    audit.record(session, clock, "quiz_night.group_lost", night_id=night.id)


async def move_group(session: AsyncSession, clock: Clock, night_id: int, chat_id: int) -> None:
    """The night's group became a supergroup (a new chat id, the same people): the night goes
    on there, and answers and buttons from the new chat count. Commits."""
    night = await _night(session, night_id)
    audit.record(
        session, clock, "quiz_night.group_moved", night_id=night.id, from_chat=night.chat_id
    )
    night.chat_id = chat_id
    await session.commit()


async def _night(session: AsyncSession, night_id: int) -> QuizNight:
    """The night as the database holds it now (another process may have moved it)."""
    night = await session.get(QuizNight, night_id, populate_existing=True)
    if night is None:
        raise NotFound("quiz night")
    return night
