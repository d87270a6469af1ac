"""Quiz nights paused because a group send kept an unknown outcome: the host resumes or stops.

Re-sending blindly would post the same question again and again (Telegram may have taken
each copy); after a few tries the runner pauses the night instead and asks the host.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import NotFound
from bot.services import audit
from bot.services.night_hosts import require_host
from bot.services.night_refusals import Refused
from bot.services.quiz_nights import close_early
from db.models import Member
from db.models.quiz_nights import PAUSED, RUNNING, QuizNight


@dataclass(frozen=True)
class Paused:
    number: int  # the night's how-many-th pause: each is told once
    title: str
    position: int  # 0-based, the question it stopped at


async def pause(session: AsyncSession, clock: Clock, night_id: int) -> Paused | None:
    """Pause a running night (None: it was not running). Does not commit."""
    night = await _night(session, night_id)
    if night.status != RUNNING:
        return None
    night.status = PAUSED
    night.paused_count += 1
    audit.record(session, clock, "quiz_night.paused", night_id=night.id)
    return Paused(night.paused_count, night.title, night.position)


async def resume_paused(
    session: AsyncSession, clock: Clock, member: Member | None, night_id: int
) -> None:
    """Let the host (or the cell's secretary) go on with a paused night. Commits."""
    night = await _paused(session, member, night_id)
    night.status = RUNNING
    assert member is not None
    audit.record(session, clock, "quiz_night.resume", actor_member_id=member.id, night_id=night.id)
    await session.commit()


async def stop_paused(
    session: AsyncSession, clock: Clock, member: Member | None, night_id: int
) -> None:
    """End a paused night with the scores so far; the runner posts its end. Commits."""
    night = await _paused(session, member, night_id)
    await close_early(session, clock.now(), night)
    assert member is not None
    audit.record(session, clock, "quiz_night.stop", actor_member_id=member.id, night_id=night.id)
    await session.commit()


async def _paused(session: AsyncSession, member: Member | None, night_id: int) -> QuizNight:
    night = await _night(session, night_id)
    await require_host(session, member, night)
    if night.status != PAUSED:
        raise Refused("not_paused")
    return night


async def _night(session: AsyncSession, night_id: int) -> QuizNight:
    night = await session.get(QuizNight, night_id, populate_existing=True)
    if night is None:
        raise NotFound("quiz night")
    return night
