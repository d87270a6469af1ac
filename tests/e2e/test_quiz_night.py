"""End to end: a quiz night in a group, the bot SIGKILLed in the middle of question 3.

The bot runs as its own process on the real clock, polling the fake Telegram, which enforces
Telegram's flood limits (20 messages a minute in a group). Two members play by native quiz
polls; one answer is delivered twice. After the restart the night says so in the group and
continues from question 3 to the podium; the secretary gets the full results privately.
A question both players have answered closes at once (its poll stopped), without waiting.
"""

from __future__ import annotations

import asyncio
from datetime import time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from bot.clock import SystemClock
from bot.settings import Settings
from bot.texts import quiz_nights as t
from db.models import Member
from db.models.quiz_nights import QuizNightAnswer, QuizNightPlayer, QuizNightQuestion
from tests.conftest import Cast
from tests.e2e.conftest import WAIT, StartBot
from tests.e2e.test_joining_over_http import bot_texts

GROUP = -300_001
JITTER = 0.35  # seconds of arrival jitter the fake forgives (its default is 0.1)
THU, AN, BINH = 101, 102, 103


def group_buttons(server: BotApiServer) -> list[tuple[int, str, str]]:
    return [
        (m["message_id"], b["text"], b["callback_data"])
        for m in server.messages(GROUP)
        for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    ]


async def press(server: BotApiServer, user_id: int, label: str) -> None:
    found = [(mid, data) for mid, text, data in group_buttons(server) if text == label]
    assert found, f"no button {label!r}: {group_buttons(server)}"
    await server.user_presses(user_id, GROUP, found[-1][0], found[-1][1])


async def wait_button(server: BotApiServer, label: str) -> None:
    await server.wait_for(
        lambda: any(text == label for _, text, _ in group_buttons(server)), timeout=WAIT
    )


async def wait_group(server: BotApiServer, expected: str, count: int = 1) -> None:
    await server.wait_for(
        lambda: sum(expected in x for x in bot_texts(server, GROUP)) >= count, timeout=WAIT
    )


def polls(server: BotApiServer) -> list[dict[str, Any]]:
    return [m["poll"] for m in server.messages(GROUP) if "poll" in m]


async def wait_poll(server: BotApiServer, number: int) -> dict[str, Any]:
    await server.wait_for(lambda: len(polls(server)) >= number, timeout=WAIT)
    return polls(server)[number - 1]


async def wait_recorded(session: AsyncSession, position: int, user_id: int) -> None:
    """Wait until the bot process stored an answer (the database has no event to wait on)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while loop.time() < deadline:
        found = await session.get(QuizNightAnswer, (1, position, user_id), populate_existing=True)
        if found is not None:
            return
        await asyncio.sleep(0.05)  # bounds a wait on another process, never a test's timing
    raise AssertionError(f"answer {position} of {user_id} not recorded")


async def quiet_elsewhere(session: AsyncSession, cast: Cast) -> None:
    """Move the secretary's quiet hours away from now, so the results arrive during the test."""
    local = SystemClock().now().astimezone(Settings(_env_file=None).tz) + timedelta(hours=6)
    start = time(local.hour, 0)
    await session.execute(
        update(Member)
        .where(Member.id == cast.chi_thu.id)
        .values(quiet_start=start, quiet_end=time(local.hour, 30))
    )
    await session.commit()


async def test_a_quiz_night_survives_a_kill_in_the_middle_of_question_3(
    server: BotApiServer, bot_process: StartBot, session: AsyncSession, cast: Cast
) -> None:
    await quiet_elsewhere(session, cast)
    server.add_user(AN, "An", "Nguyễn Văn")
    server.add_user(BINH, "Bình", "Lê Thị")
    server.add_group(GROUP, "Chi bộ 1", [THU, AN, BINH], admin_ids=[THU])
    # The in-process fake times arrivals on the test's busy event loop: on a loaded two-worker
    # run two sends a second apart arrived 0.85 s apart now and then. The same easing as the
    # broadcast restart test; the bot still paces every group send at 1 s and 20 a minute.
    server.faults.enforce_limits(tolerance=JITTER)
    first = await bot_process()

    await server.user_sends_text(THU, "/doivui", chat_id=GROUP)
    await wait_button(server, t.JOIN)
    for label, after in (
        (t.count_label(10), t.count_label(15)),
        (t.count_label(15), t.count_label(20)),
        (t.count_label(20), t.count_label(3)),
        (t.seconds_label(20), t.seconds_label(30)),
        (t.seconds_label(30), t.seconds_label(45)),
        (t.seconds_label(45), t.seconds_label(60)),
        (t.seconds_label(60), t.seconds_label(10)),
        (t.votes_label(False), t.votes_label(True)),  # native quiz polls
    ):
        await press(server, THU, label)
        await wait_button(server, after)
    await press(server, AN, t.JOIN)
    await press(server, BINH, t.JOIN)
    await server.wait_for(lambda: len(server.callback_answers(GROUP)) >= 10, timeout=WAIT)
    await press(server, THU, t.START)

    for number in (1, 2):
        poll = await wait_poll(server, number)
        right = poll["correct_option_ids"][0]
        server.faults.duplicate_next_updates(1)  # An's answer arrives twice
        await server.user_answers_poll(AN, poll["id"], [right])
        await server.user_answers_poll(BINH, poll["id"], [(right + 1) % len(poll["options"])])
        await wait_group(server, f"Câu {number}/3: đáp án")

    third = await wait_poll(server, 3)
    await server.user_answers_poll(AN, third["id"], [third["correct_option_ids"][0]])
    await wait_recorded(session, 2, AN)
    await first.kill()

    await bot_process()
    await wait_group(server, t.resumed(3))
    await wait_group(server, "Câu 3/3: đáp án")
    await wait_group(server, "Hội thi kết thúc")
    podium = bot_texts(server, GROUP)[-1]
    assert "🥇 An — " in podium

    an = await session.get(QuizNightPlayer, (1, AN), populate_existing=True)
    binh = await session.get(QuizNightPlayer, (1, BINH), populate_existing=True)
    assert an is not None and binh is not None
    answers = [
        (a.position, a.user_id, a.correct, a.answered_at)
        for a in await session.scalars(select(QuizNightAnswer).order_by(QuizNightAnswer.position))
    ]
    assert (an.answered_count, an.correct_count) == (3, 3), (answers, bot_texts(server, GROUP))
    assert (binh.answered_count, binh.correct_count) == (2, 0)
    count = len(list(await session.scalars(select(QuizNightAnswer))))
    assert count == 5
    await server.wait_for(
        lambda: any("Kết quả hội thi" in x for x in bot_texts(server, THU)), timeout=WAIT
    )
    # Questions 1 and 2: both players answered, so each poll was closed without waiting.
    assert [c.status for c in server.calls_to("stopPoll")] == [200, 200]
    refused = [(c.method, c.params.get("chat_id")) for c in server.calls if c.status == 429]
    assert server.faults.rate_limited == 0, refused


