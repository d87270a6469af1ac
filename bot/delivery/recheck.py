"""Reminders re-checked just before they are sent, and what piled up merged into one message.

A reminder is queued when its rule falls due, but may wait hours (quiet hours, a pause, a
busy sender): by then the member may have sent the check-in, read the lesson, left the cell or
blocked the bot. The sender hands each fresh claim here (Sender's `recheck`): each row's
condition (bot/delivery/conditions) is checked against what is true now, a few queries a claim
whatever its size; a row no longer true is DROPPED with its reason. Dates are rendered now, in
the member's zone ("còn N ngày" counts from the day it arrives). Several rows of one member
in one claim that waited (what quiet hours held back until the morning) go as one message, a
line an item; what goes on time goes as it was written.
Digests are rendered here too, from the numbers as they are when sent (digest_jobs).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import conditions, digest_jobs, outbox, payload
from bot.delivery.conditions import Condition
from bot.delivery.outbox import Claimed
from bot.delivery.recheck_facts import Facts, load_facts
from bot.delivery.reminder_jobs import MEETING_GRACE
from bot.screens import digest as digest_screens
from bot.screens import reminders as screens
from bot.services import reminders
from bot.services.lessons import lesson_key
from bot.services.preferences import zone
from bot.texts import reminders as t
from db.models import MemberStatus

# The order of the lines of a merged message, most pressing first; its buttons follow it.
PRIORITY = (
    reminders.CHECKIN_DEADLINE,
    conditions.SECRETARY_NUDGE,
    reminders.CHECKIN_NUDGE,
    reminders.CHECKIN_OPEN,
    reminders.MEETING_DAY,
    conditions.LESSON,
    conditions.NOTICE,
)
MAX_BUTTON_ROWS = 4
HELD = timedelta(minutes=5)  # due this long before it went: it waited, and is gathered


class Recheck:
    """The sender's check of a claim (see the module's docstring)."""

    def __init__(self, clock: Clock, tz: tzinfo) -> None:
        self.clock = clock
        self.tz = tz

    async def __call__(self, session: AsyncSession, rows: list[Claimed]) -> list[Claimed]:
        if not any(row.condition for row in rows):
            return rows
        now = self.clock.now()
        # A member's rows that waited till the same morning are far apart in a province's
        # queue (by id): their other due rows join this claim, to go as one message.
        waited = {r.member_id for r in rows if r.member_id and r.condition and _waited(r, now)}
        if waited:
            rows = rows + await outbox.claim_members(
                session, self.clock, rows[0].lease, waited, {r.row_id for r in rows}
            )
        facts = await load_facts(session, [row for row in rows if row.condition])
        dropped: list[tuple[Claimed, str]] = []
        kept: list[Claimed] = []
        first_of: dict[int, int] = {}  # member → index in kept of their first reminder row
        pile: dict[int, list[tuple[Condition, dict[str, Any]]]] = {}
        digests: list[Claimed] = []
        for row in rows:
            if not row.condition:
                kept.append(row)
                continue
            alive: list[tuple[Condition, dict[str, Any]]] = []
            reason = ""
            for item in conditions.items(row.condition):
                why = self._reason(item, row, facts, now)
                if why:
                    reason = reason or why
                else:
                    alive.append((item, item.get("payload", row.payload)))
            if not alive:
                dropped.append((row, reason))
            elif row.condition.get("kind") == conditions.DIGEST:
                digests.append(row)
            elif not all(_held(item, now) for item, _ in alive):
                pile[len(kept)] = alive  # on time: a message of its own
                kept.append(row)
            elif row.member_id in first_of:
                pile[first_of[row.member_id]].extend(alive)
                dropped.append((row, "merged"))
            else:
                first_of[row.member_id or 0] = len(kept)
                pile[len(kept)] = alive
                kept.append(row)
        rewritten: list[Claimed] = []
        for index, alive in pile.items():
            row = kept[index]
            new = self._render(row, alive, facts, now)
            if new.payload != row.payload or new.condition != row.condition:
                rewritten.append(new)
            kept[index] = new
        made, gone = await digest_jobs.render_at_send(session, self.clock, self.tz, digests)
        kept += made
        rewritten += made
        dropped += gone
        await outbox.drop(session, dropped)
        for row in rewritten:
            await outbox.rewrite(session, row)
        await session.commit()
        return kept

    def _local(self, member: int, facts: Facts, now: datetime) -> datetime:
        return now.astimezone(zone(facts.members[member][2], self.tz))

    def _day(self, moment: datetime, member: int, facts: Facts) -> bool:
        """Whether `moment` fell on the member's today."""
        return (
            self._local(member, facts, moment).date()
            == self._local(member, facts, self.clock.now()).date()
        )

    def _reason(self, item: Condition, row: Claimed, facts: Facts, now: datetime) -> str:
        """Why the item is no longer true ("" while it is)."""
        kind, member = item.get("kind"), int(item.get("member", 0))
        known = facts.members.get(member)
        if known is None or known[0] is not MemberStatus.ACTIVE:
            return "member inactive"
        if (row.channel, row.chat_id) in facts.blocked:
            return "identity blocked"
        if kind in conditions.PAUSABLE and known[1] is not None and known[1] > now:
            return "paused"
        local = self._local(member, facts, now)
        today = local.date()
        if kind == conditions.LESSON:
            if today.isoformat() != item["day"]:
                return "lesson of another day"
            if (member, today) in facts.read_on or (member, item["lesson"]) in facts.read:
                return "read today"
        elif kind in conditions.CHECKIN_KINDS:
            if (member, item["month"]) in facts.submitted:
                return "already submitted"
            if (member, item["month"]) in facts.excused:
                return "exempt"
            if kind != conditions.SECRETARY_NUDGE and today > date.fromisoformat(item["deadline"]):
                return "window closed"
            nudged = facts.nudged_at.get((member, item["month"]))
            if kind == reminders.CHECKIN_DEADLINE and nudged and self._day(nudged, member, facts):
                return "told today"
        elif kind == reminders.MEETING_DAY and (
            today.isoformat() != item["day"] or local.time().replace(tzinfo=None) >= MEETING_GRACE
        ):
            return "meeting passed"
        return ""

    def _render(
        self,
        row: Claimed,
        alive: list[tuple[Condition, dict[str, Any]]],
        facts: Facts,
        now: datetime,
    ) -> Claimed:
        """The row with what it says now: its one item re-dated, or every item a line."""
        today = self._local(int(alive[0][0]["member"]), facts, now).date()
        fresh = [(item, _dated(item, sent, row.chat_id, today)) for item, sent in alive]
        if len(fresh) == 1:
            item, sent = fresh[0]
            return replace(row, payload=sent, condition=_bare(item))
        fresh.sort(key=lambda pair: _rank(pair[0]))
        lines: list[str] = []
        buttons: list[list[dict[str, Any]]] = []
        for item, sent in fresh:
            line = _line(item, today)
            if line in lines:  # a nudge held into the deadline day says what the deadline says
                continue
            lines.append(line)
            if item.get("kind") == conditions.LESSON:  # its text is not in the message
                sent = payload.send_message(
                    row.chat_id, screens.open_lesson(lesson_key(item["lesson"]))
                )
            for button_row in sent.get("reply_markup", {}).get("inline_keyboard", [])[:1]:
                if button_row not in buttons and len(buttons) < MAX_BUTTON_ROWS:
                    buttons.append(button_row)
        merged: dict[str, Any] = {
            "chat_id": row.chat_id,
            "text": t.pile(t.pile_title(len(lines)), lines),
            "parse_mode": "HTML",
        }
        if buttons:
            merged["reply_markup"] = {"inline_keyboard": buttons}
        items = [{**_bare(item), "payload": sent} for item, sent in fresh]
        condition = {"kind": conditions.MERGED, "member": row.member_id, "items": items}
        return replace(row, payload=merged, condition=condition)


