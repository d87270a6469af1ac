"""/xoadulieu: a member erases every stored copy of their words.

The rows of pledges and check-ins stay, so the cell's counts of who submitted and when still
hold; everything the member wrote or rated, the comments about it, their drafts, the name they
typed, and every copy in the inbox, outbox, conversation state and audit details go.
`COVERED` names each text column and what erasure does to it; a test keeps it complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.services import audit
from bot.services import erasure_copies as copies
from bot.services.erasure_people import managers_of, person_of
from bot.services.membership import OTHER as OTHER_REASON
from bot.services.membership import REASONS as LEFT_REASONS
from db.models import (
    ChannelIdentity,
    Checkin,
    CheckinAnswer,
    Draft,
    Exemption,
    Invite,
    Member,
    Pledge,
    PledgeItem,
    PledgeRevision,
    QuizNightPlayer,
)

ERASED = copies.ERASED
# Stored in place of a name the member typed when the invite carried none: the cell still sees
# a row, and the reason it has no name.
ERASED_NAME = "(đã xóa tên)"

# Every text or JSON column that can hold a member's words, and what erasure does with it.
COVERED: dict[str, str] = {
    "members.full_name": "back to the name the secretary wrote on the invite, or none",
    "channel_identities.display_name": "cleared",
    "quiz_night_players.display_name": "the name the secretary wrote, or none",
    "pledges.comment": "cleared",
    "pledge_items.action": "replaced by 'đã xóa'",
    "pledge_items.measure": "replaced by 'đã xóa'",
    "pledge_revisions.items": "emptied",
    "pledge_revisions.comment": "cleared",
    "checkins.note": "cleared",
    "checkins.comment": "cleared",
    "checkin_answers.item": "replaced by 'đã xóa'",
    "checkin_answers.done": "cleared",
    "checkin_answers.fix": "cleared",
    "checkin_exemptions.reason": "replaced by 'đã xóa' (it may say why: illness, family)",
    "drafts.data": "deleted with the draft",
    "members.left_reason": "a reason the secretary typed becomes 'other'",
    "inbox.payload": "the member's updates kept as their id; their words out of others'",
    "inbox.error": "their words replaced",
    "outbox.payload": "their words replaced in what goes to them and their managers",
    "outbox.error": "their words replaced",
    "outbox.condition": "their words replaced (a notice's line may name them)",
    "conversation_state.data": "their state deleted; their words out of others'",
    "audit_log.detail": "their words replaced",
}


@dataclass(frozen=True)
class Erasure:
    rows: int  # check-ins and pledges whose words were erased
    # For conversation state kept outside the database (Redis): whose to drop, what to take out.
    user_ids: tuple[int, ...]
    reader_ids: tuple[int, ...]  # who was shown the member's words: their state is scrubbed
    needles: tuple[str, ...]


async def erase_my_data(session: AsyncSession, clock: Clock, member: Member) -> Erasure:
    """Erase every stored copy of the member's words; a member who has left may erase too."""
    now = clock.now()
    person = await person_of(session, member)
    checkin_ids = list(
        await session.scalars(select(Checkin.id).where(Checkin.member_id == member.id))
    )
    pledge_ids = list(
        await session.scalars(select(Pledge.id).where(Pledge.member_id == member.id))
    )
    needles = copies.needles_of(await _words_of(session, member, checkin_ids, pledge_ids))
    await _erase_own_rows(session, member, checkin_ids, pledge_ids, now)
    await _erase_names(session, member, person)
    managers = await managers_of(session, member)
    chats = {chat for _, chat in person.chats} | managers.chats
    await copies.erase_inbox(session, person, needles, chats)
    await copies.erase_outbox(session, needles, managers.members | {member.id}, chats)
    users = {u for _, u in person.users}
    await copies.erase_conversations(session, users, managers.users, needles)
    await copies.erase_audit(session, needles)
    audit.record(
        session,
        clock,
        "member.erase",
        actor_member_id=member.id,
        checkins=len(checkin_ids),
        pledges=len(pledge_ids),
    )
    await session.commit()
    await _drop_old_pages(session)
    rows = len(checkin_ids) + len(pledge_ids)
    return Erasure(rows, tuple(sorted(users)), tuple(sorted(managers.users)), needles)


async def _words_of(
    session: AsyncSession, member: Member, checkin_ids: list[int], pledge_ids: list[int]
) -> list[str]:
    """Everything the member typed that other rows may quote, read before it is erased."""
    words: list[str] = []
    invited = await _invite_name(session, member)
    if member.full_name and member.full_name != invited:
        words.append(member.full_name)
    for row in await session.execute(
        select(CheckinAnswer.done, CheckinAnswer.fix).where(
            CheckinAnswer.checkin_id.in_(checkin_ids)
        )
    ):
        words += [w for w in row if w]
    words += [
        n
        for n in await session.scalars(select(Checkin.note).where(Checkin.id.in_(checkin_ids)))
        if n
    ]
    for action, measure in await session.execute(
        select(PledgeItem.action, PledgeItem.measure).where(PledgeItem.pledge_id.in_(pledge_ids))
    ):
        words += [action, measure]
    for items in await session.scalars(
        select(PledgeRevision.items).where(PledgeRevision.pledge_id.in_(pledge_ids))
    ):
        words += list(_strings(items))
    for data in await session.scalars(select(Draft.data).where(Draft.member_id == member.id)):
        words += list(_strings(data))
    return words


async def _erase_own_rows(
    session: AsyncSession,
    member: Member,
    checkin_ids: list[int],
    pledge_ids: list[int],
    now: Any,
) -> None:
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
    await session.execute(
        update(Exemption).where(Exemption.member_id == member.id).values(reason=ERASED)
    )
    for draft in await session.scalars(select(Draft).where(Draft.member_id == member.id)):
        await session.delete(draft)


async def _erase_names(session: AsyncSession, member: Member, person: copies.Person) -> None:
    member.full_name = await _invite_name(session, member) or ERASED_NAME
    if member.left_reason is not None and member.left_reason not in LEFT_REASONS:
        member.left_reason = OTHER_REASON
    await session.execute(
        update(ChannelIdentity)
        .where(ChannelIdentity.member_id == member.id)
        .values(display_name=None)
    )
    users = [u for _, u in person.users]
    await session.execute(
        update(QuizNightPlayer)
        .where(or_(QuizNightPlayer.member_id == member.id, QuizNightPlayer.user_id.in_(users)))
        .values(display_name=member.full_name)
    )


async def _invite_name(session: AsyncSession, member: Member) -> str | None:
    if member.invite_id is None:
        return None
    return await session.scalar(select(Invite.full_name).where(Invite.id == member.invite_id))


async def _drop_old_pages(session: AsyncSession) -> None:
    # With secure_delete the freed space is zeroed, but WAL frames still hold the old pages
    # until a checkpoint copies them back and truncates the log. Best effort: a reader holding
    # an old snapshot makes SQLite skip part of it, and the next checkpoint finishes the job.
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
