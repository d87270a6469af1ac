"""The monthly check-in (tự soi, tự sửa): the cell's window, the member's steps, the secretary's
month view, the cell's rules (meeting day, exemptions, skipped months), and erasure.

Over 400 lines on purpose: the window rules are shared by every part here, and splitting the
file would spread one set of rules over modules outside this feature's list of files.

Dates are local dates. For month M the window opens on `open_day` of M (25 by default) and its
deadline is the day before the cell's `meeting_day` in M+1 (5 by default → the 4th). Both days
are 1–28, so every month has them, and the meeting day may not fall after the opening day, so
two months' windows never overlap. After the deadline a check-in is still taken, marked late;
a submitted one can be edited only until the deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import Expired, InvalidInput, NotAllowed, NotFound
from bot.screens import checkins as screens
from bot.services import access, audit
from bot.services.pledges import (
    NoPledge,
    clean_text,
    find_draft,
    notify_member,
    pledge_of,
    save_draft,
)
from bot.services.preferences import zone_of
from db.models import (
    Checkin,
    CheckinAnswer,
    CheckinSettings,
    Draft,
    Exemption,
    Member,
    MemberStatus,
    Pledge,
    PledgeItem,
    PledgeRevision,
    PledgeStatus,
    Rating,
    SkippedMonth,
    Unit,
)

KIND = "checkin"
OPEN_DAY, MEETING_DAY = 25, 5
OPEN_DAYS = range(15, 29)  # the window needs at least the last days of the month
MEETING_DAYS = range(1, 29)  # 29–31 do not exist in every month (February)
EXEMPT_MONTHS = (1, 3, 6, 12)
ERASED = "đã xoá"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# InvalidInput reasons for the secretary's typed days
DAY_RANGE, OVERLAP = "day range", "overlap"


@dataclass(frozen=True)
class Window:
    month: str
    opens: date
    deadline: date

    def is_open(self, day: date) -> bool:
        return self.opens <= day <= self.deadline


@dataclass(frozen=True)
class Answer:
    item: str
    rating: Rating | None
    done: str | None
    fix: str | None


@dataclass(frozen=True)
class Ready:
    """Nothing written yet this month: the member may start."""

    month: str
    window: Window
    items: tuple[str, ...]
    late: bool


@dataclass(frozen=True)
class CheckinStep:
    """A draft: the step the member is on and everything typed so far."""

    month: str
    window: Window
    step: str  # rating, done, fix, note, review
    position: int  # the pledge item (1-based) for rating/done/fix
    answers: tuple[Answer, ...]
    note: str | None
    late: bool
    resubmit: bool  # editing a check-in already submitted

    @property
    def current(self) -> str | None:
        """The text already there for the field asked (shown with "Giữ nguyên")."""
        if self.step == "note":
            return self.note
        if self.step in ("done", "fix"):
            answer = self.answers[self.position - 1]
            return answer.done if self.step == "done" else answer.fix
        return None


@dataclass(frozen=True)
class MonthView:
    checkin_id: int
    unit_id: int
    member_name: str
    month: str
    window: Window
    answers: tuple[Answer, ...]
    note: str | None
    late: bool
    comment: str | None
    erased: bool
    can_edit: bool
    mine: bool  # seen by its own member (else by a manager of the cell)


@dataclass(frozen=True)
class NotAsked:
    month: str
    reason: str  # "exempt" or "skipped"
    detail: str | None


@dataclass(frozen=True)
class NotOpen:
    """The member joined after this month's deadline: the next window is theirs."""

    window: Window


@dataclass(frozen=True)
class Rules:
    open_day: int
    meeting_day: int


def month_key(day: date) -> str:
    """Return the "YYYY-MM" of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    """Return the first day of a "YYYY-MM" month; anything else is InvalidInput."""
    found = _MONTH.match(month)
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise InvalidInput("month")
    return date(int(found.group(1)), int(found.group(2)), 1)


def add_months(month: str, count: int) -> str:
    """Return the month `count` months after (or before) `month`."""
    first = first_day(month)
    index = first.year * 12 + first.month - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def from_code(code: int) -> str:
    """The month of a button's number (202611 → "2026-11"); a forged number is refused."""
    month = f"{code // 100:04d}-{code % 100:02d}"
    try:
        first_day(month)
    except InvalidInput as error:
        raise Expired("bad month") from error
    return month


