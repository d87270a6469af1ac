"""The yearly pledge, the member's side: write 1–3 concrete actions in a draft, submit, amend.

The draft is a `drafts` row (step and items), so a member who stops half-way continues there
after a restart. Every submission and decision adds a `pledge_revisions` row with the items as
they were, which is the amendment history (what changed, when, approved by whom). Check-ins
measure against the pledge's current items whatever its review state: a slow secretary must
not stop a member from reviewing their month.

The secretary's decision is in pledge_reviews and the notices in bot.delivery.notices; the
draft and text helpers here serve the check-in service too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import Expired, InvalidInput
from bot.services import access, audit
from bot.services.preferences import zone_of
from bot.textnorm import fold, has_control_chars, is_blank, nfc
from bot.texts import pledges as texts
from db.models import Draft, Member, Pledge, PledgeItem, PledgeRevision, PledgeStatus

KIND = "pledge"
MAX_ITEMS = 3
ITEM_MIN, ITEM_MAX = 10, 500
TEXT_MAX = 2000  # any free text; more is asked to be shortened
# InvalidInput reasons, each answered with its own text
EMPTY, TOO_SHORT, TOO_LONG, CONTROL, EXAMPLE = "empty", "short", "long", "control", "example"

# A notice about a pledge (given the pledge and its member) is a screen, built in
# bot.delivery.notices; the service calls it inside its own transaction, so it is queued
# exactly when the change is committed.
PledgeNotice = Callable[[AsyncSession, Clock, Pledge, Member, tzinfo], Awaitable[None]]


@dataclass(frozen=True)
class Item:
    action: str
    measure: str


@dataclass(frozen=True)
class PledgeDraft:
    year: int
    step: str  # "action", "measure" or "review"
    position: int  # the item being written (1-based); 0 on review
    items: tuple[Item, ...]
    current: str | None  # the text already there for the field asked (an edit)
    amending: bool  # a pledge was submitted before


@dataclass(frozen=True)
class PledgeView:
    pledge_id: int
    unit_id: int
    member_name: str
    year: int
    status: PledgeStatus
    version: int
    items: tuple[Item, ...]
    comment: str | None
    submitted_at: datetime
    decided_at: datetime | None
    erased: bool


@dataclass(frozen=True)
class NoPledge:
    year: int


def clean_text(text: str, *, limit: int = TEXT_MAX) -> str:
    """Return typed text in NFC and trimmed; refuse control characters, emptiness, excess."""
    if has_control_chars(text):
        raise InvalidInput(CONTROL)
    value = nfc(text).strip()
    if is_blank(value):
        raise InvalidInput(EMPTY)
    if len(value) > limit:
        raise InvalidInput(TOO_LONG)
    return value


def check_item_text(text: str) -> str:
    """Return a concrete pledge text: 10–500 characters and not one of the examples."""
    value = clean_text(text, limit=TEXT_MAX)
    if fold(value) in texts.EXAMPLES_FOLDED:
        raise InvalidInput(EXAMPLE)
    if len(value) < ITEM_MIN:
        raise InvalidInput(TOO_SHORT)
    if len(value) > ITEM_MAX:
        raise InvalidInput(TOO_LONG)
    return value


def current_year(member: Member, clock: Clock, tz: tzinfo) -> int:
    """Return the year of the member's local date: the pledge year."""
    return clock.now().astimezone(zone_of(member, tz)).year


async def find_draft(
    session: AsyncSession, member_id: int, kind: str, period: str | None = None
) -> Draft | None:
    """Return the member's draft of `kind` (of `period`, if given), oldest first."""
    query = select(Draft).where(Draft.member_id == member_id, Draft.kind == kind)
    if period is not None:
        query = query.where(Draft.period == period)
    return await session.scalar(query.order_by(Draft.id).limit(1))


def save_draft(draft: Draft, clock: Clock, step: str, data: dict[str, Any]) -> None:
    """Move a draft to `step` with `data` (the caller commits)."""
    # A new dict: SQLAlchemy sees a changed JSON value only when the object is replaced.
    draft.step, draft.data, draft.updated_at = step, dict(data), clock.now()


async def pledge_of(session: AsyncSession, member_id: int, year: int) -> Pledge | None:
    """Return the member's pledge of `year`, if any."""
    return await session.scalar(
        select(Pledge).where(Pledge.member_id == member_id, Pledge.year == year)
    )


async def open_pledge(
    session: AsyncSession, clock: Clock, member: Member, tz: tzinfo
) -> PledgeDraft | PledgeView | NoPledge:
    """Return where the member stands with this year's pledge: a draft, the pledge, or none."""
    access.require_active(member)
    year = current_year(member, clock, tz)
    draft = await find_draft(session, member.id, KIND, str(year))
    if draft is not None:
        return _draft_view(draft)
    pledge = await pledge_of(session, member.id, year)
    return view_of(pledge, member) if pledge else NoPledge(year)


