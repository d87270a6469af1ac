"""Solo practice: which questions a round asks, answers, refusals and spaced repetition."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import load_catalog
from bot.errors import InvalidInput, NotAllowed
from bot.quizbank import QuizBanks, load_banks
from bot.services import quiz
from bot.services.lessons import lesson_key
from db.models import QuizCard, QuizRound
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

CATALOG = load_catalog()
BANKS = load_banks(catalog=CATALOG)
TUYEN_NGON = lesson_key("tuyen-ngon-doc-lap")
CAN_KIEM = lesson_key("can-kiem-liem-chinh")


def answered(asked: quiz.Asked | quiz.Checked | quiz.Result) -> quiz.Asked:
    assert isinstance(asked, quiz.Asked), asked
    return asked


async def play(
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    first: quiz.Asked,
    right: set[int],
    banks: QuizBanks = BANKS,
) -> quiz.Result:
    """Answer a round to its end: right at the given indexes, wrong elsewhere."""
    asked: quiz.Asked | quiz.Result = first
    while isinstance(asked, quiz.Asked):
        q = asked.question
        option = q.correct if asked.index in right else q.correct % len(q.options) + 1
        clock.move(seconds=20)
        checked = await quiz.answer(
            session, clock, banks, cast.an, asked.round_id, asked.index, option
        )
        assert isinstance(checked, quiz.Checked)
        assert checked.right == (asked.index in right)
        asked = await quiz.current(session, clock, banks, cast.an, asked.round_id)
    return asked


async def test_a_theme_round_asks_ten_questions_from_the_theme_works_and_the_practice(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    lessons = CATALOG.lessons["toan-khoa-xiii"]
    only = tuple(x for x in lessons if x.work == "can-kiem-liem-chinh-1949")
    catalog = replace(CATALOG, lessons={"toan-khoa-xiii": only})
    first = await quiz.start_round(session, clock, catalog, BANKS, cast.an, "t")
    ids = [first.question.id]
    asked: quiz.Asked | quiz.Result = first
    for index in range(9):
        q = answered(asked).question
        await quiz.answer(session, clock, BANKS, cast.an, first.round_id, index, q.correct)
        asked = await quiz.current(session, clock, BANKS, cast.an, first.round_id)
        ids.append(answered(asked).question.id)
    assert (first.size, first.short) == (10, False)
    assert len(set(ids)) == 10
    banks = {BANKS.bank_of(x).id for x in ids}  # type: ignore[union-attr]
    assert banks == {"can-kiem-liem-chinh", "thuc-hanh"}


async def test_a_chosen_work_with_few_questions_makes_a_shorter_round(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    first = await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "b", CAN_KIEM)
    assert (first.size, first.short) == (3, True)
    by_work = await quiz.start_round(
        session, clock, CATALOG, BANKS, cast.an, "w", lesson_key("duong-kach-menh-1927")
    )
    assert by_work.size == 3
    assert by_work.question.work == "duong-kach-menh-1927"


async def test_due_questions_come_first_then_unseen_ones_never_twice(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    first = await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "b", TUYEN_NGON)
    ids = [q.id for q in BANKS.banks["tuyen-ngon-doc-lap"].questions]
    assert first.question.id == ids[0]
    await play(session, clock, cast, first, right=set(range(1, 10)))
    clock.move(minutes=11)
    second = await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "b", TUYEN_NGON)
    asked: quiz.Asked | quiz.Result = second
    seen = []
    while isinstance(asked, quiz.Asked):
        seen.append(asked.question.id)
        await quiz.answer(
            session, clock, BANKS, cast.an, second.round_id, asked.index, asked.question.correct
        )
        asked = await quiz.current(session, clock, BANKS, cast.an, second.round_id)
    assert seen == [ids[0], *ids[10:19]]


async def test_an_answer_counts_once_and_stale_or_foreign_presses_change_nothing(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    first = await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "b", CAN_KIEM)
    q = first.question
    wrong = q.correct % len(q.options) + 1
    with pytest.raises(InvalidInput):
        await quiz.answer(session, clock, BANKS, cast.an, first.round_id, 0, 9)
    with pytest.raises(NotAllowed):
        await quiz.answer(session, clock, BANKS, cast.binh, first.round_id, 0, q.correct)
    checked = await quiz.answer(session, clock, BANKS, cast.an, first.round_id, 0, wrong)
    assert isinstance(checked, quiz.Checked)
    assert (checked.right, checked.chosen, checked.last) == (False, wrong, False)
    with pytest.raises(quiz.Refused) as twice:
        await quiz.answer(session, clock, BANKS, cast.an, first.round_id, 0, q.correct)
    assert twice.value.reason == "answered"
    with pytest.raises(quiz.Refused):  # a button of a question not asked yet
        await quiz.answer(session, clock, BANKS, cast.an, first.round_id, 2, 1)
    with pytest.raises(quiz.Refused):  # the passage of an unanswered question
        await quiz.cited(session, CATALOG, BANKS, cast.an, first.round_id, 1)
    passage = await quiz.cited(session, CATALOG, BANKS, cast.an, first.round_id, 0)
    assert passage.question.passage == q.passage
    assert passage.work_title == CATALOG.works[q.work].title
    result = await play(
        session,
        clock,
        cast,
        answered(await quiz.current(session, clock, BANKS, cast.an, first.round_id)),
        right={1, 2},
    )
    assert (result.score, result.total) == (2, 3)
    assert result.again == (q,)
    assert result.seconds == 40
    with pytest.raises(quiz.Refused) as late:
        await quiz.answer(session, clock, BANKS, cast.an, first.round_id, 2, 1)
    assert late.value.reason == "finished"


async def test_a_new_round_ends_the_old_one_and_an_idle_round_expires(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    old = await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "b", CAN_KIEM)
    new = await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "b", TUYEN_NGON)
    with pytest.raises(quiz.Refused) as ended:
        await quiz.answer(session, clock, BANKS, cast.an, old.round_id, 0, 1)
    assert ended.value.reason == "expired"
    home = await quiz.home(session, clock, CATALOG, BANKS, cast.an)
    assert home.open_round == (new.round_id, 0, 10)
    clock.move(hours=25)
    with pytest.raises(quiz.Refused):
        await quiz.answer(session, clock, BANKS, cast.an, new.round_id, 0, 1)
    assert (await quiz.home(session, clock, CATALOG, BANKS, cast.an)).open_round is None


async def test_a_wrong_answer_comes_back_sooner_and_review_picks_it_up_later(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    first = await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "b", CAN_KIEM)
    await play(session, clock, cast, first, right={1, 2})
    cards = {c.question_id: c for c in await session.scalars(select(QuizCard))}
    ids = [q.id for q in BANKS.banks["can-kiem-liem-chinh"].questions]
    wrong, right = cards[ids[0]], cards[ids[1]]
    assert wrong.due - wrong.reviewed_at == timedelta(minutes=10)
    assert right.due - right.reviewed_at >= timedelta(days=1)
    assert (wrong.lapses, right.lapses) == (1, 0)
    assert json.loads(wrong.card)["due"] == wrong.due.isoformat()
    with pytest.raises(quiz.NoQuestions) as none:
        await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "d")
    assert none.value.next_due == wrong.due
    clock.move(minutes=11)
    assert await quiz.due_count(session, clock, BANKS, cast.an) == 1
    review = await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "d")
    assert (review.size, review.question.id) == (1, ids[0])
    result = await play(session, clock, cast, review, right={0})
    assert (result.score, result.total, result.again) == (1, 1, ())
    again = (await session.scalars(select(QuizCard).where(QuizCard.question_id == ids[0]))).one()
    await session.refresh(again)
    assert again.reviews == 2
    assert again.due - again.reviewed_at >= timedelta(days=1)


async def test_a_question_removed_from_the_content_mid_round_is_skipped(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    first = await quiz.start_round(session, clock, CATALOG, BANKS, cast.an, "b", CAN_KIEM)
    bank = BANKS.banks["can-kiem-liem-chinh"]
    q1, _, q3 = bank.questions
    fewer = QuizBanks({**BANKS.banks, bank.id: bank.model_copy(update={"questions": (q1, q3)})})
    await quiz.answer(session, clock, fewer, cast.an, first.round_id, 0, q1.correct)
    after = await quiz.current(session, clock, fewer, cast.an, first.round_id)
    assert (answered(after).index, answered(after).question) == (2, q3)
    gone = QuizBanks({**BANKS.banks, bank.id: bank.model_copy(update={"questions": (q1,)})})
    result = await quiz.answer(session, clock, gone, cast.an, first.round_id, 2, 1)
    assert isinstance(result, quiz.Result)
    assert (result.score, result.total) == (1, 1)
    row = await session.get(QuizRound, first.round_id)
    assert row is not None and row.finished_at is not None


async def test_a_round_never_holds_two_questions_where_one_gives_the_other_away(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    practice = BANKS.banks["thuc-hanh"]
    dated, term = practice.questions[0], practice.questions[1]  # 15/5/2016; khóa XII
    telling = term.model_copy(
        update={"question": "Chỉ thị 05-CT/TW ngày 15/5/2016 là của khóa nào?"}
    )
    bank = practice.model_copy(update={"questions": (dated, telling)})
    banks = QuizBanks({bank.id: bank})
    assert banks.apart == {frozenset((dated.id, telling.id))}
    assert [f.kind for f in banks.lint()] == ["leak"]
    first = await quiz.start_round(
        session, clock, CATALOG, banks, cast.an, "b", lesson_key("thuc-hanh")
    )
    assert first.size == 1  # the second would give the first away
    assert BANKS.apart == frozenset()  # the shipped banks have no such pair