def window(month: str, rules: Rules) -> Window:
    """Return month `month`'s window under the cell's rules."""
    first = first_day(month)
    meeting = first_day(add_months(month, 1)).replace(day=rules.meeting_day)
    return Window(month, first.replace(day=rules.open_day), meeting - timedelta(days=1))


def current_month(day: date, rules: Rules) -> str:
    """The latest month whose window has opened by `day`."""
    return month_key(day) if day.day >= rules.open_day else add_months(month_key(day), -1)


def today(member: Member, clock: Clock, tz: tzinfo) -> date:
    """The member's local date (their own zone if they set one)."""
    return clock.now().astimezone(zone_of(member, tz)).date()


async def rules_of(session: AsyncSession, unit_id: int) -> Rules:
    """Return the cell's opening and meeting days (25 and 5 unless the secretary changed them)."""
    row = await session.get(CheckinSettings, unit_id)
    return Rules(row.open_day, row.meeting_day) if row else Rules(OPEN_DAY, MEETING_DAY)


async def not_asked(
    session: AsyncSession, unit_id: int, member_id: int, month: str
) -> NotAsked | None:
    """Tell whether the member is spared this month: the month skipped, or an exemption."""
    skipped = await session.scalar(
        select(SkippedMonth.id).where(SkippedMonth.unit_id == unit_id, SkippedMonth.month == month)
    )
    if skipped is not None:
        return NotAsked(month, "skipped", None)
    reason = await session.scalar(
        select(Exemption.reason).where(
            Exemption.member_id == member_id,
            Exemption.unit_id == unit_id,
            Exemption.ended_at.is_(None),
            Exemption.from_month <= month,
            Exemption.to_month >= month,
        )
    )
    return NotAsked(month, "exempt", reason) if reason is not None else None


async def open_checkin(
    session: AsyncSession, clock: Clock, member: Member, tz: tzinfo
) -> Ready | CheckinStep | MonthView | NotAsked | NotOpen | NoPledge:
    """Return where the member stands: a draft to continue first, else this month's state."""
    access.require_active(member)
    day = today(member, clock, tz)
    draft = await find_draft(session, member.id, KIND)
    if draft is not None:
        return await _step(session, draft, day)
    rules = await rules_of(session, member.unit_id)
    month = current_month(day, rules)
    win = window(month, rules)
    done = await _checkin(session, member.id, month)
    if done is not None:
        return await _month_view(session, done, member, day)
    if day > win.deadline and member.joined_at.astimezone(zone_of(member, tz)).date() > (
        win.deadline
    ):
        return NotOpen(window(add_months(month, 1), rules))
    spared = await not_asked(session, member.unit_id, member.id, month)
    if spared is not None:
        return spared
    pledge = await _pledge(session, member, month)
    if pledge is None:
        return NoPledge(first_day(month).year)
    return Ready(month, win, tuple(i.action for i in pledge.items), day > win.deadline)


