"""A member's reminder preferences: lesson time, quiet hours, a pause, and their time zone;
a change moves what is already queued for them (`retime`).

Quiet hours hold back everything scheduled (lessons, nudges, announcements); a member's own
direct answers are never held. A window may cross midnight (21:30–06:30, the default).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import InvalidInput, NotAllowed
from bot.services import audit, quiet
from bot.services.onboarding import parse_time
from bot.services.quiet import Quiet, quiet_of
from bot.textnorm import nfc
from db.models import Member, MemberStatus, OutboxMessage, OutboxStatus

PAUSE_DAYS = 7
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|>|\bđến\b|\bden\b|\btới\b|\btoi\b)\s*")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?:[: h]?(\d{2}))?$")


def zone(name: str | None, default: tzinfo) -> tzinfo:
    """The tzinfo of a stored zone name: an IANA name or a fixed offset like "UTC+09:00"."""
    if not name:
        return default
    offset = _OFFSET.match(name.lower())
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        delta = timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0))
        return timezone(sign * delta, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default


def zone_of(member: Member, default: tzinfo) -> tzinfo:
    return zone(member.timezone, default)


def parse_zone(text: str) -> str:
    """Return a storable zone name for "Asia/Tokyo", "UTC+9", "gmt -5", "+7"; else InvalidInput."""
    typed = text.strip()
    if len(typed) > 40:
        raise InvalidInput("too long")
    offset = _OFFSET.match(nfc(typed).lower().replace(" ", ""))  # fold() would drop the sign
    if offset:
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes >= 60 or minutes % 15:
            raise InvalidInput("offset out of range")
        return f"UTC{offset.group(1)}{hours:02d}:{minutes:02d}"
    by_folded = {name.lower(): name for name in available_timezones()}
    name = by_folded.get(typed.replace(" ", "_").lower())
    if name is None:
        raise InvalidInput("unknown zone")
    return name


def parse_quiet(text: str) -> Quiet:
    """Return the window in "22:00-06:00", "22h den 6h", "21h30 – 6h30"; else InvalidInput."""
    # Split before folding: fold() drops the dashes that separate the two times.
    parts = _RANGE_SPLIT.split(nfc(text).strip().lower()) if len(text) <= 40 else []
    if len(parts) != 2:
        raise InvalidInput("not a range")
    quiet = Quiet(parse_time(parts[0]), parse_time(parts[1]))
    if quiet.start == quiet.end:
        raise InvalidInput("empty window")
    return quiet


def paused(member: Member, now: datetime) -> bool:
    return member.paused_until is not None and member.paused_until > now


async def set_lesson_time(
    session: AsyncSession, clock: Clock, tz: tzinfo, member: Member, value: time
) -> None:
    """Change the daily lesson time; a time inside the member's quiet hours is refused."""
    _require_active(member)
    if quiet_of(member).covers(value):
        raise InvalidInput(quiet.INSIDE)
    member.lesson_time = value
    await _retime(session, clock, tz, member)


async def set_quiet(
    session: AsyncSession, clock: Clock, tz: tzinfo, member: Member, window: Quiet
) -> None:
    """Change the quiet hours; a window that would hide the lesson time is refused."""
    _require_active(member)
    if window.start == window.end:
        raise InvalidInput("empty window")
    if member.lesson_time is not None and window.covers(member.lesson_time):
        raise InvalidInput(quiet.HIDES_LESSON)
    member.quiet_start, member.quiet_end = window.start, window.end
    await _retime(session, clock, tz, member)


async def set_zone(
    session: AsyncSession, clock: Clock, tz: tzinfo, member: Member, name: str | None
) -> None:
    """Change the member's zone (None: the bot's own)."""
    _require_active(member)
    member.timezone = name
    await _retime(session, clock, tz, member)


async def pause(
    session: AsyncSession, clock: Clock, tz: tzinfo, member: Member, days: int
) -> datetime:
    """Hold every reminder for `days` days (the daily lesson included); return the end."""
    _require_active(member)
    if not 1 <= days <= 90:
        raise InvalidInput("pause out of range")
    member.paused_until = clock.now() + timedelta(days=days)
    audit.record(session, clock, "member.pause", actor_member_id=member.id, days=days)
    await _retime(session, clock, tz, member)
    return member.paused_until


async def resume(session: AsyncSession, clock: Clock, tz: tzinfo, member: Member) -> None:
    """End the pause now."""
    _require_active(member)
    member.paused_until = None
    audit.record(session, clock, "member.resume", actor_member_id=member.id)
    await _retime(session, clock, tz, member)


async def _retime(session: AsyncSession, clock: Clock, tz: tzinfo, member: Member) -> None:
    """Move what is queued for the member to their new times, with the change. Commits."""
    await retime(session, clock, member, tz)
    await session.commit()


# Pending reminders follow a member's new times. A row is queued with the time its rule fell
# due, held to the end of quiet hours; when the member changes their settings before it goes,
# its due time is worked out again from the condition stored with it (bot/delivery/conditions:
# `kind`, `at`, `day`): a lesson from the new lesson time on its day, anything else from when
# it fell due; then past a pause and out of the new quiet hours, in the member's zone now. Rows
# a sender has already claimed are left to it (they go within seconds, checked just before).
LESSON, MERGED = "lesson", "merged"  # condition kinds, as bot/delivery/conditions names them


async def retime(session: AsyncSession, clock: Clock, member: Member, tz: tzinfo) -> int:
    """Move the member's pending, unclaimed rows to their times under the current settings;
    return how many moved. Does not commit."""
    now = clock.now()
    rows = await session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.member_id == member.id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.claimed_at.is_(None),
            OutboxMessage.condition.is_not(None),
        )
    )
    local_zone = zone_of(member, tz)
    quiet = quiet_of(member)
    moved = 0
    for row in rows:
        assert row.condition is not None
        start = max(_natural(row, member, local_zone), now)
        if member.paused_until is not None and member.paused_until > start:
            start = member.paused_until
        due = quiet.next_allowed(start.astimezone(local_zone)).astimezone(UTC)
        if due != row.due_at:
            row.due_at = due
            moved += 1
    return moved


def _natural(row: OutboxMessage, member: Member, local_zone: tzinfo) -> datetime:
    """When the row would be due with no quiet hours and no pause: when its rule fell due,
    or for a lesson whose member chose another time, that time on its day."""
    condition = row.condition or {}
    item = condition
    if condition.get("kind") == MERGED:
        items = condition.get("items")
        item = items[0] if isinstance(items, list) and items else {}
    chosen = member.lesson_time.isoformat("minutes") if member.lesson_time else None
    if item.get("kind") == LESSON and chosen is not None and item.get("time") != chosen:
        assert member.lesson_time is not None
        natural = datetime.combine(date.fromisoformat(str(item["day"])), member.lesson_time)
        natural = natural.replace(tzinfo=local_zone)
        if item is condition:  # later changes start from the new time
            at = natural.astimezone(UTC).isoformat()
            row.condition = {**condition, "time": chosen, "at": at}
        return natural
    fell_due = item.get("at")
    if isinstance(fell_due, str):
        return datetime.fromisoformat(fell_due)
    return datetime.min.replace(tzinfo=UTC)


def _require_active(member: Member) -> None:
    if member.status is not MemberStatus.ACTIVE:
        raise NotAllowed("inactive")
