"""Digests: a cell's month for its secretary, and a committee's roll-up over its cells.

Everything is built for many cells at once (`build`), from the batched queries in
digest_queries: the scheduler builds the due cells' digests together, a secretary's on-demand
digest is the same call for one cell. A committee's roll-up keeps counts and rates only; the
words of a member's self-review never leave the cell (Luật Bảo vệ dữ liệu cá nhân 2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import NotFound
from bot.services import access, checkin_windows, lessons
from bot.services import digest_queries as q
from bot.services.roster import Roster
from db.models import Member, MemberStatus

PERIOD_DAYS, WEEK_DAYS = 30, 7  # what "this month" and "this week" cover, up to today
HISTORY = 6  # months in the chart
STREAK_WINDOW = 62  # days of readings loaded for streaks; longer streaks show as this
TOP_STREAKS = 3
ASKED = frozenset({"on_time", "late", "waiting", "missing"})


@dataclass(frozen=True)
class MemberDigest:
    member_id: int
    name: str
    joining: bool  # redeemed an invite, has not finished joining
    checkin: str  # on_time, late, waiting, missing, exempt, skipped, new
    missed_two: bool  # nothing sent last month nor this one
    lessons: int  # read in the period
    streak: int
    rounds: int  # solo practice in the period
    answers: int
    correct: int
    blocked_at: datetime | None  # every channel of theirs is blocked since
    played_night: bool


@dataclass(frozen=True)
class NotDone:
    member_id: int
    name: str
    position: int
    item: str
    fix: str | None


@dataclass(frozen=True)
class MonthPoint:
    month: str
    asked: int
    submitted: int
    members: int
    readers: int  # members who read at least one lesson that month


@dataclass(frozen=True)
class CellDigest:
    unit_id: int
    unit_name: str
    month: str  # the check-in month under review
    window: checkin_windows.Window
    skipped: bool
    today: date
    since: date  # first day of the period
    members: tuple[MemberDigest, ...]  # every member, joining ones included
    not_done: tuple[NotDone, ...]
    not_done_count: int
    night: q.Night | None
    history: tuple[MonthPoint, ...]
    invites: tuple[str, ...]  # names on open invites ("" for an unnamed one)

    @property
    def active(self) -> list[MemberDigest]:
        return [m for m in self.members if not m.joining]

    @property
    def asked(self) -> list[MemberDigest]:
        return [m for m in self.active if m.checkin in ASKED]

    def with_status(self, *statuses: str) -> list[MemberDigest]:
        return [m for m in self.active if m.checkin in statuses]

    @property
    def readers(self) -> list[MemberDigest]:
        return [m for m in self.active if m.lessons > 0]

    @property
    def streak_leaders(self) -> list[MemberDigest]:
        best = sorted((m for m in self.active if m.streak >= 2), key=lambda m: -m.streak)
        return best[:TOP_STREAKS]

    @property
    def practisers(self) -> list[MemberDigest]:
        return [m for m in self.active if m.rounds > 0]

    @property
    def blocked(self) -> list[MemberDigest]:
        return [m for m in self.members if m.blocked_at is not None]

    def newly_blocked(self, tz: tzinfo) -> list[MemberDigest]:
        return [m for m in self.blocked if m.blocked_at and _day(m.blocked_at, tz) >= self.since]


async def build(
    session: AsyncSession,
    clock: Clock,
    tz: tzinfo,
    cells: q.Cells,
    *,
    period_days: int = PERIOD_DAYS,
    words: bool = True,
) -> dict[int, CellDigest]:
    """Build the digests of `cells` (None: every cell) in a dozen queries, whatever their
    number. `words=False` leaves out what members wrote (a committee's view)."""
    now = clock.now()
    today = now.astimezone(tz).date()
    since = today - timedelta(days=period_days - 1)
    names = await q.units(session, cells)
    if not names:
        return {}
    here = checkin_windows.month_key(today)
    roster = await q.roster(
        session, cells, [checkin_windows.add_months(here, -n) for n in range(8)]
    )
    month_of = {u: checkin_windows.current_month(today, roster.rules_of(u)) for u in names}
    reviewed = sorted(set(month_of.values()))
    history = sorted({checkin_windows.add_months(m, -n) for m in reviewed for n in range(HISTORY)})
    found = _Found(
        rows=await q.members(session, cells),
        sent=await q.submissions(session, cells, [*reviewed, *history]),
        per_cell=await q.submitted_per_cell(session, cells, history),
        bounds=q.month_bounds(here, HISTORY + 1),
        reads=await q.reading(session, cells, q.month_bounds(here, HISTORY + 1)),
        recent=await q.reading(session, cells, [since, today + timedelta(days=1)]),
        days=await q.reading_days(session, cells, today - timedelta(days=STREAK_WINDOW)),
        quiz=await q.practice(
            session,
            cells,
            datetime.combine(since, time(0), tz).astimezone(UTC),
            now + timedelta(seconds=1),
        ),
        blocked=await q.blocked(session, cells),
        nights=await q.last_nights(session, cells),
        invites=await q.open_invites(session, cells, now),
        items=await q.not_done_items(session, cells, reviewed) if words else [],
        counts={} if words else await q.not_done_counts(session, cells, reviewed),
    )
    by_cell: dict[int, list[q.MemberRow]] = {u: [] for u in names}
    for row in found.rows:
        by_cell.setdefault(row.unit_id, []).append(row)
    invites: dict[int, list[str]] = {}
    for unit_id, name in found.invites:
        invites.setdefault(unit_id, []).append(name)
    items: dict[tuple[int, str], list[tuple[int, str, str | None]]] = {}
    for member_id, month, position, item, fix in found.items:
        items.setdefault((member_id, month), []).append((position, item, fix))
    return {
        unit_id: _cell(
            found,
            roster,
            unit_id,
            name,
            month_of[unit_id],
            by_cell[unit_id],
            items,
            tuple(invites.get(unit_id, ())),
            today,
            since,
            tz,
            words=words,
        )
        for unit_id, name in names.items()
    }


@dataclass(frozen=True)
class _Found:
    rows: list[q.MemberRow]
    sent: dict[tuple[int, str], bool]
    per_cell: dict[tuple[int, str], int]
    bounds: list[date]
    reads: dict[int, list[int]]
    recent: dict[int, list[int]]
    days: dict[int, set[date]]
    quiz: dict[int, tuple[int, int, int]]
    blocked: dict[int, datetime]
    nights: dict[int, q.Night]
    invites: list[tuple[int, str]]
    items: list[tuple[int, str, int, str, str | None]]
    counts: dict[tuple[int, str], int]


def _cell(
    found: _Found,
    roster: Roster,
    unit_id: int,
    name: str,
    month: str,
    rows: list[q.MemberRow],
    items: dict[tuple[int, str], list[tuple[int, str, str | None]]],
    invites: tuple[str, ...],
    today: date,
    since: date,
    tz: tzinfo,
    *,
    words: bool,
) -> CellDigest:
    rules = roster.rules_of(unit_id)
    win = checkin_windows.window(month, rules)
    previous = checkin_windows.add_months(month, -1)
    prev_win = checkin_windows.window(previous, rules)
    night = found.nights.get(unit_id)
    members, not_done = [], []
    for row in rows:
        joined = _day(row.joined_on, tz)
        status = _status(roster, found.sent, row, month, win, joined, today)
        before = _status(roster, found.sent, row, previous, prev_win, joined, today)
        rounds, answers, correct = found.quiz.get(row.member_id, (0, 0, 0))
        members.append(
            MemberDigest(
                row.member_id,
                row.name,
                row.status is MemberStatus.ONBOARDING,
                status,
                status in ("waiting", "missing") and before == "missing",
                found.recent.get(row.member_id, [0])[0],
                lessons.streak(found.days.get(row.member_id, set()), today),
                rounds,
                answers,
                correct,
                found.blocked.get(row.member_id),
                night is not None and row.member_id in night.member_ids,
            )
        )
        for position, item, fix in items.get((row.member_id, month), ()):
            not_done.append(NotDone(row.member_id, row.name, position, item, fix))
    return CellDigest(
        unit_id,
        name,
        month,
        win,
        (unit_id, month) in roster.skipped,
        today,
        since,
        tuple(members),
        tuple(not_done),
        len(not_done) if words else found.counts.get((unit_id, month), 0),
        night,
        _history(found, roster, rows, unit_id, month, tz),
        invites,
    )


def _status(
    roster: Roster,
    sent: dict[tuple[int, str], bool],
    row: q.MemberRow,
    month: str,
    win: checkin_windows.Window,
    joined: date,
    today: date,
) -> str:
    if (row.member_id, month) in sent:
        return "late" if sent[(row.member_id, month)] else "on_time"
    if (row.unit_id, month) in roster.skipped:
        return "skipped"
    if joined > win.deadline:
        return "new"  # joined after the deadline: never asked for this month
    if not roster.asked(row.unit_id, row.member_id, month):
        return "exempt"
    return "missing" if today > win.deadline else "waiting"


def _history(
    found: _Found,
    roster: Roster,
    rows: list[q.MemberRow],
    unit_id: int,
    month: str,
    tz: tzinfo,
) -> tuple[MonthPoint, ...]:
    """Check-in completion and reading for the 6 months up to the reviewed one."""
    active = [r for r in rows if r.status is MemberStatus.ACTIVE]
    first_days = [checkin_windows.month_key(d) for d in found.bounds[:-1]]
    points = []
    for back in range(HISTORY - 1, -1, -1):
        at = checkin_windows.add_months(month, -back)
        win = checkin_windows.window(at, roster.rules_of(unit_id))
        asked = 0
        if (unit_id, at) not in roster.skipped:
            asked = sum(
                1
                for r in active
                if _day(r.joined_on, tz) <= win.deadline and roster.asked(unit_id, r.member_id, at)
            )
        column = first_days.index(at) if at in first_days else None
        readers = (
            0
            if column is None
            else sum(1 for r in active if found.reads.get(r.member_id, [0] * 8)[column] > 0)
        )
        submitted = min(found.per_cell.get((unit_id, at), 0), asked)
        points.append(MonthPoint(at, asked, submitted, len(active), readers))
    return tuple(points)


def _day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


async def cell_digest(
    session: AsyncSession,
    clock: Clock,
    tz: tzinfo,
    actor: Member | None,
    unit_id: int,
    *,
    period_days: int = PERIOD_DAYS,
) -> CellDigest:
    """Return the cell's digest for its own secretary or deputy; anyone else is refused."""
    require_secretary(actor, unit_id)
    digests = await build(session, clock, tz, [unit_id], period_days=period_days)
    if unit_id not in digests:
        raise NotFound("cell")
    return digests[unit_id]


def require_secretary(actor: Member | None, unit_id: int) -> Member:
    """The cell's own secretary or deputy: a committee sees numbers only, never members'
    words, so it gets the roll-up instead of this."""
    return access.require_cell_officer(actor, unit_id)
