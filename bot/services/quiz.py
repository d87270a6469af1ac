"""Solo practice: rounds of questions from the banks, answers checked, spaced repetition.

A round lives in the database (a row, and one answer row a question), so a restart continues at
the same question. Each member × question keeps an fsrs Card. The rating is kept simple and
honest: a wrong answer is Again, a right one Good. Answer times in a chat include reading and
interruptions, so speed is no signal of how well a question is known and Hard/Easy are not used.
One learning step of ten minutes makes a wrong answer due again in ten minutes (for «Ôn lại câu
sai»), while a right one graduates at once and comes back in days.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from fsrs import Card, Rating, Scheduler
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.clock import Clock
from bot.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.quizbank import Question, QuizBanks
from bot.services.access import require_active
from bot.services.lessons import lesson_key, lessons_of, theme_of
from db.models import Member, QuizAnswer, QuizCard, QuizRound

ROUND_SIZE = 10
ROUND_TTL = timedelta(hours=24)  # a round left this long since its last question is over
PRACTICE_BANK = "thuc-hanh"  # facts about the practice: in every theme's rounds
SCHEDULER = Scheduler(
    learning_steps=(timedelta(minutes=10),),
    relearning_steps=(timedelta(minutes=10),),
    enable_fuzzing=False,  # one member's practice has no load to spread; keep it predictable
)
Kind = Literal["t", "b", "w", "d"]  # this year's theme, a bank, a work, what is due
SCOPES: dict[str, str] = {"t": "theme", "b": "bank", "w": "work", "d": "due"}


class Refused(DomainError):
    """A press that may not change the round: answered already, or the round is over."""

    def __init__(self, reason: Literal["answered", "finished", "expired"]) -> None:
        super().__init__(reason)
        self.reason = reason


class NoQuestions(DomainError):
    """Nothing to ask: no questions in that scope, or nothing due (`next_due` says when)."""

    def __init__(self, next_due: datetime | None = None) -> None:
        super().__init__("no questions")
        self.next_due = next_due


@dataclass(frozen=True)
class Asked:
    round_id: int
    index: int  # 0-based
    size: int
    question: Question
    short: bool  # fewer than ROUND_SIZE questions were available


@dataclass(frozen=True)
class Checked:
    round_id: int
    index: int
    size: int
    question: Question
    chosen: int
    right: bool
    last: bool


@dataclass(frozen=True)
class Cited:
    round_id: int
    question: Question
    work_title: str | None  # None: the facts about the practice
    done: bool  # the round is finished: the next press shows the result


@dataclass(frozen=True)
class Result:
    round_id: int
    score: int
    total: int
    seconds: int
    again: tuple[Question, ...]  # answered wrong: they come back soon
    due_now: int


@dataclass(frozen=True)
class Home:
    theme_name: str
    due: int
    open_round: tuple[int, int, int] | None  # id, index, size


@dataclass(frozen=True)
class BankChoice:
    key: str
    title: str
    count: int


async def home(
    session: AsyncSession, clock: Clock, catalog: Catalog, banks: QuizBanks, member: Member
) -> Home:
    """Return what the practice page shows: the theme, what is due, an unfinished round."""
    require_active(member)
    theme = await theme_of(session, catalog, member.unit_id)
    name = catalog.themes[theme].name if theme in catalog.themes else theme
    open_round = await _open_round(session, clock, member)
    where = (open_round.id, open_round.position, open_round.size) if open_round else None
    return Home(name, len(await _due_ids(session, clock, banks, member)), where)


def bank_choices(banks: QuizBanks) -> list[BankChoice]:
    """Return the banks a member may choose, by button key."""
    return [BankChoice(lesson_key(b.id), b.title, len(b.questions)) for b in banks.banks.values()]


async def start_round(
    session: AsyncSession,
    clock: Clock,
    catalog: Catalog,
    banks: QuizBanks,
    member: Member,
    kind: Kind,
    key: str = "",
) -> Asked:
    """Start a round (ending any open one) and return its first question. Commits."""
    require_active(member)
    now = clock.now()
    scope_id, pool = await _pool(session, catalog, banks, member, kind, key)
    chosen = await _pick(session, now, member, pool, due_only=kind == "d", apart=banks.apart)
    if not chosen:
        raise NoQuestions(await _next_due(session, banks, member) if kind == "d" else None)
    await session.execute(
        update(QuizRound)
        .where(QuizRound.member_id == member.id, QuizRound.finished_at.is_(None))
        .values(finished_at=now, abandoned=True)
    )
    row = QuizRound(
        member_id=member.id,
        scope=SCOPES[kind],
        scope_id=scope_id,
        size=len(chosen),
        position=0,
        started_at=now,
        asked_at=now,
        finished_at=None,
        abandoned=False,
    )
    session.add(row)
    await session.flush()
    session.add_all(
        QuizAnswer(round_id=row.id, position=i, question_id=q.id, skipped=False)
        for i, q in enumerate(chosen)
    )
    await session.commit()
    return Asked(row.id, 0, len(chosen), chosen[0], len(chosen) < ROUND_SIZE)


async def current(
    session: AsyncSession, clock: Clock, banks: QuizBanks, member: Member, round_id: int
) -> Asked | Result:
    """Return the question waiting in a round (skipping removed ones), or its result. Commits."""
    row = await _own(session, member, round_id)
    if row.finished_at is not None and not row.abandoned:
        return await result(session, clock, banks, member, round_id)
    _check_open(row, clock.now())
    while row.position < row.size:
        item = await session.get(QuizAnswer, (row.id, row.position))
        question = banks.question(item.question_id) if item else None
        if question is not None:
            row.asked_at = clock.now()
            await session.commit()
            return Asked(row.id, row.position, row.size, question, row.size < ROUND_SIZE)
        if item is not None:
            item.skipped = True
        row.position += 1
    row.finished_at = clock.now()
    await session.commit()
    return await result(session, clock, banks, member, round_id)


async def answer(
    session: AsyncSession,
    clock: Clock,
    banks: QuizBanks,
    member: Member,
    round_id: int,
    index: int,
    option: int,
) -> Checked | Asked | Result:
    """Check an answer to the waiting question and schedule its review. Commits.

    A question removed from the content since it was shown is skipped: the next one is returned.
    """
    row = await _own(session, member, round_id)
    now = clock.now()
    if row.finished_at is not None:
        raise Refused("expired" if row.abandoned else "finished")
    if index != row.position:
        raise Refused("answered")
    _check_open(row, now)
    item = await session.get(QuizAnswer, (row.id, index))
    question = banks.question(item.question_id) if item else None
    if question is None:
        return await current(session, clock, banks, member, round_id)
    if not 1 <= option <= len(question.options):
        raise InvalidInput("no such option")
    last = index + 1 >= row.size
    # Two presses at once (a double tap, two devices): only the one that moves the round on
    # counts; the other finds the position changed and is refused.
    moved = await session.execute(
        update(QuizRound)
        .where(QuizRound.id == row.id, QuizRound.position == index)
        .where(QuizRound.finished_at.is_(None))
        .values(position=index + 1, asked_at=now, finished_at=now if last else None)
        .execution_options(synchronize_session=False)
    )
    if getattr(moved, "rowcount", 0) != 1:
        await session.rollback()
        raise Refused("answered")
    right = option == question.correct
    assert item is not None
    item.chosen, item.correct, item.answered_at = option, right, now
    await _review(session, now, member, question.id, right)
    await session.commit()
    return Checked(row.id, index, row.size, question, option, right, last)


async def cited(
    session: AsyncSession,
    catalog: Catalog,
    banks: QuizBanks,
    member: Member,
    round_id: int,
    index: int,
) -> Cited:
    """Return the passage an answered question cites, with its work's title."""
    row = await _own(session, member, round_id)
    if index >= row.position:
        raise Refused("expired")  # the passage would give the answer away
    item = await session.get(QuizAnswer, (row.id, index))
    question = banks.question(item.question_id) if item else None
    if question is None:
        raise NotFound("question")
    work = catalog.works.get(question.work)
    done = row.finished_at is not None or row.position >= row.size
    return Cited(row.id, question, work.title if work else None, done)


