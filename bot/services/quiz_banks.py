"""Imported question banks: a draft from a file, published by the unit's secretary, archived later.

These banks are the unit's own content. Unlike content/quizzes/ they are not checked against
the works, so callers show `source` as the unit wrote it and never present a question as
verified. Quiz nights offer them beside the content banks through `published_banks`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.quiz_models import fits_poll
from bot.services import access, audit
from bot.textnorm import clean
from db.models import BankStatus, Member, QuizBank, QuizBankQuestion, Role, Unit

TITLE_MAX = 120
# Deputies manage a cell's members but not its study material: the issue names the secretary.
IMPORT_ROLES = frozenset({Role.SECRETARY, Role.COMMITTEE_ADMIN, Role.OPERATOR})


@dataclass(frozen=True)
class BankQuestion:
    """One question of an imported bank; `correct` is the 1-based number of the right option."""

    text: str
    options: tuple[str, ...]
    correct: int
    explanation: str  # "" when the file gave none
    source: str  # as the unit wrote it, unverified; "" when none

    @property
    def answer(self) -> str:
        return self.options[self.correct - 1]

    @property
    def fits_poll(self) -> bool:
        """Whether it can be sent as a Telegram quiz poll; if not, play it as text + buttons."""
        return fits_poll(self.text, self.options)


@dataclass(frozen=True)
class BankInfo:
    id: int
    unit_id: int
    unit_name: str
    title: str
    status: BankStatus
    file_name: str
    questions: int
    created_at: datetime
    published_at: datetime | None


@dataclass(frozen=True)
class PublishedBank:
    """A published imported bank, with its questions in file order."""

    id: int
    unit_id: int  # the owner: the unit asked about, or a committee above it
    title: str
    questions: tuple[BankQuestion, ...]


class NotDraft(DomainError):
    """The bank was already published, archived or is not in the state the action needs."""

    def __init__(self, status: BankStatus) -> None:
        super().__init__(status.value)
        self.status = status


async def may_import(session: AsyncSession, actor: Member | None, unit_id: int) -> bool:
    """Tell whether `actor` may import, publish or discard banks of `unit_id`."""
    return (
        actor is not None
        and actor.role in IMPORT_ROLES
        and await access.can_manage_unit(session, actor, unit_id)
    )


async def create_draft(
    session: AsyncSession,
    clock: Clock,
    *,
    unit_id: int,
    actor: Member | None,
    file_name: str,
    questions: Sequence[BankQuestion],
    title: str | None = None,
) -> BankInfo:
    """Store the questions as one draft bank in one transaction; `actor` None is the CLI."""
    if actor is not None and not await may_import(session, actor, unit_id):
        raise NotAllowed("may not import banks for this unit")
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("unit")
    if not questions:
        raise InvalidInput("no questions")
    bank = QuizBank(
        unit_id=unit_id,
        title=clean(title or "")[:TITLE_MAX] or title_from_file(file_name),
        status=BankStatus.DRAFT,
        file_name=PurePath(file_name).name[:255],
        created_by_id=actor.id if actor else None,
        created_at=clock.now(),
        published_at=None,
    )
    try:
        session.add(bank)
        await session.flush()
        session.add_all(
            QuizBankQuestion(
                bank_id=bank.id,
                position=position,
                question=q.text,
                options=json.dumps(list(q.options), ensure_ascii=False),
                correct=q.correct,
                explanation=q.explanation,
                source=q.source,
            )
            for position, q in enumerate(questions, start=1)
        )
        audit.record(
            session,
            clock,
            "quiz_bank.import",
            actor_member_id=actor.id if actor else None,
            bank_id=bank.id,
            unit_id=unit_id,
            questions=len(questions),
        )
        await session.commit()
    except Exception:
        await session.rollback()  # all the rows or none
        raise
    return await _info(session, bank.id)


async def publish(
    session: AsyncSession, clock: Clock, actor: Member | None, bank_id: int
) -> BankInfo:
    """Publish a draft so the unit and the cells below it can play it."""
    bank = await _managed(session, actor, bank_id)
    # Conditional: two presses racing on "Công bố" publish once; the second sees NotDraft.
    result = await session.execute(
        update(QuizBank)
        .where(QuizBank.id == bank.id, QuizBank.status == BankStatus.DRAFT)
        .values(status=BankStatus.PUBLISHED, published_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        await session.refresh(bank)  # nothing changed; no rollback, which would expire `actor`
        raise NotDraft(bank.status)
    _audit(session, clock, "quiz_bank.publish", actor, bank)
    await session.commit()
    await session.refresh(bank)  # the update went around the identity map
    return await _info(session, bank.id)


async def discard(
    session: AsyncSession, clock: Clock, actor: Member | None, bank_id: int
) -> BankInfo:
    """Delete a draft and its questions; a published bank is archived instead."""
    bank = await _managed(session, actor, bank_id)
    info = await _info(session, bank.id)
    if bank.status is not BankStatus.DRAFT:
        raise NotDraft(bank.status)
    await session.execute(delete(QuizBankQuestion).where(QuizBankQuestion.bank_id == bank.id))
    await session.execute(delete(QuizBank).where(QuizBank.id == bank.id))
    _audit(session, clock, "quiz_bank.discard", actor, bank)
    await session.commit()
    return info


async def archive(
    session: AsyncSession, clock: Clock, actor: Member | None, bank_id: int
) -> BankInfo:
    """Withdraw a published bank from play; its questions are kept."""
    bank = await _managed(session, actor, bank_id)
    if bank.status is not BankStatus.PUBLISHED:
        raise NotDraft(bank.status)
    bank.status = BankStatus.ARCHIVED
    _audit(session, clock, "quiz_bank.archive", actor, bank)
    await session.commit()
    return await _info(session, bank.id)


async def list_banks(session: AsyncSession, unit_id: int | None = None) -> list[BankInfo]:
    """Return every imported bank (of one unit, if given), newest first."""
    query = select(QuizBank.id).order_by(QuizBank.id.desc())
    if unit_id is not None:
        query = query.where(QuizBank.unit_id == unit_id)
    return [await _info(session, bank_id) for bank_id in await session.scalars(query)]


async def published_banks(session: AsyncSession, unit_id: int) -> list[PublishedBank]:
    """Return the published banks a unit may play: its own, then its committees', oldest first.

    A cell sees its own banks and those of every committee above it; a committee sees its own
    and those above it, never its cells'. The questions are unverified content (see above).
    """
    owners = await access.ancestors(session, unit_id)
    banks = list(
        await session.scalars(
            select(QuizBank)
            .where(QuizBank.unit_id.in_(owners), QuizBank.status == BankStatus.PUBLISHED)
            .order_by(QuizBank.id)
        )
    )
    banks.sort(key=lambda b: owners.index(b.unit_id))  # nearest owner first, stable by id
    return [
        PublishedBank(b.id, b.unit_id, b.title, await _questions(session, b.id)) for b in banks
    ]


def title_from_file(file_name: str) -> str:
    """A bank title from its file name: "ngan-hang_cau-hoi.xlsx" → "ngan hang cau hoi"."""
    stem = PurePath(file_name).stem
    return clean(re.sub(r"[_\-.]+", " ", stem))[:TITLE_MAX] or "Bộ câu hỏi"


async def _questions(session: AsyncSession, bank_id: int) -> tuple[BankQuestion, ...]:
    rows = await session.scalars(
        select(QuizBankQuestion)
        .where(QuizBankQuestion.bank_id == bank_id)
        .order_by(QuizBankQuestion.position)
    )
    return tuple(
        BankQuestion(r.question, tuple(json.loads(r.options)), r.correct, r.explanation, r.source)
        for r in rows
    )


async def _managed(session: AsyncSession, actor: Member | None, bank_id: int) -> QuizBank:
    """The bank, if `actor` (None: the CLI) may manage it; checked on every press."""
    bank = await session.get(QuizBank, bank_id)
    if bank is None:
        raise NotFound("quiz bank")
    if actor is not None and not await may_import(session, actor, bank.unit_id):
        raise NotAllowed("may not manage this bank")
    return bank


async def _info(session: AsyncSession, bank_id: int) -> BankInfo:
    bank = await session.get(QuizBank, bank_id)
    if bank is None:
        raise NotFound("quiz bank")
    unit = await session.get(Unit, bank.unit_id)
    count = await session.scalar(
        select(func.count())
        .select_from(QuizBankQuestion)
        .where(QuizBankQuestion.bank_id == bank_id)
    )
    return BankInfo(
        bank.id,
        bank.unit_id,
        unit.name if unit else "",
        bank.title,
        bank.status,
        bank.file_name,
        int(count or 0),
        bank.created_at,
        bank.published_at,
    )


def _audit(
    session: AsyncSession, clock: Clock, action: str, actor: Member | None, bank: QuizBank
) -> None:
    audit.record(
        session,
        clock,
        action,
        actor_member_id=actor.id if actor else None,
        bank_id=bank.id,
        unit_id=bank.unit_id,
    )
