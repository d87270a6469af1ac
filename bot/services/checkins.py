"""The monthly check-in (tự soi, tự sửa), the member's own steps: rate each pledge item, say
what was done and what to fix, add a note, review, submit. Everything typed lives in a `drafts`
row, so a member who stops half-way continues there after a restart.

The window rules are in checkin_windows; the secretary's side in checkin_cell and checkin_rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import Expired
from bot.services import access, audit
from bot.services.checkin_months import Answer, MonthView, checkin_of, month_view
from bot.services.checkin_windows import (
    NotAsked,
    Window,
    add_months,
    current_month,
    first_day,
    not_asked,
    rules_of,
    today,
    window,
)
from bot.services.pledges import NoPledge, clean_text, find_draft, pledge_of, save_draft
from bot.services.preferences import zone_of
from db.models import Checkin, CheckinAnswer, Draft, Member, Pledge, Rating

KIND = "checkin"


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
class NotOpen:
    """The member joined after this month's deadline: the next window is theirs."""

    window: Window


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
    done = await checkin_of(session, member.id, month)
    if done is not None:
        return await month_view(session, done, member, day)
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
    existing = await checkin_of(session, member.id, month)
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
    return await month_view(session, existing, member, day)


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


async def _pledge(session: AsyncSession, member: Member, month: str) -> Pledge | None:
    pledge = await pledge_of(session, member.id, first_day(month).year)
    if pledge is None or pledge.erased_at is not None or not pledge.items:
        return None
    return pledge
