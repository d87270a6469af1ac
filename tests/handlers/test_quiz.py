"""Solo practice over the fake Bot API: a whole round, refusals, and a restart mid-round."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.catalog import load_catalog
from bot.channels.webchat import BotApiServer
from bot.quizbank import load_banks
from bot.screens.quiz import AnswerQuiz
from bot.settings import Settings
from bot.texts import common
from bot.texts import quiz as t
from db.models import QuizAnswer, QuizRound
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import Pilot, PilotFactory, plain

CATALOG = load_catalog()
QUESTIONS = load_banks(catalog=CATALOG).banks["can-kiem-liem-chinh"].questions
BANK_LABEL = "Cần, Kiệm, Liêm, Chính (1949) · 3 câu"


def letter(number: int) -> str:
    return t.LETTERS[number - 1]


def wrong(number: int) -> str:
    return t.LETTERS[number % 4]


async def rounds(session: AsyncSession) -> list[QuizRound]:
    session.expire_all()
    return list(await session.scalars(select(QuizRound).order_by(QuizRound.id)))


async def start_bank_round(an: Pilot) -> None:
    await an.send("/quiz")
    assert an.text().startswith("🧠 Ôn tập")
    await an.press(t.CHOOSE_WORK)
    await an.press(BANK_LABEL)


async def test_a_whole_round_with_explanations_the_passage_and_the_score(
    clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await start_bank_round(an)
    q1, q2, q3 = QUESTIONS
    assert "vòng này ngắn hơn 10 câu" in an.text()
    assert f"Câu 1/3. {q1.question}" in an.text()
    assert an.buttons() == ["A", "B", "C", "D", common.MENU_MAIN]
    clock.move(seconds=30)
    await an.press(letter(q1.correct))
    assert an.text().startswith("✅ Đúng rồi!")
    assert plain(q1.explanation) in an.text()
    await an.press(t.PASSAGE)
    assert an.text() == plain(t.support(CATALOG.works[q1.work].title, q1.passage))
    await an.press(t.NEXT)
    assert f"Câu 2/3. {q2.question}" in an.text()
    clock.move(seconds=30)
    await an.press(wrong(q2.correct))
    assert an.text().startswith("❌ Chưa đúng.")
    assert f"Đáp án: {letter(q2.correct)}. {q2.answer}" in an.text()
    await an.press(t.NEXT)
    clock.move(seconds=65)
    await an.press(letter(q3.correct))
    await an.press(t.RESULT)
    assert "Điểm: 2/3 · Thời gian: 2 phút 5 giây" in an.text()
    assert f"• {q2.question[:60]}" in an.text()
    assert an.buttons() == [t.REVIEW, t.NEW_ROUND, common.MENU_MAIN]
    await an.press(t.REVIEW)
    assert "Câu gần nhất đến hạn lúc 08:11 ngày 23/11" in an.text()
    clock.move(minutes=11)
    await an.send("on tap")
    assert t.review_label(1) in an.buttons()
    await an.press(t.review_label(1))
    assert f"Câu 1/1. {q2.question}" in an.text()


async def test_answering_twice_or_another_members_round_is_refused_and_changes_nothing(
    session: AsyncSession, server: BotApiServer, cast: Cast, pilot_for: PilotFactory
) -> None:
    an, binh = pilot_for(102), pilot_for(103)
    await start_bank_round(an)
    (round_,) = await rounds(session)
    first = AnswerQuiz(round_.id, 0, QUESTIONS[0].correct).pack()
    await binh.send("menu")
    await binh.forge(first)
    assert server.callback_answers()[-1].text == common.not_allowed()
    assert (await rounds(session))[0].position == 0
    await an.press(letter(QUESTIONS[0].correct))
    await an.forge(AnswerQuiz(round_.id, 0, 2).pack())
    assert server.callback_answers()[-1].text == t.refused("answered")
    assert an.text().startswith("✅ Đúng rồi!")
    saved = await session.get(QuizAnswer, (round_.id, 0))
    assert saved is not None
    assert (saved.chosen, saved.correct) == (QUESTIONS[0].correct, True)
    await an.send("/quiz")
    await an.press(t.NEW_ROUND)
    await an.forge(AnswerQuiz(round_.id, 1, 1).pack())  # a button of the round left behind
    assert server.callback_answers()[-1].text == t.refused("expired")
    assert (await rounds(session))[0].position == 1


async def test_a_restart_mid_round_continues_at_the_same_question(
    server: BotApiServer, clock: FakeClock, cast: Cast, settings: Settings, pilot_for: PilotFactory
) -> None:
    await start_bank_round(pilot_for(102))
    await pilot_for(102).press(letter(QUESTIONS[0].correct))
    restarted = App(settings, clock)
    await restarted.open_bot()
    try:
        an = Pilot(server, 102, restarted.handle)
        await an.press(t.NEXT)
        assert f"Câu 2/3. {QUESTIONS[1].question}" in an.text()
        await an.send("/quiz")
        assert "ở câu 2/3" in an.text()
        await an.press(t.CONTINUE)
        await an.press(letter(QUESTIONS[1].correct))
        assert an.text().startswith("✅ Đúng rồi!")
    finally:
        await restarted.stop()


async def test_the_lessons_quiz_button_starts_a_round_on_its_work(
    cast: Cast, pilot_for: PilotFactory
) -> None:
    an = pilot_for(102)
    await an.send("/hoc")
    await an.press(t.LESSON_QUIZ)
    assert "Câu 1/" in an.text()
    assert an.buttons()[-1] == common.MENU_MAIN