async def start_pledge(
    session: AsyncSession, clock: Clock, member: Member, tz: tzinfo, year: int
) -> PledgeDraft:
    """Open a draft for `year` (this year only), from the current items when amending."""
    access.require_active(member)
    if year != current_year(member, clock, tz):
        raise Expired("other year")
    draft = await find_draft(session, member.id, KIND, str(year))
    if draft is None:
        pledge = await pledge_of(session, member.id, year)
        items = [[i.action, i.measure] for i in pledge.items] if pledge else []
        if pledge is not None and pledge.erased_at is not None:
            items = []
        step = "review" if items else "action"
        draft = Draft(
            member_id=member.id,
            kind=KIND,
            period=str(year),
            step=step,
            data={"items": items, "pos": 0 if items else 1, "amending": pledge is not None},
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        session.add(draft)
        await session.commit()
    return _draft_view(draft)


async def write(
    session: AsyncSession, clock: Clock, member: Member, year: int, text: str | None
) -> PledgeDraft:
    """Put typed text (or, for None, the text already there) into the field asked for."""
    draft = await _own_draft(session, member, year)
    data = dict(draft.data)
    items: list[list[str]] = [list(i) for i in data["items"]]
    pos: int = data["pos"]
    if draft.step not in ("action", "measure"):
        raise Expired("not typing")
    field = 0 if draft.step == "action" else 1
    if text is None:
        if pos > len(items) or not items[pos - 1][field]:
            raise Expired("nothing to keep")
        value = items[pos - 1][field]
    else:
        value = check_item_text(text)
    if pos > len(items):
        items.append(["", ""])
    items[pos - 1][field] = value
    data["items"] = items
    if draft.step == "action":
        save_draft(draft, clock, "measure", data)
    else:
        data["pos"] = 0
        save_draft(draft, clock, "review", data)
    await session.commit()
    return _draft_view(draft)


async def edit_item(
    session: AsyncSession, clock: Clock, member: Member, year: int, position: int
) -> PledgeDraft:
    """Rewrite item `position`, or add one after the last (position = count + 1, up to 3)."""
    draft = await _own_draft(session, member, year)
    data = dict(draft.data)
    if draft.step != "review" or not 1 <= position <= min(len(data["items"]) + 1, MAX_ITEMS):
        raise Expired("no such item")
    data["pos"] = position
    save_draft(draft, clock, "action", data)
    await session.commit()
    return _draft_view(draft)


async def drop_last_item(
    session: AsyncSession, clock: Clock, member: Member, year: int
) -> PledgeDraft:
    """Remove the last item; a pledge keeps at least one."""
    draft = await _own_draft(session, member, year)
    data = dict(draft.data)
    if draft.step != "review" or len(data["items"]) < 2:
        raise Expired("cannot drop")
    data["items"] = data["items"][:-1]
    save_draft(draft, clock, "review", data)
    await session.commit()
    return _draft_view(draft)


async def discard(session: AsyncSession, member: Member, year: int) -> None:
    """Throw the draft away (the handler asked for a confirmation first)."""
    draft = await _own_draft(session, member, year)
    await session.delete(draft)
    await session.commit()


async def submit(
    session: AsyncSession,
    clock: Clock,
    member: Member,
    year: int,
    tz: tzinfo,
    *,
    notify: PledgeNotice,
) -> PledgeView:
    """Turn the draft into the pledge (a new version), record it, and tell the secretary."""
    draft = await _own_draft(session, member, year)
    items = [Item(a, m) for a, m in draft.data["items"] if a and m]
    if draft.step != "review" or not 1 <= len(items) <= MAX_ITEMS:
        raise Expired("draft not complete")
    now = clock.now()
    pledge = await pledge_of(session, member.id, year)
    if pledge is None:
        pledge = Pledge(
            member_id=member.id, unit_id=member.unit_id, year=year, version=0, items=[]
        )
        session.add(pledge)
    pledge.status, pledge.version, pledge.submitted_at = (
        PledgeStatus.SUBMITTED,
        pledge.version + 1,
        now,
    )
    pledge.comment, pledge.decided_at, pledge.decided_by_id, pledge.erased_at = (
        None,
        None,
        None,
        None,
    )
    pledge.unit_id = member.unit_id
    pledge.items.clear()
    await session.flush()  # the old rows go before new ones take their positions
    for no, item in enumerate(items, start=1):
        pledge.items.append(PledgeItem(position=no, action=item.action, measure=item.measure))
    await session.flush()
    revise(session, pledge, "submitted", member.id, now)
    await session.delete(draft)
    view = view_of(pledge, member)
    await notify(session, clock, pledge, member, tz)
    audit.record(session, clock, "pledge.submit", actor_member_id=member.id, pledge=pledge.id)
    await session.commit()
    return view


async def _own_draft(session: AsyncSession, member: Member, year: int) -> Draft:
    access.require_active(member)
    draft = await find_draft(session, member.id, KIND, str(year))
    if draft is None:
        raise Expired("no draft")
    return draft


def revise(
    session: AsyncSession,
    pledge: Pledge,
    event: str,
    actor_id: int,
    at: datetime,
    comment: str | None = None,
) -> None:
    """Add the pledge's items as they are now to its history (the caller commits)."""
    session.add(
        PledgeRevision(
            pledge_id=pledge.id,
            version=pledge.version,
            event=event,
            items=[[i.action, i.measure] for i in pledge.items],
            comment=comment,
            actor_id=actor_id,
            at=at,
        )
    )


def view_of(pledge: Pledge, owner: Member) -> PledgeView:
    """Return the pledge as its member or a manager sees it (no items once erased)."""
    erased = pledge.erased_at is not None
    items = () if erased else tuple(Item(i.action, i.measure) for i in pledge.items)
    return PledgeView(
        pledge.id,
        pledge.unit_id,
        owner.full_name or "",
        pledge.year,
        pledge.status,
        pledge.version,
        items,
        pledge.comment,
        pledge.submitted_at,
        pledge.decided_at,
        erased,
    )


def _draft_view(draft: Draft) -> PledgeDraft:
    items = tuple(Item(a, m) for a, m in draft.data["items"])
    pos: int = draft.data["pos"]
    current = None
    if draft.step in ("action", "measure") and pos <= len(items):
        item = items[pos - 1]
        current = (item.action if draft.step == "action" else item.measure) or None
    complete = tuple(i for i in items if i.action and i.measure)
    shown = items if draft.step != "review" else complete
    return PledgeDraft(
        int(draft.period), draft.step, pos, shown, current, bool(draft.data.get("amending"))
    )