PLAYERS = [5000 + n for n in range(1, 51)]  # a 50-player night, guests of the cell's group


async def wait_asked(session: AsyncSession, position: int) -> QuizNightQuestion:
    """Wait until the bot process has stored that it asked question `position`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while loop.time() < deadline:
        found = await session.get(QuizNightQuestion, (1, position), populate_existing=True)
        if found is not None and found.asked_at is not None:
            return found
        await asyncio.sleep(0.05)  # bounds a wait on another process, never a test's timing
    raise AssertionError(f"question {position} not asked")


async def answer_all(server: BotApiServer, number: int, *, public: bool) -> None:
    """Every player answers question `number` (1-based): A, or the poll's first option."""
    if public:
        poll = await wait_poll(server, number)
        for user in PLAYERS:
            await server.user_answers_poll(user, poll["id"], [0])
        return
    question = [m for m in server.messages(GROUP) if f"Câu {number}/3" in m.get("text", "")]
    data = question[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    for user in PLAYERS:
        await server.user_presses(user, GROUP, question[-1]["message_id"], data)


@pytest.mark.parametrize("public", [True, False], ids=["quiz polls", "secret buttons"])
async def test_answers_given_while_the_bot_is_down_all_count_after_the_restart(
    server: BotApiServer,
    bot_process: StartBot,
    session: AsyncSession,
    cast: Cast,
    public: bool,
) -> None:
    await quiet_elsewhere(session, cast)
    for n, user in enumerate(PLAYERS, start=1):
        server.add_user(user, f"Khách {n}", "Nguyễn")
    server.add_group(GROUP, "Chi bộ 1", [THU, *PLAYERS], admin_ids=[THU])
    server.faults.enforce_limits(tolerance=JITTER)
    first = await bot_process()

    await server.user_sends_text(THU, "/doivui", chat_id=GROUP)
    await wait_button(server, t.JOIN)
    steps = [
        (t.count_label(10), t.count_label(15)),
        (t.count_label(15), t.count_label(20)),
        (t.count_label(20), t.count_label(3)),
        (t.seconds_label(20), t.seconds_label(30)),
        (t.seconds_label(30), t.seconds_label(45)),
        (t.seconds_label(45), t.seconds_label(60)),
        (t.seconds_label(60), t.seconds_label(10)),
        (t.guests_label(False), t.guests_label(True)),
    ]
    if public:
        steps.append((t.votes_label(False), t.votes_label(True)))
    for label, after in steps:
        await press(server, THU, label)
        await wait_button(server, after)
    for user in PLAYERS:
        await press(server, user, t.JOIN)
    joined = len(steps) + len(PLAYERS)
    await server.wait_for(lambda: len(server.callback_answers(GROUP)) >= joined, timeout=WAIT)
    await press(server, THU, t.START)
    for number in (1, 2):
        await wait_asked(session, number - 1)
        await answer_all(server, number, public=public)
        await wait_group(server, f"Câu {number}/3: đáp án")

    third = await wait_asked(session, 2)
    await first.kill()
    await answer_all(server, 3, public=public)  # in time, while nobody fetches them
    assert third.closes_at is not None
    # The restarted bot must find question 3's time over: wait it out (a real process's clock).
    await asyncio.sleep((third.closes_at - SystemClock().now()).total_seconds() + 2)
    await bot_process()

    await wait_group(server, t.resumed(3))
    await wait_group(server, "Câu 3/3: đáp án")
    results = next(x for x in bot_texts(server, GROUP) if "Câu 3/3: đáp án" in x)
    assert f"Đã trả lời: {len(PLAYERS)}/{len(PLAYERS)} người." in results
    counted = await session.scalar(
        select(func.count())
        .select_from(QuizNightAnswer)
        .where(QuizNightAnswer.night_id == 1, QuizNightAnswer.position == 2)
    )
    assert counted == len(PLAYERS)
    await wait_group(server, "Hội thi kết thúc")
    assert server.faults.rate_limited == 0
