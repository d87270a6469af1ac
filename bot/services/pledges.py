"""The yearly pledge: write 1–3 concrete actions in a draft, submit, approve or return, amend.

The draft is a `drafts` row (step and items), so a member who stops half-way continues there
after a restart. Every submission and decision adds a `pledge_revisions` row with the items as
they were, which is the amendment history (what changed, when, approved by whom). Check-ins
measure against the pledge's current items whatever its review state: a slow secretary must
not stop a member from reviewing their month.

Over 400 lines: the member's steps, the secretary's decision and the notices they send share
the draft and revision helpers; the check-in service reuses them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import outbox, payload
from bot.errors import Expired, InvalidInput, NotAllowed, NotFound
from bot.screens import pledges as screens
from bot.screens.base import Screen
from bot.services import access, audit
from bot.services.preferences import zone_of
from bot.services.quiet import quiet_of
from bot.textnorm import fold, has_control_chars, nfc
from bot.texts import pledges as texts
from db.models import (
    ChannelIdentity,
    Draft,
    Member,
    MemberStatus,
    Pledge,
    PledgeItem,
    PledgeRevision,
    PledgeStatus,
    Unit,
)

KIND = "pledge"
MAX_ITEMS = 3
ITEM_MIN, ITEM_MAX = 10, 500
TEXT_MAX = 2000  # any free text; more is asked to be shortened
# InvalidInput reasons, each answered with its own text
EMPTY, TOO_SHORT, TOO_LONG, CONTROL, EXAMPLE = "empty", "short", "long", "control", "example"


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


@dataclass(frozen=True)
class Revision:
    version: int
    event: str
    items: tuple[Item, ...]
    comment: str | None
    actor: str | None
    at: datetime


@dataclass(frozen=True)
class Review:
    """What a secretary decides on: the pledge and, for an amendment, what it replaces."""

    pledge: PledgeView
    approved_before: tuple[Item, ...] | None


def clean_text(text: str, *, limit: int = TEXT_MAX) -> str:
    """Return typed text in NFC and trimmed; refuse control characters, emptiness, excess."""
    if has_control_chars(text):
        raise InvalidInput(CONTROL)
    value = nfc(text).strip()
    if not value:
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
    return _view(pledge, member) if pledge else NoPledge(year)


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
    session: AsyncSession, clock: Clock, member: Member, year: int, tz: tzinfo
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
    _revise(session, pledge, "submitted", member.id, now)
    await session.delete(draft)
    view = _view(pledge, member)
    await notify_managers(
        session,
        clock,
        member,
        f"pledge-submitted:{pledge.id}:{pledge.version}",
        screens.submitted_notice(member.full_name or "", year, pledge.version > 1, member.unit_id),
        tz,
    )
    audit.record(session, clock, "pledge.submit", actor_member_id=member.id, pledge=pledge.id)
    await session.commit()
    return view


@dataclass(frozen=True)
class History:
    pledge_id: int
    year: int
    own: bool
    revisions: tuple[Revision, ...]


async def history(session: AsyncSession, actor: Member, pledge_id: int) -> History:
    """Return a pledge's revisions, oldest first, to its member or a manager of its cell."""
    pledge = await _readable(session, actor, pledge_id)
    rows = await session.scalars(
        select(PledgeRevision)
        .where(PledgeRevision.pledge_id == pledge.id)
        .order_by(PledgeRevision.id)
    )
    names: dict[int, str] = {}
    result = []
    for row in rows:
        actor_name = None
        if row.actor_id is not None:
            if row.actor_id not in names:
                person = await session.get(Member, row.actor_id)
                names[row.actor_id] = (person.full_name or "") if person else ""
            actor_name = names[row.actor_id]
        items = tuple(Item(a, m) for a, m in row.items)
        result.append(Revision(row.version, row.event, items, row.comment, actor_name, row.at))
    return History(pledge.id, pledge.year, pledge.member_id == actor.id, tuple(result))


async def pending(
    session: AsyncSession, actor: Member, unit_id: int
) -> tuple[str, list[PledgeView]]:
    """Return the cell's name and its pledges waiting for a decision, oldest first."""
    await access.require_manager(session, actor, unit_id)
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("unit")
    rows = await session.execute(
        select(Pledge, Member)
        .join(Member, Member.id == Pledge.member_id)
        .where(Pledge.unit_id == unit_id, Pledge.status == PledgeStatus.SUBMITTED)
        .order_by(Pledge.submitted_at, Pledge.id)
    )
    return unit.name, [_view(pledge, owner) for pledge, owner in rows.all()]


