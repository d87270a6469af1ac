"""A committee's roll-up: every cell below it, in numbers only, the cells needing attention
first. Built from the same batched cell digests (`words=False`: what members wrote is never
even loaded), then reduced to counts and rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import NotAllowed, NotFound
from bot.services import access
from bot.services import digest_queries as q
from bot.services.digest import CellDigest, build
from db.models import Member, Role

COMMITTEE_ROLES = frozenset({Role.COMMITTEE_ADMIN, Role.OPERATOR})


@dataclass(frozen=True)
class CellRow:
    """One cell in a committee's roll-up: numbers only."""

    unit_id: int
    name: str
    month: str
    members: int
    asked: int
    submitted: int
    late: int
    missing: int  # not sent yet (past the deadline or not)
    not_done: int
    readers: int
    lessons: int
    practisers: int
    answers: int
    correct: int
    blocked: int
    joining: int

    @property
    def submit_rate(self) -> float | None:
        return self.submitted / self.asked if self.asked else None

    @property
    def read_rate(self) -> float | None:
        return self.readers / self.members if self.members else None

    def attention(self) -> tuple[float, float, str]:
        """Sort key: the cells that need attention first (no members counts as the worst)."""
        submit = -1.0 if self.submit_rate is None else self.submit_rate
        read = -1.0 if self.read_rate is None else self.read_rate
        return (submit, read, self.name)


@dataclass(frozen=True)
class Rollup:
    unit_id: int
    unit_name: str
    today: date
    since: date
    rows: tuple[CellRow, ...]  # the cells needing attention first

    def total(self, name: str) -> int:
        return sum(int(getattr(row, name)) for row in self.rows)


async def committee_rollup(
    session: AsyncSession, clock: Clock, tz: tzinfo, actor: Member | None, unit_id: int
) -> Rollup:
    """Return the per-cell numbers of every cell under the committee `unit_id`."""
    member = access.require_active(actor)
    if member.role not in COMMITTEE_ROLES or (
        member.role is Role.COMMITTEE_ADMIN
        and member.unit_id not in await access.ancestors(session, unit_id)
    ):
        raise NotAllowed("not this committee's admin")
    name = (await q.unit_names(session, [unit_id])).get(unit_id)
    if name is None:
        raise NotFound("unit")
    cells = await q.subtree(session, unit_id)
    digests = await build(session, clock, tz, cells, words=False) if cells else {}
    today = clock.now().astimezone(tz).date()
    return rollup_of(unit_id, name, today, digests)


def rollup_of(unit_id: int, name: str, today: date, digests: dict[int, CellDigest]) -> Rollup:
    """Reduce cell digests to their numbers, the cells needing attention first."""
    rows = [
        CellRow(
            d.unit_id,
            d.unit_name,
            d.month,
            len(d.active),
            len(d.asked),
            len(d.with_status("on_time", "late")),
            len(d.with_status("late")),
            len(d.with_status("waiting", "missing")),
            d.not_done_count,
            len(d.readers),
            sum(m.lessons for m in d.active),
            len(d.practisers),
            sum(m.answers for m in d.active),
            sum(m.correct for m in d.active),
            len(d.blocked),
            len(d.members) - len(d.active) + len(d.invites),
        )
        for d in digests.values()
    ]
    since = min((d.since for d in digests.values()), default=today)
    return Rollup(unit_id, name, today, since, tuple(sorted(rows, key=CellRow.attention)))
