"""Joining a cell: redeem an invite, confirm the name, pick a lesson time, accept the notice.

The step a newcomer is on is derived from their member row, not from chat state, so a restart
in the middle of joining loses nothing.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import AlreadyMember, InvalidInput, NotAllowed
from bot.services import audit, invites, quiet
from bot.services.quiet import quiet_of
from bot.textnorm import clean, fold, has_control_chars, is_blank
from db.models import ChannelIdentity, Member, MemberStatus

NAME_MAX = 80
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:h.]|gio)?\s*(\d{2})?\s*(?:phut|p)?$")


class Step(enum.StrEnum):
    NAME = "name"
    TIME = "time"
    CONSENT = "consent"
    DONE = "done"


@dataclass(frozen=True)
class Identity:
    channel: str
    user_id: int
    chat_id: int
    display_name: str | None


@dataclass(frozen=True)
class Progress:
    member_id: int
    step: Step
    full_name: str
    cell_name: str
    lesson_time: time | None


async def find_member(session: AsyncSession, channel: str, user_id: int) -> Member | None:
    """Return the member behind a channel user id, if any."""
    return await session.scalar(
        select(Member)
        .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
        .where(ChannelIdentity.channel == channel, ChannelIdentity.external_user_id == user_id)
    )


def progress(member: Member) -> Progress:
    """Return where `member` stands in joining."""
    if not member.name_confirmed:
        step = Step.NAME
    elif member.lesson_time is None:
        step = Step.TIME
    elif member.consent_at is None:
        step = Step.CONSENT
    else:
        step = Step.DONE
    return Progress(member.id, step, member.full_name or "", member.unit.name, member.lesson_time)


async def redeem_invite(session: AsyncSession, clock: Clock, code: str, who: Identity) -> Progress:
    """Use an invite: the person becomes a member of its cell, at the first joining step."""
    existing = await find_member(session, who.channel, who.user_id)
    if existing is not None:
        raise AlreadyMember(existing.unit.name)
    invite = await invites.check_invite(session, clock, code)
    await invites.take_use(session, invite)
    now = clock.now()
    proposed = invite.full_name or _usable_name(who.display_name)
    member = Member(
        unit_id=invite.unit_id,
        role=invite.role,
        status=MemberStatus.ONBOARDING,
        full_name=proposed,
        name_confirmed=False,
        joined_at=now,
        invite_id=invite.id,
    )
    session.add(member)
    await session.flush()
    session.add(
        ChannelIdentity(
            member_id=member.id,
            channel=who.channel,
            external_user_id=who.user_id,
            chat_id=who.chat_id,
            display_name=who.display_name,
            created_at=now,
        )
    )
    audit.record(session, clock, "invite.redeem", actor_member_id=member.id, invite_id=invite.id)
    await session.commit()
    await session.refresh(member, ["unit"])
    return progress(member)


async def confirm_name(session: AsyncSession, member: Member, typed: str | None) -> Progress:
    """Confirm the proposed name (`typed` None) or replace it with a typed one."""
    _require_joining(member)
    if typed is not None:
        member.full_name = parse_name(typed)
    elif not member.full_name:
        raise InvalidInput("no name to confirm")
    member.name_confirmed = True
    await session.commit()
    return progress(member)


async def set_lesson_time(session: AsyncSession, member: Member, value: time) -> Progress:
    """Set the member's daily lesson time (during joining or later)."""
    if member.status is MemberStatus.INACTIVE:
        raise NotAllowed("inactive")
    if quiet_of(member).covers(value):
        raise InvalidInput(quiet.INSIDE)
    member.lesson_time = value
    await session.commit()
    return progress(member)


async def give_consent(session: AsyncSession, clock: Clock, member: Member) -> Progress:
    """Record consent to the privacy notice; the member becomes active."""
    _require_joining(member)
    state = progress(member)
    if state.step is not Step.CONSENT:
        return state
    member.consent_at = clock.now()
    member.status = MemberStatus.ACTIVE
    audit.record(session, clock, "member.consent", actor_member_id=member.id)
    await session.commit()
    return progress(member)


def parse_name(text: str) -> str:
    """Return a cleaned full name, or raise InvalidInput."""
    if has_control_chars(text):
        raise InvalidInput("control characters")
    name = clean(text)
    if is_blank(name) or not 2 <= len(name) <= NAME_MAX or not _NAME_CHARS.match(name):
        raise InvalidInput("not a name")
    return " ".join(part[:1].upper() + part[1:] for part in name.split(" "))


def parse_time(text: str) -> time:
    """Return the time in "19:30", "19h30", "7h", "7 gio 15"; raise InvalidInput otherwise."""
    match = _TIME.match(fold(text).replace(" h", "h")) if len(text) <= 20 else None
    if match is None:
        # fold() turns ":" into a space; accept "19 30" only as two numbers.
        parts = fold(text).split(" ") if len(text) <= 20 else []
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            match = _TIME.match(f"{parts[0]}h{parts[1]}")
    if match is None:
        raise InvalidInput("not a time")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise InvalidInput("out of range")
    return time(hour, minute)


def _usable_name(display_name: str | None) -> str | None:
    try:
        return parse_name(display_name) if display_name else None
    except InvalidInput:
        return None


def _require_joining(member: Member) -> None:
    if member.status is MemberStatus.INACTIVE:
        raise NotAllowed("inactive")