async def result(
    session: AsyncSession, clock: Clock, banks: QuizBanks, member: Member, round_id: int
) -> Result:
    """Return a finished round's score, time and the questions that come back soon."""
    row = await _own(session, member, round_id)
    if row.finished_at is None or row.abandoned:
        raise Refused("expired")
    items = list(
        await session.scalars(
            select(QuizAnswer).where(QuizAnswer.round_id == row.id).order_by(QuizAnswer.position)
        )
    )
    counted = [x for x in items if not x.skipped and x.chosen is not None]
    wrong = (banks.question(x.question_id) for x in counted if not x.correct)
    return Result(
        row.id,
        sum(1 for x in counted if x.correct),
        len(counted),
        int((row.finished_at - row.started_at).total_seconds()),
        tuple(q for q in wrong if q is not None),
        len(await _due_ids(session, clock, banks, member)),
    )


async def _own(session: AsyncSession, member: Member, round_id: int) -> QuizRound:
    require_active(member)
    # Fresh from the database: another press may have moved the round on meanwhile.
    row = await session.get(QuizRound, round_id, populate_existing=True)
    if row is None:
        raise NotFound("round")
    if row.member_id != member.id:
        raise NotAllowed("another member's quiz round")
    return row


def _check_open(row: QuizRound, now: datetime) -> None:
    if row.finished_at is not None:
        raise Refused("expired" if row.abandoned else "finished")
    if now - row.asked_at > ROUND_TTL:
        raise Refused("expired")


