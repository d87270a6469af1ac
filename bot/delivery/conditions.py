"""What a queued row needs to still be true when it is sent, stored with it as JSON.

Kinds and keys are shared with bot/services/retiming (which moves pending rows when a member
changes their times) and bot/delivery/recheck (which checks them just before the send):
`kind`, `member`, `at` (ISO UTC: when the rule fell due, before quiet hours held it), and
per kind `day` (local date), `time` (the lesson time it was queued for), `month`, `unit`,
`deadline`, `lesson`, `line`, `period`, `key`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from bot.services import reminders

LESSON = "lesson"
NOTICE = "notice"  # something someone else did: true until the member leaves or blocks
DIGEST = "digest"  # rendered when sent, from the numbers as they are then
MERGED = "merged"  # several items of one member, each with its own payload
SECRETARY_NUDGE = "secretary_nudge"  # "Nhắc người chưa nộp": may go after the deadline too
CHECKIN_KINDS = frozenset(
    {reminders.CHECKIN_OPEN, reminders.CHECKIN_NUDGE, reminders.CHECKIN_DEADLINE, SECRETARY_NUDGE}
)
# Reminders a pause holds back; notices and digests are not reminders.
PAUSABLE = CHECKIN_KINDS | {LESSON, reminders.MEETING_DAY}

Condition = dict[str, Any]


def lesson(
    member_id: int, day: date, lesson_time: time, lesson_id: str, line: str, at: datetime
) -> Condition:
    return {
        "kind": LESSON,
        "member": member_id,
        "day": day.isoformat(),
        "time": lesson_time.isoformat("minutes"),  # the lesson time it was queued for
        "lesson": lesson_id,
        "line": line,
        "at": at.isoformat(),
    }


def checkin(
    kind: str, member_id: int, unit_id: int, month: str, deadline: date, at: datetime
) -> Condition:
    return {
        "kind": kind,
        "member": member_id,
        "unit": unit_id,
        "month": month,
        "deadline": deadline.isoformat(),
        "at": at.isoformat(),
    }


def meeting(member_id: int, day: date, line: str, at: datetime) -> Condition:
    return {
        "kind": reminders.MEETING_DAY,
        "member": member_id,
        "day": day.isoformat(),
        "line": line,
        "at": at.isoformat(),
    }


def notice(member_id: int, line: str, at: datetime) -> Condition:
    return {"kind": NOTICE, "member": member_id, "line": line, "at": at.isoformat()}


def digest(member_id: int, unit_id: int, period: str, key: str, at: datetime) -> Condition:
    return {
        "kind": DIGEST,
        "member": member_id,
        "unit": unit_id,
        "period": period,
        "key": key,
        "at": at.isoformat(),
    }


def items(condition: Condition) -> list[Condition]:
    """The items a row stands for: one, or those merged into it."""
    if condition.get("kind") == MERGED:
        return list(condition.get("items", []))
    return [condition]