async def start(
    session: AsyncSession, clock: Clock, member: Member, tz: tzinfo, month: str
) -> CheckinStep:
    """Begin this month's check-in (or edit the submitted one before its deadline)."""
    state = await open_checkin(session, clock, member, tz)
    if isinstance(state, CheckinStep) and state.month == month:
        return state
    if isinstance(state, MonthView) and state.month == month and state.can_edit:
        return await _edit_submitted(session, clock, member, state, tz)
    if not isinstance(state, Ready) or state.month != month:
        await _refuse(session, clock, member, "checkin.stale", month=month)
    assert isinstance(state, Ready)
    pledge = await _pledge(session, member, month)
    assert pledge is not None
    answers = [{"item": i.action, "rating": None, "done": None, "fix": None} for i in pledge.items]
    draft = Draft(
        member_id=member.id,
        kind=KIND,
        period=month,
        step="rating",
        data={"answers": answers, "note": None, "pos": 1, "back": False, "resubmit": False},
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    session.add(draft)
    await session.commit()
    return await _step(session, draft, today(member, clock, tz))


async def rate(
    session: AsyncSession,
    clock: Clock,
    member: Member,
    tz: tzinfo,
    month: str,
    position: int,
    rating: Rating,
) -> CheckinStep:
    """Record the rating of item `position`; only the draft's own month and item are taken."""
    draft = await _draft(session, clock, member, month)
    data = dict(draft.data)
    if draft.step != "rating" or data["pos"] != position:
        await _refuse(session, clock, member, "checkin.stale", month=month, position=position)
    answers = [dict(a) for a in data["answers"]]
    answers[position - 1]["rating"] = rating.value
    data["answers"] = answers
    save_draft(draft, clock, "done", data)
    await session.commit()
    return await _step(session, draft, today(member, clock, tz))


async def write(
    session: AsyncSession,
    clock: Clock,
    member: Member,
    tz: tzinfo,
    text: str | None,
    *,
    keep: bool = False,
    month: str | None = None,
) -> CheckinStep:
    """Fill the text field asked for: typed `text`, or None to skip (optional fields only);
    `keep` leaves the text already there. A text over 2,000 characters is refused and the draft
    stays as it was."""
    draft = await (_draft(session, clock, member, month) if month else _any_draft(session, member))
    data = dict(draft.data)
    if draft.step not in ("done", "fix", "note"):
        raise Expired("not typing")
    answers = [dict(a) for a in data["answers"]]
    pos: int = data["pos"]
    holder = data if draft.step == "note" else answers[pos - 1]
    field = "note" if draft.step == "note" else draft.step
    if keep:
        if not holder.get(field):
            raise Expired("nothing to keep")
    elif text is None:
        if _required(draft.step, answers[pos - 1]["rating"] if draft.step != "note" else None):
            raise Expired("required")
        holder[field] = None
    else:
        holder[field] = clean_text(text)
    data["answers"] = answers
    following = _next_step(draft.step, data)
    if draft.step == "fix" and following == "rating":
        data["pos"] = pos + 1
    if following == "review":
        data["back"] = False
    save_draft(draft, clock, following, data)
    await session.commit()
    return await _step(session, draft, today(member, clock, tz))


async def edit(
    session: AsyncSession, clock: Clock, member: Member, tz: tzinfo, month: str, position: int
) -> CheckinStep:
    """From the review: go back to item `position` (0: the overall note)."""
    draft = await _draft(session, clock, member, month)
    data = dict(draft.data)
    if draft.step != "review" or not 0 <= position <= len(data["answers"]):
        await _refuse(session, clock, member, "checkin.stale", month=month, position=position)
    data["pos"], data["back"] = max(position, 1), True
    save_draft(draft, clock, "note" if position == 0 else "rating", data)
    await session.commit()
    return await _step(session, draft, today(member, clock, tz))


async def discard(
    session: AsyncSession, clock: Clock, member: Member, tz: tzinfo, month: str
) -> None:
    """Throw the draft away, after the member confirmed; a submitted check-in stays."""
    draft = await _draft(session, clock, member, month)
    await session.delete(draft)
    await session.commit()


async def submit(
    session: AsyncSession, clock: Clock, member: Member, tz: tzinfo, month: str
) -> MonthView:
    """Save the check-in from the draft: late after the deadline; an edit only before it."""
    draft = await _draft(session, clock, member, month)
    day = today(member, clock, tz)
    rules = await rules_of(session, member.unit_id)
    win = window(month, rules)
    answers = [
        Answer(a["item"], _rating(a["rating"]), a["done"], a["fix"]) for a in draft.data["answers"]
    ]
    if draft.step != "review" or not all(_complete(a) for a in answers):
        await _refuse(session, clock, member, "checkin.incomplete", month=month)
    existing = await _checkin(session, member.id, month)
    if existing is not None and day > win.deadline:
        # A review screen left open past the deadline: the submitted version stands.
        await session.delete(draft)
        audit.record(
            session,
            clock,
            "checkin.after_deadline",
            outcome="refused",
            actor_member_id=member.id,
            month=month,
        )
        await session.commit()
        raise Expired("deadline")
    now = clock.now()
    pledge = await _pledge(session, member, month)
    if existing is None:
        existing = Checkin(
            member_id=member.id,
            unit_id=member.unit_id,
            month=month,
            first_submitted_at=now,
            late=day > win.deadline,
            answers=[],
        )
        session.add(existing)
    existing.pledge_id = pledge.id if pledge else None
    existing.note, existing.submitted_at = draft.data.get("note"), now
    existing.answers.clear()
    await session.flush()
    for no, answer in enumerate(answers, start=1):
        existing.answers.append(
            CheckinAnswer(
                position=no,
                item=answer.item,
                rating=answer.rating,
                done=answer.done,
                fix=answer.fix,
            )
        )
    await session.delete(draft)
    audit.record(session, clock, "checkin.submit", actor_member_id=member.id, month=month)
    await session.commit()
    return await _month_view(session, existing, member, day)


async def my_months(session: AsyncSession, member: Member, year: int) -> list[MonthView]:
    """Return the member's own submitted months of `year`, newest first."""
    access.require_active(member)
    rows = await session.scalars(
        select(Checkin)
        .where(Checkin.member_id == member.id, Checkin.month.like(f"{year:04d}-%"))
        .order_by(Checkin.month.desc())
    )
    return [await _month_view(session, row, member, None) for row in rows]


async def view(
    session: AsyncSession, clock: Clock, actor: Member, tz: tzinfo, checkin_id: int
) -> MonthView:
    """Return one check-in to its member, or to a manager of the cell it was written in."""
    access.require_active(actor)
    row = await session.get(Checkin, checkin_id)
    if row is None:
        raise NotFound("checkin")
    if row.member_id != actor.id:
        await access.require_manager(session, actor, row.unit_id)
    owner = await session.get(Member, row.member_id)
    assert owner is not None
    mine = row.member_id == actor.id
    return await _month_view(session, row, owner, today(actor, clock, tz), mine=mine)


async def comment(
    session: AsyncSession, clock: Clock, actor: Member, checkin_id: int, text: str, tz: tzinfo
) -> MonthView:
    """Set the secretary's comment (the member's own words are never changed); tell them."""
    row = await session.get(Checkin, checkin_id)
    if row is None:
        raise NotFound("checkin")
    await access.require_manager(session, actor, row.unit_id)
    if row.member_id == actor.id:
        raise NotAllowed("own check-in")
    if row.erased_at is not None:
        raise Expired("erased")
    row.comment, row.commented_by_id, row.commented_at = clean_text(text), actor.id, clock.now()
    audit.record(session, clock, "checkin.comment", actor_member_id=actor.id, checkin=row.id)
    await notify_member(
        session,
        clock,
        row.member_id,
        f"checkin-comment:{row.id}:{int(clock.now().timestamp())}",
        screens.comment_notice(row.month, row.id),
        tz,
    )
    await session.commit()
    owner = await session.get(Member, row.member_id)
    assert owner is not None
    return await _month_view(session, row, owner, None, mine=False)


async def erase_my_data(session: AsyncSession, clock: Clock, member: Member) -> int:
    """Erase the member's own words (pledge items, check-in texts, ratings, notes, drafts).

    The rows stay, so the cell's counts of who submitted and when still hold; everything the
    member wrote or rated — and the comments about it — reads "đã xoá". Returns rows erased.
    """
    access.require_active(member)
    now = clock.now()
    checkin_ids = list(
        await session.scalars(select(Checkin.id).where(Checkin.member_id == member.id))
    )
    pledge_ids = list(
        await session.scalars(select(Pledge.id).where(Pledge.member_id == member.id))
    )
    if checkin_ids:
        await session.execute(
            update(CheckinAnswer)
            .where(CheckinAnswer.checkin_id.in_(checkin_ids))
            .values(item=ERASED, rating=None, done=None, fix=None)
        )
        await session.execute(
            update(Checkin)
            .where(Checkin.id.in_(checkin_ids))
            .values(note=None, comment=None, erased_at=now)
        )
    if pledge_ids:
        await session.execute(
            update(PledgeItem)
            .where(PledgeItem.pledge_id.in_(pledge_ids))
            .values(action=ERASED, measure=ERASED)
        )
        await session.execute(
            update(PledgeRevision)
            .where(PledgeRevision.pledge_id.in_(pledge_ids))
            .values(items=[], comment=None)
        )
        await session.execute(
            update(Pledge).where(Pledge.id.in_(pledge_ids)).values(comment=None, erased_at=now)
        )
    await session.execute(delete(Draft).where(Draft.member_id == member.id))
    audit.record(
        session,
        clock,
        "member.erase",
        actor_member_id=member.id,
        checkins=len(checkin_ids),
        pledges=len(pledge_ids),
    )
    await session.commit()
    return len(checkin_ids) + len(pledge_ids)


# -- the steps ------------------------------------------------------------------------------------


def _required(step: str, rating: str | None) -> bool:
    if step == "done":
        return rating != Rating.GOOD.value
    if step == "fix":
        return rating == Rating.NOT_DONE.value
    return False


def _next_step(step: str, data: dict[str, object]) -> str:
    """After `step`: done → fix → the next item's rating (or the note); back → the review."""
    if step == "done":
        return "fix"
    if step == "note" or data.get("back"):
        return "review"
    answers = data["answers"]
    assert isinstance(answers, list)
    return "rating" if data["pos"] != len(answers) else "note"


def _complete(answer: Answer) -> bool:
    if answer.rating is None:
        return False
    if answer.rating is not Rating.GOOD and not answer.done:
        return False
    return not (answer.rating is Rating.NOT_DONE and not answer.fix)


def _rating(value: str | None) -> Rating | None:
    return Rating(value) if value else None


async def _step(session: AsyncSession, draft: Draft, day: date) -> CheckinStep:
    member = await session.get(Member, draft.member_id)
    assert member is not None
    win = window(draft.period, await rules_of(session, member.unit_id))
    data = draft.data
    answers = tuple(
        Answer(a["item"], _rating(a["rating"]), a["done"], a["fix"]) for a in data["answers"]
    )
    return CheckinStep(
        draft.period,
        win,
        draft.step,
        data["pos"],
        answers,
        data.get("note"),
        day > win.deadline,
        bool(data.get("resubmit")),
    )


async def _draft(session: AsyncSession, clock: Clock, member: Member, month: str) -> Draft:
    access.require_active(member)
    draft = await find_draft(session, member.id, KIND, month)
    if draft is None:
        # Another month's button, or a finished one: refused and written down.
        await _refuse(session, clock, member, "checkin.stale", month=month)
    assert draft is not None
    return draft


async def _any_draft(session: AsyncSession, member: Member) -> Draft:
    access.require_active(member)
    draft = await find_draft(session, member.id, KIND)
    if draft is None:
        raise Expired("no draft")
    return draft


async def _edit_submitted(
    session: AsyncSession, clock: Clock, member: Member, done: MonthView, tz: tzinfo
) -> CheckinStep:
    answers = [
        {
            "item": a.item,
            "rating": a.rating.value if a.rating else None,
            "done": a.done,
            "fix": a.fix,
        }
        for a in done.answers
    ]
    draft = Draft(
        member_id=member.id,
        kind=KIND,
        period=done.month,
        step="review",
        data={"answers": answers, "note": done.note, "pos": 1, "back": False, "resubmit": True},
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    session.add(draft)
    await session.commit()
    return await _step(session, draft, today(member, clock, tz))


async def _refuse(
    session: AsyncSession, clock: Clock, member: Member, why: str, **detail: Any
) -> None:
    # Nothing was changed before a refusal, so the audit line commits alone.
    audit.record(session, clock, why, outcome="refused", actor_member_id=member.id, **detail)
    await session.commit()
    raise Expired(why)


async def _checkin(session: AsyncSession, member_id: int, month: str) -> Checkin | None:
    return await session.scalar(
        select(Checkin).where(Checkin.member_id == member_id, Checkin.month == month)
    )


async def _pledge(session: AsyncSession, member: Member, month: str) -> Pledge | None:
    pledge = await pledge_of(session, member.id, first_day(month).year)
    if pledge is None or pledge.erased_at is not None or not pledge.items:
        return None
    return pledge


async def _month_view(
    session: AsyncSession, row: Checkin, owner: Member, day: date | None, *, mine: bool = True
) -> MonthView:
    win = window(row.month, await rules_of(session, row.unit_id))
    answers = tuple(Answer(a.item, a.rating, a.done, a.fix) for a in row.answers)
    return MonthView(
        row.id,
        row.unit_id,
        owner.full_name or "",
        row.month,
        win,
        answers,
        row.note,
        row.late,
        row.comment,
        row.erased_at is not None,
        mine and day is not None and row.erased_at is None and day <= win.deadline,
        mine,
    )


# -- the secretary's side -------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberMonth:
    member_id: int
    name: str
    status: str  # on_time, late, waiting, missing, exempt, skipped
    ratings: tuple[Rating | None, ...]
    checkin_id: int | None
    erased: bool


@dataclass(frozen=True)
class CellMonth:
    unit_id: int
    unit_name: str
    month: str
    window: Window
    skipped: bool
    rows: tuple[MemberMonth, ...]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


@dataclass(frozen=True)
class ExemptionView:
    exemption_id: int
    member_name: str
    reason: str
    from_month: str
    to_month: str


@dataclass(frozen=True)
class CellRules:
    unit_id: int
    unit_name: str
    rules: Rules
    month: str  # the current check-in month
    window: Window
    skipped: bool
    exemptions: tuple[ExemptionView, ...]
    pending_pledges: int


@dataclass(frozen=True)
class Candidate:
    member_id: int
    name: str


async def cell_month(
    session: AsyncSession, clock: Clock, actor: Member, unit_id: int, month: str, tz: tzinfo
) -> CellMonth:
    """Return who submitted `month`, on time or late, who is missing, exempt, and the ratings."""
    unit = await _managed_unit(session, actor, unit_id)
    rules = await rules_of(session, unit_id)
    win = window(month, rules)
    day = clock.now().astimezone(tz).date()
    done = {
        c.member_id: c
        for c in await session.scalars(
            select(Checkin).where(Checkin.unit_id == unit_id, Checkin.month == month)
        )
    }
    members = list(
        await session.scalars(
            select(Member)
            .where(
                (Member.id.in_(done))
                | ((Member.unit_id == unit_id) & (Member.status == MemberStatus.ACTIVE))
            )
            .order_by(Member.full_name, Member.id)
        )
    )
    skipped = await session.scalar(
        select(SkippedMonth.id).where(SkippedMonth.unit_id == unit_id, SkippedMonth.month == month)
    )
    rows = []
    for member in members:
        row = done.get(member.id)
        if row is None and member.joined_at.astimezone(tz).date() > win.deadline:
            continue  # joined after this month's deadline: never asked
        status = "on_time"
        if row is not None:
            status = "late" if row.late else "on_time"
        else:
            spared = await not_asked(session, unit_id, member.id, month)
            if spared is not None:
                status = spared.reason
            else:
                status = "missing" if day > win.deadline else "waiting"
        ratings = tuple(a.rating for a in row.answers) if row else ()
        rows.append(
            MemberMonth(
                member.id,
                member.full_name or "",
                status,
                ratings,
                row.id if row else None,
                bool(row and row.erased_at),
            )
        )
    return CellMonth(unit.id, unit.name, month, win, skipped is not None, tuple(rows))


async def cell_rules(
    session: AsyncSession, clock: Clock, actor: Member, unit_id: int, tz: tzinfo
) -> CellRules:
    """Return the cell's check-in rules, this month's window, exemptions and pending pledges."""
    unit = await _managed_unit(session, actor, unit_id)
    rules = await rules_of(session, unit_id)
    month = current_month(clock.now().astimezone(tz).date(), rules)
    skipped = await session.scalar(
        select(SkippedMonth.id).where(SkippedMonth.unit_id == unit_id, SkippedMonth.month == month)
    )
    rows = await session.execute(
        select(Exemption, Member.full_name)
        .join(Member, Member.id == Exemption.member_id)
        .where(
            Exemption.unit_id == unit_id,
            Exemption.ended_at.is_(None),
            Exemption.to_month >= month,
        )
        .order_by(Exemption.from_month, Exemption.id)
    )
    exemptions = tuple(
        ExemptionView(e.id, name or "", e.reason, e.from_month, e.to_month)
        for e, name in rows.all()
    )
    pending = await session.scalar(
        select(func.count())
        .select_from(Pledge)
        .where(Pledge.unit_id == unit_id, Pledge.status == PledgeStatus.SUBMITTED)
    )
    return CellRules(
        unit.id,
        unit.name,
        rules,
        month,
        window(month, rules),
        skipped is not None,
        exemptions,
        pending or 0,
    )


def parse_day(text: str) -> int:
    """Return a typed day of the month ("5", "ngày 5", "mùng 5"); range is checked later."""
    digits = re.findall(r"\d+", text)
    if len(digits) != 1 or len(digits[0]) > 2:
        raise InvalidInput(DAY_RANGE)
    return int(digits[0])


async def set_days(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    unit_id: int,
    *,
    open_day: int | None = None,
    meeting_day: int | None = None,
) -> Rules:
    """Change the opening day (15–28) or the meeting day (1–28, not after the opening day)."""
    await _managed_unit(session, actor, unit_id)
    old = await rules_of(session, unit_id)
    new = Rules(
        old.open_day if open_day is None else open_day,
        old.meeting_day if meeting_day is None else meeting_day,
    )
    if new.open_day not in OPEN_DAYS or new.meeting_day not in MEETING_DAYS:
        raise InvalidInput(DAY_RANGE)
    if new.meeting_day > new.open_day:
        raise InvalidInput(OVERLAP)  # month M's deadline would pass M+1's opening
    row = await session.get(CheckinSettings, unit_id)
    if row is None:
        row = CheckinSettings(unit_id=unit_id)
        session.add(row)
    row.open_day, row.meeting_day = new.open_day, new.meeting_day
    row.updated_at, row.updated_by_id = clock.now(), actor.id
    audit.record(
        session,
        clock,
        "checkin.rules",
        actor_member_id=actor.id,
        unit=unit_id,
        open_day=new.open_day,
        meeting_day=new.meeting_day,
    )
    await session.commit()
    return new


async def toggle_skip(
    session: AsyncSession, clock: Clock, actor: Member, unit_id: int, month: str, tz: tzinfo
) -> bool:
    """Skip `month` for the whole cell (e.g. Tết), or undo it; return whether it is skipped."""
    await _managed_unit(session, actor, unit_id)
    rules = await rules_of(session, unit_id)
    current = current_month(clock.now().astimezone(tz).date(), rules)
    if not current <= month <= add_months(current, 12):
        raise Expired("month out of range")  # past months are history, not a plan
    row = await session.scalar(
        select(SkippedMonth).where(SkippedMonth.unit_id == unit_id, SkippedMonth.month == month)
    )
    if row is None:
        session.add(
            SkippedMonth(
                unit_id=unit_id, month=month, created_by_id=actor.id, created_at=clock.now()
            )
        )
    else:
        await session.delete(row)
    audit.record(
        session,
        clock,
        "checkin.skip",
        actor_member_id=actor.id,
        unit=unit_id,
        month=month,
        skipped=row is None,
    )
    await session.commit()
    return row is None


async def candidates(session: AsyncSession, actor: Member, unit_id: int) -> list[Candidate]:
    """Return the cell's active members, for choosing whom to exempt."""
    await _managed_unit(session, actor, unit_id)
    rows = await session.scalars(
        select(Member)
        .where(Member.unit_id == unit_id, Member.status == MemberStatus.ACTIVE)
        .order_by(Member.full_name, Member.id)
    )
    return [Candidate(m.id, m.full_name or "") for m in rows]


async def exempt(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    unit_id: int,
    member_id: int,
    months: int,
    reason: str,
    tz: tzinfo,
) -> ExemptionView:
    """Exempt a member of the cell from check-ins for `months` months from the current one."""
    await _managed_unit(session, actor, unit_id)
    member = await session.get(Member, member_id)
    if member is None or member.unit_id != unit_id or months not in EXEMPT_MONTHS:
        raise NotAllowed("not a member of this cell")
    rules = await rules_of(session, unit_id)
    start_month = current_month(clock.now().astimezone(tz).date(), rules)
    row = Exemption(
        unit_id=unit_id,
        member_id=member_id,
        reason=clean_text(reason, limit=500),
        from_month=start_month,
        to_month=add_months(start_month, months - 1),
        created_by_id=actor.id,
        created_at=clock.now(),
    )
    session.add(row)
    audit.record(
        session,
        clock,
        "checkin.exempt",
        actor_member_id=actor.id,
        member=member_id,
        months=months,
    )
    await session.commit()
    return ExemptionView(row.id, member.full_name or "", row.reason, row.from_month, row.to_month)


async def end_exemption(
    session: AsyncSession, clock: Clock, actor: Member, exemption_id: int
) -> int:
    """End an exemption now; return its cell."""
    row = await session.get(Exemption, exemption_id)
    if row is None or row.ended_at is not None:
        raise NotFound("exemption")
    await _managed_unit(session, actor, row.unit_id)
    row.ended_at = clock.now()
    audit.record(session, clock, "checkin.exempt_end", actor_member_id=actor.id, exemption=row.id)
    await session.commit()
    return row.unit_id


async def _managed_unit(session: AsyncSession, actor: Member, unit_id: int) -> Unit:
    await access.require_manager(session, actor, unit_id)
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("unit")
    return unit
