"""Reminder rules of a unit: which reminders go, at what time, how many days ahead.

A secretary sets their cell's; a committee admin sets a committee's, which every cell below
without its own setting follows; otherwise the defaults hold. Rights are checked here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import InvalidInput
from bot.services import access, audit
from db.models import Member, OutboxMessage, OutboxStatus, ReminderRule

CHECKIN_OPEN = "checkin_open"  # the month's check-in window has opened
CHECKIN_NUDGE = "checkin_nudge"  # some days before the deadline, to those who have not sent it
CHECKIN_DEADLINE = "checkin_deadline"  # on the deadline day, to those who have not sent it
MEETING_DAY = "meeting_day"  # the morning of the cell's monthly meeting
QUIZ_NIGHT = "quiz_night"  # a quiz night's lobby opened in the cell's group: come and play
KINDS = (CHECKIN_OPEN, CHECKIN_NUDGE, CHECKIN_DEADLINE, MEETING_DAY, QUIZ_NIGHT)
TIMELESS = frozenset({QUIZ_NIGHT})  # sent when the event happens, not at a time of day
DAYS_BEFORE = (1, 2, 3, 5, 7)  # what a secretary may choose for the nudge
# Outbox keys: (member, kind, month), so each reminder goes once a member a month.
NUDGE_KEY, DEADLINE_KEY, MEETING_KEY = "checkin-nudge", "checkin-deadline", "meeting"


@dataclass(frozen=True)
class Rule:
    kind: str
    enabled: bool
    at: time  # local time of day
    days_before: int = 0  # only the nudge uses it
    set_on: int | None = None  # the unit whose setting this is; None: the default


DEFAULTS = {
    CHECKIN_OPEN: Rule(CHECKIN_OPEN, True, time(8, 0)),
    CHECKIN_NUDGE: Rule(CHECKIN_NUDGE, True, time(19, 30), 3),
    CHECKIN_DEADLINE: Rule(CHECKIN_DEADLINE, True, time(8, 0)),
    MEETING_DAY: Rule(MEETING_DAY, True, time(7, 0)),
    QUIZ_NIGHT: Rule(QUIZ_NIGHT, True, time(0, 0)),
}


async def effective(session: AsyncSession, unit_id: int) -> dict[str, Rule]:
    """The rules a unit follows: its own, else the nearest committee's, else the default."""
    chain = await access.ancestors(session, unit_id)  # the unit first, then upwards
    rows = await session.scalars(select(ReminderRule).where(ReminderRule.unit_id.in_(chain)))
    by_unit: dict[tuple[int, str], ReminderRule] = {(r.unit_id, r.kind): r for r in rows}
    rules: dict[str, Rule] = {}
    for kind in KINDS:
        row = next((by_unit[(u, kind)] for u in chain if (u, kind) in by_unit), None)
        rules[kind] = (
            DEFAULTS[kind]
            if row is None
            else Rule(kind, row.enabled, row.at, row.days_before, row.unit_id)
        )
    return rules


async def change(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    unit_id: int,
    kind: str,
    *,
    enabled: bool | None = None,
    at: time | None = None,
    days_before: int | None = None,
) -> Rule:
    """Change one rule of a unit the actor manages. Commits."""
    manager = await access.require_manager(session, actor, unit_id)
    if kind not in KINDS:
        raise InvalidInput("unknown reminder")
    if kind in TIMELESS and at is not None:
        raise InvalidInput("no time for this reminder")
    if days_before is not None and days_before not in DAYS_BEFORE:
        raise InvalidInput("days out of range")
    current = (await effective(session, unit_id))[kind]
    rule = replace(
        current,
        enabled=current.enabled if enabled is None else enabled,
        at=current.at if at is None else at,
        days_before=current.days_before if days_before is None else days_before,
        set_on=unit_id,
    )
    row = await session.get(ReminderRule, (unit_id, kind))
    if row is None:
        row = ReminderRule(unit_id=unit_id, kind=kind)
        session.add(row)
    row.enabled, row.at, row.days_before = rule.enabled, rule.at, rule.days_before
    row.updated_at, row.updated_by_id = clock.now(), manager.id
    audit.record(
        session,
        clock,
        "reminder.change",
        actor_member_id=manager.id,
        unit_id=unit_id,
        kind=kind,
        enabled=rule.enabled,
        at=rule.at.isoformat(timespec="minutes"),
        days_before=rule.days_before,
    )
    await session.commit()
    return rule


async def nudged(
    session: AsyncSession, actor: Member, unit_id: int, month: str
) -> list[tuple[str, list[str]]]:
    """Who in the cell got which check-in reminder for `month`, by name (sent ones only)."""
    await access.require_manager(session, actor, unit_id)
    prefixes = {
        "checkin-open": CHECKIN_OPEN,
        NUDGE_KEY: CHECKIN_NUDGE,
        DEADLINE_KEY: CHECKIN_DEADLINE,
    }
    rows = await session.execute(
        select(Member.id, Member.full_name, OutboxMessage.key)
        .join(OutboxMessage, OutboxMessage.member_id == Member.id)
        .where(
            Member.unit_id == unit_id,
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.key.like(f"checkin-%:{month}"),
        )
        .order_by(Member.full_name, Member.id, OutboxMessage.id)
    )
    found: dict[int, tuple[str, list[str]]] = {}
    for member_id, name, key in rows.all():
        kind = prefixes.get(key.split(":", 1)[0])
        if kind is not None:
            found.setdefault(member_id, (name or "", []))[1].append(kind)
    return list(found.values())