async def for_review(session: AsyncSession, actor: Member, pledge_id: int) -> Review:
    """Return a pledge for a manager of its cell, with the approved items it would replace."""
    pledge, owner = await _managed(session, actor, pledge_id)
    before = None
    if pledge.approved_version is not None and pledge.approved_version != pledge.version:
        row = await session.scalar(
            select(PledgeRevision)
            .where(
                PledgeRevision.pledge_id == pledge.id,
                PledgeRevision.version == pledge.approved_version,
                PledgeRevision.event == "approved",
            )
            .order_by(PledgeRevision.id.desc())
            .limit(1)
        )
        before = tuple(Item(a, m) for a, m in row.items) if row else None
    return Review(_view(pledge, owner), before)


async def decide(
    session: AsyncSession,
    clock: Clock,
    actor: Member,
    pledge_id: int,
    version: int,
    *,
    approve: bool,
    tz: tzinfo,
    comment: str | None = None,
) -> PledgeView:
    """Approve, or return with a comment, the version the secretary saw; tell the member."""
    pledge, owner = await _managed(session, actor, pledge_id)
    if pledge.version != version or pledge.status is not PledgeStatus.SUBMITTED:
        raise Expired("pledge changed")  # the member amended it, or another manager decided
    note = None if approve else clean_text(comment or "")
    now = clock.now()
    pledge.status = PledgeStatus.APPROVED if approve else PledgeStatus.RETURNED
    pledge.comment, pledge.decided_at, pledge.decided_by_id = note, now, actor.id
    if approve:
        pledge.approved_version = pledge.version
    event = "approved" if approve else "returned"
    _revise(session, pledge, event, actor.id, now, note)
    audit.record(session, clock, f"pledge.{event}", actor_member_id=actor.id, pledge=pledge.id)
    await notify_member(
        session,
        clock,
        owner.id,
        f"pledge-{event}:{pledge.id}:{pledge.version}",
        screens.decided_notice(pledge.year, approve, note),
        tz,
    )
    await session.commit()
    return _view(pledge, owner)


async def notify_member(
    session: AsyncSession, clock: Clock, member_id: int, key: str, screen: Screen, tz: tzinfo
) -> bool:
    """Queue `screen` to a member's first reachable chat (not sent twice for one key).

    It is not their own answer, so it waits out their quiet hours (in their zone, else `tz`).
    """
    member = await session.get(Member, member_id)
    if member is None:
        return False
    identity = await session.scalar(
        select(ChannelIdentity)
        .where(ChannelIdentity.member_id == member_id, ChannelIdentity.blocked_at.is_(None))
        .order_by(ChannelIdentity.id)
        .limit(1)
    )
    if identity is None:
        return False
    return await outbox.enqueue(
        session,
        clock,
        key=key,
        channel=identity.channel,
        chat_id=identity.chat_id,
        member_id=member_id,
        method="sendMessage",
        payload=payload.send_message(identity.chat_id, screen),
        due_at=quiet_of(member).next_allowed(clock.now().astimezone(zone_of(member, tz))),
    )


async def notify_managers(
    session: AsyncSession, clock: Clock, about: Member, key: str, screen: Screen, tz: tzinfo
) -> None:
    """Queue `screen` to the secretary and deputies of `about`'s cell (not to `about`)."""
    managers = await session.scalars(
        select(Member.id).where(
            Member.unit_id == about.unit_id,
            Member.status == MemberStatus.ACTIVE,
            Member.role.in_(access.MANAGER_ROLES),
            Member.id != about.id,
        )
    )
    for manager_id in list(managers):
        await notify_member(session, clock, manager_id, f"{key}:{manager_id}", screen, tz)


async def _own_draft(session: AsyncSession, member: Member, year: int) -> Draft:
    access.require_active(member)
    draft = await find_draft(session, member.id, KIND, str(year))
    if draft is None:
        raise Expired("no draft")
    return draft


async def _readable(session: AsyncSession, actor: Member, pledge_id: int) -> Pledge:
    access.require_active(actor)
    pledge = await session.get(Pledge, pledge_id)
    if pledge is None:
        raise NotFound("pledge")
    if pledge.member_id != actor.id:
        await access.require_manager(session, actor, pledge.unit_id)
    return pledge


async def _managed(session: AsyncSession, actor: Member, pledge_id: int) -> tuple[Pledge, Member]:
    pledge = await session.get(Pledge, pledge_id)
    if pledge is None:
        raise NotFound("pledge")
    await access.require_manager(session, actor, pledge.unit_id)
    if pledge.member_id == actor.id:
        raise NotAllowed("own pledge")  # a secretary's own pledge goes to the committee
    owner = await session.get(Member, pledge.member_id)
    assert owner is not None
    return pledge, owner


def _revise(
    session: AsyncSession,
    pledge: Pledge,
    event: str,
    actor_id: int,
    at: datetime,
    comment: str | None = None,
) -> None:
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


def _view(pledge: Pledge, owner: Member) -> PledgeView:
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
