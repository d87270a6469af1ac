"""The copies of a member's words outside their own rows: the inbox's stored updates, the
outbox's payloads, conversation state and audit details.

Whole updates the member sent are reduced to their id (the worker then hands an empty update
to the dispatcher, which ignores it). Elsewhere only the member's words are replaced, so a
secretary's pending digest still goes out, with "đã xóa" where the member's text was.
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.textnorm import fold
from db.models import AuditEntry, ConversationState, InboxUpdate, OutboxMessage

Row = TypeVar("Row", InboxUpdate, OutboxMessage, AuditEntry)
ERASED = "đã xóa"
BATCH = 500
# Shorter texts ("Tốt", "ok") are not the member's alone: replacing them everywhere would blank
# ordinary words in other people's messages.
MIN_NEEDLE = 6
# Where Telegram puts a person inside an update: the sender, a poll voter, a private chat.
_PERSON_KEYS = ("from", "user", "chat")


@dataclass(frozen=True)
class Person:
    """Who the member is on the channels: pairs of (channel, user id) and their chat ids."""

    users: frozenset[tuple[str, int]]
    chats: frozenset[tuple[str, int]]


def needles_of(texts: Collection[str]) -> tuple[str, ...]:
    """Return the forms of the member's texts to look for: as typed, HTML-escaped, and folded
    (typed-answer menus keep button labels folded)."""
    found = {t.strip() for t in texts if len(t.strip()) >= MIN_NEEDLE}
    found |= {html.escape(t, quote=False) for t in found}
    found |= {f for f in (fold(t) for t in found) if len(f) >= MIN_NEEDLE}
    found.discard(ERASED)
    return tuple(sorted(found, key=len, reverse=True))  # longest first: no half-replaced text


def scrub(value: Any, needles: tuple[str, ...]) -> Any:
    """Return `value` (JSON) with every needle inside its strings replaced by ERASED."""
    if isinstance(value, str):
        for needle in needles:
            if needle in value:
                value = value.replace(needle, ERASED)
        return value
    if isinstance(value, list):
        return [scrub(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, needles) for k, v in value.items()}
    return value


def sent_by(update: Any, channel: str, person: Person) -> bool:
    """Tell whether a stored update came from (or is in the private chat of) the person."""
    if isinstance(update, list):
        return any(sent_by(v, channel, person) for v in update)
    if not isinstance(update, dict):
        return False
    for key in _PERSON_KEYS:
        who = update.get(key)
        if isinstance(who, dict) and isinstance(who.get("id"), int):
            pair = (channel, who["id"])
            if pair in person.users or (key == "chat" and pair in person.chats):
                return True
    return any(sent_by(v, channel, person) for v in update.values())


async def erase_inbox(
    session: AsyncSession, person: Person, needles: tuple[str, ...], chats: Collection[int]
) -> int:
    """Reduce the member's updates to their id; take their words out of the others'."""
    changed = 0
    near = or_(
        InboxUpdate.chat_id.in_(list(chats)),
        InboxUpdate.chat_id.is_(None),
        InboxUpdate.chat_id < 0,  # groups: quiz nights
    )
    async for rows in _pages(session, InboxUpdate, near):
        for row in rows:
            if sent_by(row.payload, row.channel, person):
                payload: dict[str, Any] = {"update_id": row.update_id}
            else:
                payload = scrub(row.payload, needles)
            error = scrub(row.error, needles)
            if payload != row.payload or error != row.error:
                row.payload, row.error = payload, error
                changed += 1
    return changed


async def erase_outbox(
    session: AsyncSession,
    needles: tuple[str, ...],
    members: Collection[int],
    chats: Collection[int],
) -> int:
    """Take the member's words out of what was or will be sent to them and their managers."""
    changed = 0
    near = or_(OutboxMessage.member_id.in_(list(members)), OutboxMessage.chat_id.in_(list(chats)))
    async for rows in _pages(session, OutboxMessage, near):
        for row in rows:
            payload, error = scrub(row.payload, needles), scrub(row.error, needles)
            condition = scrub(row.condition, needles)  # its line may name the member
            if (payload, error, condition) != (row.payload, row.error, row.condition):
                row.payload, row.error, row.condition = payload, error, condition
                changed += 1
    return changed


async def erase_conversations(
    session: AsyncSession,
    user_ids: Collection[int],
    reader_ids: Collection[int],
    needles: tuple[str, ...],
) -> int:
    """Drop the member's own conversation state; take their words out of their readers'."""
    keys = list(await session.scalars(select(ConversationState.key)))
    mine = [key for key in keys if _user_of_key(key) in user_ids]
    theirs = [key for key in keys if _user_of_key(key) in reader_ids]
    if mine:
        await session.execute(delete(ConversationState).where(ConversationState.key.in_(mine)))
    changed = len(mine)
    for start in range(0, len(theirs), BATCH):
        chunk = theirs[start : start + BATCH]
        for row in await session.scalars(
            select(ConversationState).where(ConversationState.key.in_(chunk))
        ):
            data = scrub(row.data, needles)
            if data != row.data:
                row.data = data
                changed += 1
    return changed


async def erase_audit(session: AsyncSession, needles: tuple[str, ...]) -> int:
    """Take the member's words out of audit details (written before details held no text)."""
    if not needles:
        return 0
    changed = 0
    async for rows in _pages(session, AuditEntry):
        for row in rows:
            detail = scrub(row.detail, needles)
            if detail != row.detail:
                row.detail = detail
                changed += 1
    return changed


async def _pages(
    session: AsyncSession, model: type[Row], *where: ColumnElement[bool]
) -> AsyncIterator[list[Row]]:
    """Yield `model`'s rows BATCH at a time by id, flushing each page's changes before the next,
    so a large table is never held in memory at once."""
    after = 0
    while True:
        rows = list(
            await session.scalars(
                select(model).where(model.id > after, *where).order_by(model.id).limit(BATCH)
            )
        )
        if not rows:
            return
        yield rows
        after = rows[-1].id
        await session.flush()


def _user_of_key(key: str) -> int | None:
    # aiogram's DefaultKeyBuilder: "fsm:<bot>:<chat>[:<thread>]:<user>:<destiny>".
    parts = key.split(":")
    try:
        return int(parts[-2])
    except (IndexError, ValueError):
        return None