def _held(item: Condition, now: datetime) -> bool:
    """Whether the item waited (quiet hours, a pause, a bot that was down) rather than
    going when it fell due: what waited is gathered into one message."""
    at = item.get("at")
    return isinstance(at, str) and datetime.fromisoformat(at) <= now - HELD


def _waited(row: Claimed, now: datetime) -> bool:
    assert row.condition is not None
    if row.condition.get("kind") == conditions.DIGEST:
        return False
    return all(_held(item, now) for item in conditions.items(row.condition))


def _bare(item: Condition) -> Condition:
    return {k: v for k, v in item.items() if k != "payload"}


def _rank(item: Condition) -> int:
    kind = item.get("kind")
    return PRIORITY.index(kind) if kind in PRIORITY else len(PRIORITY)


def _dated(item: Condition, sent: dict[str, Any], chat_id: int, today: date) -> dict[str, Any]:
    """A nudge counts its days from the day it arrives; on the deadline it says so."""
    kind = item.get("kind")
    if kind == conditions.SECRETARY_NUDGE:
        return payload.send_message(
            chat_id, digest_screens.nudge(date.fromisoformat(item["deadline"]), today)
        )
    if kind not in (reminders.CHECKIN_NUDGE, reminders.CHECKIN_DEADLINE):
        return sent
    deadline = date.fromisoformat(item["deadline"])
    left = (deadline - today).days
    screen = screens.nudge(deadline, left) if left > 0 else screens.deadline_today(deadline)
    return payload.send_message(chat_id, screen)


def _line(item: Condition, today: date) -> str:
    kind = item.get("kind")
    if kind in conditions.CHECKIN_KINDS:
        deadline = date.fromisoformat(item["deadline"])
        left = (deadline - today).days
        if kind == reminders.CHECKIN_OPEN:
            return t.open_line(deadline)
        if left < 0:
            return t.overdue_line(deadline)
        return t.nudge_line(deadline, left) if left > 0 else t.deadline_line(deadline)
    return str(item.get("line", ""))