async def _open_round(session: AsyncSession, clock: Clock, member: Member) -> QuizRound | None:
    row = await session.scalar(
        select(QuizRound)
        .where(QuizRound.member_id == member.id, QuizRound.finished_at.is_(None))
        .order_by(QuizRound.id.desc())
        .limit(1)
    )
    if row is None or clock.now() - row.asked_at > ROUND_TTL:
        return None
    return row


async def _pool(
    session: AsyncSession,
    catalog: Catalog,
    banks: QuizBanks,
    member: Member,
    kind: Kind,
    key: str,
) -> tuple[str, list[Question]]:
    """The scope's id and every question in it, in bank order, each once."""
    if kind == "t":
        theme = await theme_of(session, catalog, member.unit_id)
        works = {x.work for x in lessons_of(catalog, theme)}
        chosen = [b for b in banks.banks.values() if b.works & works or b.id == PRACTICE_BANK]
        return theme, _unique(q for b in chosen for q in b.questions)
    if kind == "b":
        bank = next((b for b in banks.banks.values() if lesson_key(b.id) == key), None)
        if bank is None:
            raise NotFound("bank")
        return bank.id, list(bank.questions)
    if kind == "w":
        work = next((w for w in catalog.works if lesson_key(w) == key), None)
        if work is None:
            raise NotFound("work")
        return work, list(banks.questions_for_work(work))
    return "", _unique(q for b in banks.banks.values() for q in b.questions)


def _unique(questions: Iterable[Question]) -> list[Question]:
    seen: dict[str, Question] = {}
    for q in questions:
        seen.setdefault(q.id, q)
    return list(seen.values())


async def _pick(
    session: AsyncSession,
    now: datetime,
    member: Member,
    pool: list[Question],
    *,
    due_only: bool,
    apart: frozenset[frozenset[str]] = frozenset(),
) -> list[Question]:
    """Due questions first (most overdue first), then unseen ones, then the soonest due; never
    two questions where one gives the other's answer away (QuizBanks.apart)."""
    rows = await session.execute(
        select(QuizCard.question_id, QuizCard.due).where(QuizCard.member_id == member.id)
    )
    due_at = dict(rows.all())  # dict(rows) would take Result.keys() for the column names
    seen = sorted((q for q in pool if q.id in due_at), key=lambda q: due_at[q.id])
    due = [q for q in seen if due_at[q.id] <= now]
    if due_only:
        return _apart(due, apart)
    unseen = [q for q in pool if q.id not in due_at]
    later = [q for q in seen if due_at[q.id] > now]
    return _apart(due + unseen + later, apart)


def _apart(ordered: list[Question], apart: frozenset[frozenset[str]]) -> list[Question]:
    """The first ROUND_SIZE questions in order, skipping one that leaks with one already in."""
    chosen: list[Question] = []
    for q in ordered:
        if len(chosen) == ROUND_SIZE:
            break
        if not any(frozenset((q.id, x.id)) in apart for x in chosen):
            chosen.append(q)
    return chosen


async def _due_ids(
    session: AsyncSession, clock: Clock, banks: QuizBanks, member: Member
) -> list[str]:
    rows = await session.scalars(
        select(QuizCard.question_id).where(
            QuizCard.member_id == member.id, QuizCard.due <= clock.now()
        )
    )
    return [x for x in rows if banks.question(x) is not None]


async def _next_due(session: AsyncSession, banks: QuizBanks, member: Member) -> datetime | None:
    rows = await session.execute(
        select(QuizCard.question_id, QuizCard.due)
        .where(QuizCard.member_id == member.id)
        .order_by(QuizCard.due)
    )
    return next((due for qid, due in rows if banks.question(qid) is not None), None)


async def _review(
    session: AsyncSession, now: datetime, member: Member, question_id: str, right: bool
) -> None:
    row = await session.get(QuizCard, (member.id, question_id))
    at = now.astimezone(UTC)  # fsrs insists on UTC
    # card_id is only fsrs's own label; a fixed one spares its time-based default (and sleep).
    card = Card.from_dict(json.loads(row.card)) if row else Card(card_id=1, due=at)
    card, _ = SCHEDULER.review_card(card, Rating.Good if right else Rating.Again, at)
    data = json.dumps(card.to_dict())
    due = card.due
    if row is None:
        session.add(
            QuizCard(
                member_id=member.id,
                question_id=question_id,
                card=data,
                due=due,
                reviews=1,
                lapses=0 if right else 1,
                reviewed_at=now,
            )
        )
        return
    row.card, row.due, row.reviewed_at = data, due, now
    row.reviews += 1
    row.lapses += 0 if right else 1


async def due_count(session: AsyncSession, clock: Clock, banks: QuizBanks, member: Member) -> int:
    """Return how many of a member's questions are due for review now."""
    return len(await _due_ids(session, clock, banks, member))
