"""What the scheduler needs to know about every cell at once, in a handful of queries.

A tick runs every 20 seconds over a province (100,000 members in 5,000 cells): asking the
database member by member would be hundreds of thousands of round trips a tick. This loads the
cells' check-in days and reminder rules, the months skipped, the exemptions in force and who
has sent which month, once a tick; the jobs then decide member by member in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import checkin_windows, reminders
from db.models import Checkin, CheckinSettings, Exemption, ReminderRule, SkippedMonth, Unit


@dataclass
class Roster:
    parents: dict[int, int | None]
    days: dict[int, checkin_windows.Rules]
    rules: dict[tuple[int, str], reminders.Rule]  # (unit, kind) → the unit's own setting
    skipped: set[tuple[int, str]]  # (unit, month)
    exemptions: dict[tuple[int, int], list[tuple[str, str]]]  # (unit, member) → month ranges
    submitted: set[tuple[int, str]]  # (member, month)
    _effective: dict[int, dict[str, reminders.Rule]] = field(default_factory=dict)

    def rules_of(self, unit_id: int) -> checkin_windows.Rules:
        return self.days.get(
            unit_id, checkin_windows.Rules(checkin_windows.OPEN_DAY, checkin_windows.MEETING_DAY)
        )

    def reminders_of(self, unit_id: int) -> dict[str, reminders.Rule]:
        """The unit's own rule, else the nearest committee's, else the default (as
        reminders.effective does, without a query)."""
        if unit_id not in self._effective:
            chain: list[int] = []
            current: int | None = unit_id
            while current is not None and current not in chain:
                chain.append(current)
                current = self.parents.get(current)
            self._effective[unit_id] = {
                kind: next(
                    (self.rules[(u, kind)] for u in chain if (u, kind) in self.rules),
                    reminders.DEFAULTS[kind],
                )
                for kind in reminders.KINDS
            }
        return self._effective[unit_id]

    def asked(self, unit_id: int, member_id: int, month: str) -> bool:
        """Not a skipped month of the cell, and no exemption of the member covering it."""
        if (unit_id, month) in self.skipped:
            return False
        ranges = self.exemptions.get((unit_id, member_id), ())
        return not any(start <= month <= end for start, end in ranges)

    def has_sent(self, member_id: int, month: str) -> bool:
        return (member_id, month) in self.submitted


async def load(session: AsyncSession, months: set[str]) -> Roster:
    """Everything about the cells the jobs need for `months` (check-in months, "YYYY-MM")."""
    units = await session.execute(select(Unit.id, Unit.parent_id))
    parents: dict[int, int | None] = dict(units.all())
    days = {
        row.unit_id: checkin_windows.Rules(row.open_day, row.meeting_day)
        for row in await session.scalars(select(CheckinSettings))
    }
    rules = {
        (row.unit_id, row.kind): reminders.Rule(
            row.kind, row.enabled, row.at, row.days_before, row.unit_id
        )
        for row in await session.scalars(select(ReminderRule))
    }
    skipped: set[tuple[int, str]] = set(
        (
            await session.execute(
                select(SkippedMonth.unit_id, SkippedMonth.month).where(
                    SkippedMonth.month.in_(months)
                )
            )
        ).all()
    )
    exemptions: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    rows = await session.execute(
        select(
            Exemption.unit_id, Exemption.member_id, Exemption.from_month, Exemption.to_month
        ).where(
            Exemption.ended_at.is_(None),
            Exemption.from_month <= max(months),
            Exemption.to_month >= min(months),
        )
    )
    for unit_id, member_id, start, end in rows.all():
        exemptions[(unit_id, member_id)].append((start, end))
    submitted: set[tuple[int, str]] = set(
        (
            await session.execute(
                select(Checkin.member_id, Checkin.month).where(Checkin.month.in_(months))
            )
        ).all()
    )
    return Roster(parents, days, rules, skipped, dict(exemptions), submitted)
