"""Quiz nights through the real dispatcher, in a group chat on the fake Bot API server.

The runner's background task is off: each test moves the night with `app.nights.step` and
the FakeClock, so nothing depends on real time.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.screens.quiz_nights import (
    JoinNight,
    NightAnswer,
    NightBanks,
    NightLobby,
    NightSetting,
    ResumeNight,
    StartNight,
)
from bot.services import reminders
from bot.texts import common
from bot.texts import quiz_nights as t
from db.models import AuditEntry, Member
from db.models.quiz_nights import QuizNight, QuizNightPlayer, QuizNightQuestion
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import PilotFactory

GROUP = -200_001
SUPERGROUP = -100_200_001
OTHER_GROUP = -200_002
THU, AN, BINH, CUONG, EM = 101, 102, 103, 104, 900


@pytest.fixture(autouse=True)
def _group(server: BotApiServer, app: App) -> None:
    server.add_group(GROUP, "Chi bộ 1", [THU, AN, BINH, CUONG, EM], admin_ids=[THU])
    assert app.nights is not None
    app.nights.background = False


def bot_texts(server: BotApiServer) -> list[str]:
    return [m.get("text", "") for m in server.messages(GROUP) if m["from"]["is_bot"]]


def lobby_buttons(server: BotApiServer) -> list[str]:
    lobby = next(m for m in server.messages(GROUP) if "Bộ câu hỏi" in m.get("text", ""))
    rows = lobby.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["text"] for row in rows for b in row]


def last_alert(server: BotApiServer) -> str | None:
    answers = server.callback_answers(GROUP)
    return answers[-1].text if answers else None


async def open_and_start(
    app: App, server: BotApiServer, pilot_for: PilotFactory, *, public: bool = True
) -> int:
    """Open a night, An and Bình join, start it: by native quiz polls (public voting) unless
    `public` is False (the default of a new night: secret ballots, by buttons)."""
    thu = pilot_for(THU, chat_id=GROUP)
    await thu.send("/doivui")
    assert "Hội thi tìm hiểu" in thu.text()
    assert t.votes_label(False) in lobby_buttons(server)
    if public:
        await thu.press(t.votes_label(False))
        assert "Bình chọn công khai" in thu.text()
    for user in (AN, BINH):
        await pilot_for(user, chat_id=GROUP).press(t.JOIN)
    await thu.press(t.START)
    async with app.sessionmaker() as session:
        night_id = await session.scalar(select(QuizNight.id).where(QuizNight.chat_id == GROUP))
    assert night_id is not None
    return night_id


async def step(app: App, night_id: int, clock: FakeClock, *, move: bool = True) -> None:
    """One step of the runner; then the clock moves to when it wants to come back."""
    assert app.nights is not None
    at = await app.nights.step(night_id)
    if move and at is not None and at > clock.now():
        clock.set(at)


def poll_of(server: BotApiServer) -> dict[str, Any]:
    polls: list[dict[str, Any]] = [m["poll"] for m in server.messages(GROUP) if "poll" in m]
    assert polls, bot_texts(server)
    return polls[-1]


async def test_a_night_in_the_group_from_lobby_to_podium(
    app: App, server: BotApiServer, pilot_for: PilotFactory, clock: FakeClock
) -> None:
    night_id = await open_and_start(app, server, pilot_for)
    assert "Hội thi đã bắt đầu" in bot_texts(server)[0]
    await step(app, night_id, clock)  # a pause to get ready
    await step(app, night_id, clock, move=False)  # the first question: a quiz poll
    call = server.calls_to("sendPoll")[-1].params
    assert (call["type"], call["is_anonymous"], call["open_period"]) == ("quiz", False, 20)
    poll = poll_of(server)
    correct = poll["correct_option_ids"][0]
    clock.move(seconds=4)
    answered = await server.user_answers_poll(AN, poll["id"], [correct])
    await app.handle(answered)
    await app.handle(answered)  # delivered twice: counted once
    await app.handle(await server.user_answers_poll(BINH, poll["id"], [(correct + 1) % 2]))
    for _ in range(3):  # close, results, next
        await step(app, night_id, clock)
    results = bot_texts(server)[-1]
    assert "Đã trả lời: 2/2 người." in results
    assert "📜 Đoạn trích" in results
    assert "1. An — 180 điểm" in results
    async with app.sessionmaker() as session:
        await session.execute(update(QuizNight).values(question_count=2))
        await session.commit()
    for _ in range(8):
        await step(app, night_id, clock)
    assert "Hội thi kết thúc" in bot_texts(server)[-1]
    assert "🥇 An — " in bot_texts(server)[-1]


def calls_to_group(server: BotApiServer) -> int:
    return sum(1 for c in server.calls if str(c.params.get("chat_id")) == str(GROUP))


async def test_a_group_that_removed_the_bot_ends_the_night_and_results_go_privately(
    app: App, server: BotApiServer, pilot_for: PilotFactory, clock: FakeClock
) -> None:
    night_id = await open_and_start(app, server, pilot_for)
    await step(app, night_id, clock)
    await step(app, night_id, clock)  # the first question, and its time runs out
    server.world.chat(GROUP).bot_left = True  # someone removed the bot from the group

    for _ in range(3):  # close the question; its results are refused: 403
        await step(app, night_id, clock)
    tried = calls_to_group(server)
    assert app.nights is not None
    assert await app.nights.step(night_id) is None and await app.nights.resume() == []
    assert calls_to_group(server) == tried  # nothing more is tried in that group
    async with app.sessionmaker() as session:
        night = await session.get(QuizNight, night_id)
        assert night is not None and night.status == "finished" and night.interrupted

    await app.tick()
    texts = private_texts(server, THU)  # the secretary, who hosted it
    lost = next(n for n, text in enumerate(texts) if "không gửi được tin vào nhóm" in text)
    assert "Di chúc" in texts[lost] and "Kết quả hội thi (dừng sớm)" in texts[lost + 1]


async def test_a_group_upgraded_to_a_supergroup_carries_the_night_on_there(
    app: App, server: BotApiServer, pilot_for: PilotFactory, clock: FakeClock
) -> None:
    night_id = await open_and_start(app, server, pilot_for)
    await step(app, night_id, clock)  # a pause to get ready
    server.upgrade_group(GROUP, SUPERGROUP)  # an admin changed a setting: a new chat id

    await step(app, night_id, clock, move=False)  # refused in the old chat: moves
    await step(app, night_id, clock, move=False)  # the first question, in the new one
    [poll] = [m["poll"] for m in server.messages(SUPERGROUP) if "poll" in m]
    await app.handle(await server.user_answers_poll(AN, poll["id"], poll["correct_option_ids"]))
    await pilot_for(THU, chat_id=SUPERGROUP).send("/dungdoivui")  # its host, from the new chat
    for _ in range(4):
        await step(app, night_id, clock)
    podium = [m.get("text", "") for m in server.messages(SUPERGROUP) if m["from"]["is_bot"]][-1]
    assert "Hội thi dừng sớm" in podium and "🥇 An — " in podium
    async with app.sessionmaker() as session:
        night = await session.get(QuizNight, night_id)
        assert night is not None and night.chat_id == SUPERGROUP


async def test_buttons_when_options_are_too_long_first_press_counts(
    app: App, server: BotApiServer, pilot_for: PilotFactory, clock: FakeClock
) -> None:
    night_id = await open_and_start(app, server, pilot_for)
    async with app.sessionmaker() as session:
        await session.execute(
            update(QuizNightQuestion)
            .where(QuizNightQuestion.night_id == night_id, QuizNightQuestion.position == 0)
            .values(options=["Ngắn", "D" * 150], correct=2, as_poll=False)
        )
        await session.commit()
    await step(app, night_id, clock)
    await step(app, night_id, clock, move=False)
    assert server.calls_to("sendPoll") == []
    an = pilot_for(AN, chat_id=GROUP)
    assert an.buttons() == ["A", "B"]
    await an.press("B")
    assert last_alert(server) == t.answered_ok("B")
    await an.press("A")
    assert last_alert(server) == t.refused("answered")
    await pilot_for(CUONG, chat_id=GROUP).press("B")
    assert last_alert(server) == t.refused("other_cell")
    await an.forge(NightAnswer(night_id + 7, 0, 2).pack())
    assert last_alert(server) == t.refused("not_open")
    clock.move(seconds=25)
    await pilot_for(BINH, chat_id=GROUP).press("B")
    assert last_alert(server) == t.refused("late")
    async with app.sessionmaker() as session:
        player = await session.get(QuizNightPlayer, (night_id, AN))
        assert player is not None and player.answered_count == 1 and player.score > 100
        binh = await session.get(QuizNightPlayer, (night_id, BINH))
        assert binh is not None and binh.answered_count == 0


async def test_only_the_host_or_secretary_sets_up_starts_and_stops(
    app: App, server: BotApiServer, pilot_for: PilotFactory
) -> None:
    an = pilot_for(AN, chat_id=GROUP)
    await an.send("/doivui")
    assert an.text() == t.refused("not_host")
    thu = pilot_for(THU, chat_id=GROUP)
    await thu.send("/doivui")
    await an.press(t.START)
    assert last_alert(server) == t.refused("not_host")
    await an.press(t.count_label(10))
    assert last_alert(server) == t.refused("not_host")
    await an.send("/dungdoivui")
    assert an.text() == t.refused("not_host")
    await thu.press(t.count_label(10))
    assert t.count_label(15) in lobby_buttons(server)
    await thu.press(t.CHOOSE_BANK)
    assert t.choose_bank() in bot_texts(server)
    await thu.press(t.BACK)
    await thu.send("/dungdoivui")
    assert thu.text() == t.cancelled()


async def test_guests_play_only_when_the_host_allows(
    app: App, server: BotApiServer, pilot_for: PilotFactory
) -> None:
    thu = pilot_for(THU, chat_id=GROUP)
    await thu.send("/doivui")
    em = pilot_for(EM, chat_id=GROUP)
    await em.press(t.JOIN)
    assert last_alert(server) == t.refused("guests_off")
    await thu.press(t.guests_label(False))
    await em.press(t.JOIN)
    assert last_alert(server) == t.joined(1)


async def test_the_secretary_names_a_host_by_replying(
    app: App, server: BotApiServer, pilot_for: PilotFactory, session: AsyncSession
) -> None:
    said = await server.user_sends_text(BINH, "Em xin dẫn hội thi", chat_id=GROUP)
    message = server.world.add_message(
        server.world.chat(GROUP),
        server.world.user(THU),
        text="/nguoidan",
        entities=[{"type": "bot_command", "offset": 0, "length": 9}],
        reply_to_message=said["message"],
    )
    await app.handle(server.delivery.enqueue({"message": message}))
    assert bot_texts(server)[-1] == t.host_named("Lê Thị Bình")
    binh = pilot_for(BINH, chat_id=GROUP)
    await binh.send("/doivui")
    assert "Hội thi tìm hiểu" in binh.text()


async def test_group_chatter_gets_no_answer_and_private_doivui_points_to_the_group(
    app: App, server: BotApiServer, pilot_for: PilotFactory
) -> None:
    await pilot_for(AN, chat_id=GROUP).send("Chào cả nhà")
    assert bot_texts(server) == []
    an = pilot_for(AN)
    await an.send("/doivui")
    assert an.text() == t.group_only()
    assert common.private_only() not in bot_texts(server)


def private_texts(server: BotApiServer, user: int) -> list[str]:
    return [m.get("text", "") for m in server.messages(user) if m["from"]["is_bot"]]


async def test_opening_a_night_tells_the_cells_members_privately_unless_turned_off(
    app: App,
    server: BotApiServer,
    pilot_for: PilotFactory,
    clock: FakeClock,
    cast: Cast,
    session: AsyncSession,
) -> None:
    await session.execute(
        update(Member)
        .where(Member.id == cast.binh.id)
        .values(paused_until=clock.now() + timedelta(days=7))
    )
    await session.commit()
    thu = pilot_for(THU, chat_id=GROUP)
    await thu.send("/doivui")
    await app.tick()
    [told] = [x for x in private_texts(server, AN) if "đang mở hội thi" in x]
    assert "Chi bộ 1" in told and "«Chi bộ 1»" in told and "Tham gia" in told
    assert not any(
        "đang mở hội thi" in x for u in (THU, BINH, CUONG) for x in private_texts(server, u)
    )
    await thu.send("/dungdoivui")
    await reminders.change(
        session, clock, cast.chi_thu, cast.chi_bo_1.id, reminders.QUIZ_NIGHT, enabled=False
    )
    await thu.send("/doivui")
    await app.tick()
    assert sum("đang mở hội thi" in x for x in private_texts(server, AN)) == 1


async def refusals(app: App) -> list[tuple[str, str]]:
    async with app.sessionmaker() as session:
        rows = await session.scalars(
            select(AuditEntry).where(AuditEntry.outcome == "refused").order_by(AuditEntry.id)
        )
        return [(r.action, r.detail["reason"]) for r in rows]


async def test_a_lobbys_buttons_work_only_in_its_group_for_its_host_and_refusals_are_audited(
    app: App, server: BotApiServer, pilot_for: PilotFactory
) -> None:
    server.add_group(OTHER_GROUP, "Nhóm khác", [THU, AN], admin_ids=[THU])
    thu = pilot_for(THU, chat_id=GROUP)
    await thu.send("/doivui")
    async with app.sessionmaker() as session:
        night_id = await session.scalar(select(QuizNight.id))
    assert night_id is not None
    assert "Bình chọn kín: chỉ hiện số người chọn mỗi đáp án" in thu.text()  # the default
    elsewhere = pilot_for(THU, chat_id=OTHER_GROUP)
    await elsewhere.send("/dungdoivui")  # nothing open there: the bot answers (and audits)
    private = pilot_for(THU)
    await private.send("/doivui")  # only in a group
    forged = [
        NightLobby(night_id),
        NightSetting(night_id, "p"),
        NightBanks(night_id),
        StartNight(night_id),
        JoinNight(night_id),
    ]
    for pilot in (elsewhere, private):  # the same host, with the lobby's button data
        for action in forged:
            await pilot.forge(action.pack())
            assert server.callback_answers()[-1].text == t.refused("not_open")
    await pilot_for(AN, chat_id=GROUP).forge(NightLobby(night_id).pack())
    assert last_alert(server) == t.refused("not_host")

    shown_elsewhere = [m.get("text", "") for c in (OTHER_GROUP, THU) for m in server.messages(c)]
    assert not any("Bộ câu hỏi" in text for text in shown_elsewhere)
    async with app.sessionmaker() as session:
        night = await session.get(QuizNight, night_id)
        assert night is not None and (night.status, night.public_votes) == ("lobby", False)
    expected = [("quiz_night.stop", "not_open")]
    expected += [(f"quiz_night.{a}", "not_open") for a in ("lobby", "setting", "banks", "start")]
    expected += [("quiz_night.join", "not_open")]
    assert await refusals(app) == [
        *expected[:1],
        *expected[1:] * 2,
        ("quiz_night.lobby", "not_host"),
    ]


async def test_a_secret_ballot_asks_by_buttons_shows_only_the_count_and_answers_privately(
    app: App, server: BotApiServer, pilot_for: PilotFactory, clock: FakeClock
) -> None:
    night_id = await open_and_start(app, server, pilot_for, public=False)
    await step(app, night_id, clock)  # a pause to get ready
    await step(app, night_id, clock, move=False)  # the first question, by buttons
    assert server.calls_to("sendPoll") == []
    question = server.messages(GROUP)[-1]
    assert "Đã trả lời: 0 người." in question["text"]
    an, binh = pilot_for(AN, chat_id=GROUP), pilot_for(BINH, chat_id=GROUP)
    clock.move(seconds=4)
    await an.press("A")
    toast = server.callback_answers(GROUP)[-1]
    assert (toast.text, toast.show_alert) == (t.answered_ok("A"), False)  # only An sees it
    await an.press("B")
    assert last_alert(server) == t.refused("answered")  # the first press counts

    clock.move(seconds=1)  # 5 s after the question: its count may be edited
    await step(app, night_id, clock, move=False)  # the count: who or what, never
    edited = server.world.message(GROUP, question["message_id"])
    assert "Đã trả lời: 1 người." in edited["text"]
    assert "An" not in edited["text"] and edited.get("reply_markup")
    edits = len(server.calls_to("editMessageText"))
    await step(app, night_id, clock, move=False)  # unchanged, and too soon: no edit
    assert len(server.calls_to("editMessageText")) == edits

    clock.move(seconds=1)
    await binh.press("B")
    for _ in range(3):  # everyone answered: close, results, next
        await step(app, night_id, clock)
    results = bot_texts(server)[-1]
    assert "Số người chọn: A: 1 · B: 1" in results and "Đã trả lời: 2/2 người." in results
    assert not server.world.message(GROUP, question["message_id"]).get("reply_markup")
    assert ("quiz_night.answer", "answered") in await refusals(app)


async def test_a_send_with_an_unknown_outcome_is_tried_4_times_then_the_host_is_asked(
    app: App, server: BotApiServer, pilot_for: PilotFactory, clock: FakeClock
) -> None:
    night_id = await open_and_start(app, server, pilot_for, public=False)
    assert app.nights is not None
    await step(app, night_id, clock)  # a pause to get ready
    server.faults.fail("sendMessage", "500", times=100, chat_id=GROUP)
    waits = []
    for _ in range(4):
        at = await app.nights.attempt(night_id)
        if at is not None:
            waits.append((at - clock.now()).total_seconds())
            clock.set(at)
    assert waits == [3.0, 6.0, 12.0] and at is None  # then paused: nothing more is tried
    failed = [c for c in server.calls_to("sendMessage") if c.status == 500]
    assert len(failed) == 4  # not one a second: four tries, 21 s apart in all
    async with app.sessionmaker() as session:
        night = await session.get(QuizNight, night_id)
        assert night is not None and night.status == "paused"
    assert await app.nights.step(night_id) is None and await app.nights.resume() == []

    assert app.sender is not None
    await app.sender.drain()  # at once, whatever the hour: the host is running the night
    thu = pilot_for(THU)
    assert "đang tạm dừng ở câu 1" in thu.text() and thu.buttons() == [t.RESUME, t.STOP]
    resume = ResumeNight(night_id).pack()
    await pilot_for(AN).forge(resume)  # a member with the host's button data
    assert ("quiz_night.resume", "not_host") in await refusals(app)
    server.faults.clear()
    await thu.send("tiếp tục")  # typed, as the button says
    async with app.sessionmaker() as session:
        night = await session.get(QuizNight, night_id, populate_existing=True)
        assert night is not None and night.status == "running"
    await step(app, night_id, clock, move=False)
    assert "Câu 1/" in bot_texts(server)[-1]
    await pilot_for(THU).forge(resume)  # a second press: it runs already
    assert ("quiz_night.resume", "not_paused") in await refusals(app)
