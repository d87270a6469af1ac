"""Quiz nights without aiogram: hosts, lobby, answers, scores, ranks, the runner and restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import Catalog, load_catalog
from bot.delivery.leader import night_lock_for
from bot.delivery.night_port import SendFailed, SentPoll
from bot.delivery.quiz_night_runner import GRACE, NightRunner
from bot.delivery.ratelimit import Limits, MemoryLimiter
from bot.quiz_models import fits_poll
from bot.quizbank import QuizBanks, load_banks
from bot.screens import quiz_nights as screens
from bot.screens.base import Screen
from bot.screens.quiz_nights import PollSpec
from bot.services import night_hosts, quiz_banks
from bot.services import night_play as play
from bot.services import quiz_nights as service
from bot.services.night_banks import tag
from bot.services.night_refusals import Refused
from bot.services.night_scores import Standing, points, ranked, top
from bot.services.quiz_banks import BankQuestion
from db.models import Member, OutboxMessage, Role
from db.models.quiz_nights import QuizNight, QuizNightAnswer, QuizNightPlayer, QuizNightQuestion
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

GROUP = -100_001
OTHER_GROUP = -100_002
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class FakeGroup:
    """Records what the runner posts, as the group would see it."""

    polls: list[tuple[int, PollSpec]] = field(default_factory=list)
    sent: list[tuple[int, Screen]] = field(default_factory=list)
    edits: list[tuple[int, int, Screen]] = field(default_factory=list)
    stopped: list[tuple[int, int]] = field(default_factory=list)
    next_id: int = 1
    refuses: bool = False  # the bot was removed: every post is refused for good

    async def send_poll(self, chat_id: int, poll: PollSpec) -> SentPoll:
        self.polls.append((chat_id, poll))
        self.next_id += 1
        return SentPoll(self.next_id, f"poll-{self.next_id}")

    async def send(self, chat_id: int, screen: Screen) -> int:
        if self.refuses:
            raise SendFailed("Forbidden: bot was kicked from the group chat", lost=True)
        self.sent.append((chat_id, screen))
        self.next_id += 1
        return self.next_id

    async def edit(self, chat_id: int, message_id: int, screen: Screen) -> None:
        self.edits.append((chat_id, message_id, screen))

    async def stop_poll(self, chat_id: int, message_id: int) -> None:
        self.stopped.append((chat_id, message_id))

    def texts(self) -> list[str]:
        return [s.text for _, s in self.sent]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def banks(catalog: Catalog) -> QuizBanks:
    return load_banks(catalog=catalog)


@pytest.fixture
def group() -> FakeGroup:
    return FakeGroup()


@pytest.fixture
async def runner(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock, group: FakeGroup
) -> AsyncIterator[NightRunner]:
    limiter = MemoryLimiter(Limits(), now=lambda: clock.now().timestamp())
    made = NightRunner(sessionmaker, clock, group, limiter, TZ)
    made.background = False
    yield made
    await made.stop()


async def opened(
    session: AsyncSession, clock: FakeClock, banks: QuizBanks, catalog: Catalog, host: Member
) -> int:
    view = await service.open_night(session, clock, banks, catalog, host, "telegram", GROUP)
    return view.night_id


async def started(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    *,
    count: int = 5,
    public: bool = True,
) -> int:
    """A night of `count` questions with three players; public voting (native polls) unless
    `public` is False."""
    night_id = await opened(session, clock, banks, catalog, cast.chi_thu)
    for who, user in ((cast.an, 102), (cast.binh, 103), (cast.chi_thu, 101)):
        await service.join(session, clock, who, night_id, GROUP, user, who.full_name or "")
    await session.execute(
        update(QuizNight)
        .where(QuizNight.id == night_id)
        .values(question_count=count, public_votes=public)
    )
    await service.start_night(session, clock, banks, catalog, cast.chi_thu, night_id, GROUP)
    return night_id


async def ask(runner: NightRunner, clock: FakeClock, night_id: int) -> datetime | None:
    """Let the start's pause pass and send the first question; return when it closes."""
    ready = await runner.step(night_id)
    assert ready is not None
    clock.set(ready)
    return await runner.step(night_id)


async def question(session: AsyncSession, night_id: int, position: int) -> QuizNightQuestion:
    found = await session.get(QuizNightQuestion, (night_id, position), populate_existing=True)
    assert found is not None
    return found


async def answer(
    session: AsyncSession,
    clock: FakeClock,
    who: Member | None,
    user_id: int,
    night_id: int,
    option: int,
    position: int = 0,
) -> play.Answered:
    return await play.record_answer(
        session,
        clock,
        who,
        user_id,
        "x",
        option,
        night_id=night_id,
        position=position,
        chat_id=GROUP,
    )


async def make_buttons(session: AsyncSession, night_id: int) -> None:
    """Send the night's questions as messages with buttons (as too-long options would)."""
    await session.execute(
        update(QuizNightQuestion)
        .where(QuizNightQuestion.night_id == night_id)
        .values(as_poll=False)
    )
    await session.commit()


# -- scoring and ranks (pure) ------------------------------------------------------------------
def test_a_right_answer_earns_more_the_faster_it_comes() -> None:
    assert points(correct=True, elapsed_ms=0, seconds=20) == 200
    assert points(correct=True, elapsed_ms=10_000, seconds=20) == 150
    assert points(correct=True, elapsed_ms=25_000, seconds=20) == 100
    assert points(correct=False, elapsed_ms=0, seconds=20) == 0


def test_equal_scores_share_a_rank_and_the_next_rank_skips() -> None:
    rows = ranked(
        Standing(u, f"P{u}", u, False, score, 0, 0)
        for u, score in ((1, 100), (2, 300), (3, 300), (4, 50), (5, 100), (6, 0), (7, 0))
    )
    assert [(r.rank, r.standing.user_id) for r in rows] == [
        (1, 2),
        (1, 3),
        (3, 1),
        (3, 5),
        (5, 4),
        (6, 6),
        (6, 7),
    ]
    assert [r.standing.user_id for r in top(rows)] == [2, 3, 1, 5, 4]


# -- hosts and the lobby ---------------------------------------------------------------------
async def test_only_a_host_may_open_a_night_and_one_at_a_time(
    session: AsyncSession, clock: FakeClock, banks: QuizBanks, catalog: Catalog, cast: Cast
) -> None:
    with pytest.raises(Refused) as refused:
        await opened(session, clock, banks, catalog, cast.an)
    assert refused.value.reason == "not_host"
    await opened(session, clock, banks, catalog, cast.chi_thu)
    with pytest.raises(Refused) as again:
        await opened(session, clock, banks, catalog, cast.chi_thu)
    assert again.value.reason == "already_open"


async def test_a_member_the_secretary_names_may_host(
    session: AsyncSession, clock: FakeClock, banks: QuizBanks, catalog: Catalog, cast: Cast
) -> None:
    with pytest.raises(Refused):
        await night_hosts.name_host(session, clock, cast.an, "telegram", 103)
    with pytest.raises(Refused) as other:
        await night_hosts.name_host(session, clock, cast.chi_thu, "telegram", 104)
    assert other.value.reason == "other_cell"
    name = await night_hosts.name_host(session, clock, cast.chi_thu, "telegram", 102)
    assert name == "Nguyễn Văn An"
    night_id = await opened(session, clock, banks, catalog, cast.an)
    view = await service.change_setting(session, cast.an, night_id, GROUP, "s")
    assert view.seconds == 30


async def test_a_non_host_cannot_change_start_or_stop_a_night(
    session: AsyncSession, clock: FakeClock, banks: QuizBanks, catalog: Catalog, cast: Cast
) -> None:
    night_id = await opened(session, clock, banks, catalog, cast.chi_thu)
    for attempt in (
        service.change_setting(session, cast.binh, night_id, GROUP, "n"),
        service.start_night(session, clock, banks, catalog, cast.binh, night_id, GROUP),
        service.stop_night(session, clock, cast.dung, GROUP),
    ):
        with pytest.raises(Refused) as refused:
            await attempt
        assert refused.value.reason == "not_host"
    view = await service.lobby(session, night_id)
    assert (view.status, view.count) == ("lobby", service.DEFAULT_COUNT)


async def test_settings_go_round_within_their_limits(
    session: AsyncSession, clock: FakeClock, banks: QuizBanks, catalog: Catalog, cast: Cast
) -> None:
    night_id = await opened(session, clock, banks, catalog, cast.chi_thu)
    seen = [
        (await service.change_setting(session, cast.chi_thu, night_id, GROUP, "s")).seconds
        for _ in range(6)
    ]
    assert seen == [30, 45, 60, 10, 15, 20]
    view = await service.change_setting(session, cast.chi_thu, night_id, GROUP, "g")
    assert view.allow_guests


async def test_members_of_the_cell_join_others_are_refused_and_guests_only_if_allowed(
    session: AsyncSession, clock: FakeClock, banks: QuizBanks, catalog: Catalog, cast: Cast
) -> None:
    night_id = await opened(session, clock, banks, catalog, cast.chi_thu)
    joined = await service.join(session, clock, cast.an, night_id, GROUP, 102, "An")
    again = await service.join(session, clock, cast.an, night_id, GROUP, 102, "An")
    assert (joined.lobby.players, again.lobby.players) == (1, 1)
    for who, user, reason in ((cast.cuong, 104, "other_cell"), (None, 900, "guests_off")):
        with pytest.raises(Refused) as refused:
            await service.join(session, clock, who, night_id, GROUP, user, "X")
        assert refused.value.reason == reason
    await service.change_setting(session, cast.chi_thu, night_id, GROUP, "g")
    await service.join(session, clock, None, night_id, GROUP, 900, "Em")
    guest = await session.get(QuizNightPlayer, (night_id, 900))
    assert guest is not None and guest.member_id is None


async def test_starting_snapshots_the_questions(
    session: AsyncSession, clock: FakeClock, banks: QuizBanks, catalog: Catalog, cast: Cast
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=5)
    rows = list(
        await session.scalars(
            select(QuizNightQuestion).where(QuizNightQuestion.night_id == night_id)
        )
    )
    assert len(rows) == 5
    first = banks.question(rows[0].question_id)
    assert first is not None
    assert (rows[0].text, rows[0].options, rows[0].correct) == (
        first.question,
        list(first.options),
        first.correct,
    )
    assert all(row.passage and row.citation for row in rows)


def test_options_over_the_poll_limit_go_as_buttons() -> None:
    assert fits_poll("Câu hỏi ngắn?", ("Một", "Hai"))
    assert not fits_poll("Câu hỏi ngắn?", ("Một", "H" * 101))
    assert not fits_poll("C" * 301, ("Một", "Hai"))


# -- answers ---------------------------------------------------------------------------------
async def test_the_first_answer_counts_and_a_second_changes_nothing(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast)
    await make_buttons(session, night_id)
    await ask(runner, clock, night_id)  # asks question 1
    q = await question(session, night_id, 0)
    wrong = 1 if q.correct != 1 else 2
    clock.move(seconds=5)
    first = await answer(session, clock, cast.an, 102, night_id, q.correct)
    assert (first.correct, first.points) == (True, 175)  # 20 s question, 15 s left
    with pytest.raises(Refused) as twice:
        await answer(session, clock, cast.an, 102, night_id, wrong)
    assert twice.value.reason == "answered"
    player = await session.get(QuizNightPlayer, (night_id, 102), populate_existing=True)
    assert player is not None
    assert (player.score, player.correct_count, player.answered_count) == (175, 1, 1)


async def test_late_answers_other_groups_buttons_and_outsiders_are_refused(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast)
    await make_buttons(session, night_id)
    await ask(runner, clock, night_id)
    with pytest.raises(Refused) as other_group:
        await play.record_answer(
            session, clock, cast.an, 102, "An", 1, night_id=night_id, position=0, chat_id=-5
        )
    assert other_group.value.reason == "not_open"
    with pytest.raises(Refused) as other_cell:
        await answer(session, clock, cast.cuong, 104, night_id, 1)
    assert other_cell.value.reason == "other_cell"
    with pytest.raises(Refused) as guest:
        await answer(session, clock, None, 900, night_id, 1)
    assert guest.value.reason == "guests_off"
    clock.move(seconds=21)
    with pytest.raises(Refused) as late:
        await answer(session, clock, cast.binh, 103, night_id, 1)
    assert late.value.reason == "late"
    count = await session.scalar(select(func.count()).select_from(QuizNightAnswer))
    assert count == 0


async def test_a_late_joiner_starts_at_the_next_question(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast)
    await make_buttons(session, night_id)
    await ask(runner, clock, night_id)
    late = await factories.member(session, clock, cast.chi_bo_1, "Đỗ Thị Giang", user_id=901)
    joined = await service.join(session, clock, late, night_id, GROUP, 901, "Giang")
    assert joined.late
    with pytest.raises(Refused) as refused:
        await answer(session, clock, late, 901, night_id, 1)
    assert refused.value.reason == "joined_late"


async def test_a_poll_answer_is_found_by_its_poll_id(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast)
    await ask(runner, clock, night_id)
    q = await question(session, night_id, 0)
    assert q.as_poll and q.poll_id is not None and len(group.polls) == 1
    clock.move(seconds=2)
    done = await play.record_answer(session, clock, cast.binh, 103, "Bình", 1, poll_id=q.poll_id)
    assert done.position == 0
    with pytest.raises(Refused):
        await play.record_answer(session, clock, cast.binh, 103, "Bình", 2, poll_id=q.poll_id)


# -- the runner --------------------------------------------------------------------------------
async def run_until_done(runner: NightRunner, clock: FakeClock, night_id: int) -> None:
    for _ in range(100):
        at = await runner.step(night_id)
        if at is None:
            return
        if at > clock.now():
            clock.set(at)
    raise AssertionError("the night never ended")


async def test_a_night_runs_to_the_podium_and_the_secretary_gets_the_results(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=2)
    await ask(runner, clock, night_id)
    q = await question(session, night_id, 0)
    assert q.poll_id is not None
    await play.record_answer(session, clock, cast.an, 102, "An", q.correct, poll_id=q.poll_id)
    wrong = 1 if q.correct != 1 else 2
    await play.record_answer(session, clock, cast.binh, 103, "Bình", wrong, poll_id=q.poll_id)
    await run_until_done(runner, clock, night_id)
    texts = group.texts()
    assert len(group.polls) == 2 and len(texts) == 3  # two results messages and the podium
    assert "Đã trả lời: 2/3 người." in texts[0]
    assert "📜 Đoạn trích" in texts[0]
    assert "1. Nguyễn Văn An — 200 điểm" in texts[0]
    assert "Hội thi kết thúc" in texts[2] and "🥇 Nguyễn Văn An — 200 điểm" in texts[2]
    rows = list(await session.scalars(select(OutboxMessage)))
    assert [r.member_id for r in rows] == [cast.chi_thu.id]
    assert "Lê Thị Bình — 0 điểm, đúng 0/1" in rows[0].payload["text"]
    assert await runner.step(night_id) is None  # nothing is posted twice


async def test_each_question_waits_its_time_and_a_pause_before_the_next(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=2)
    closes = await ask(runner, clock, night_id)
    q = await question(session, night_id, 0)
    assert q.asked_at is not None and closes == q.asked_at + timedelta(seconds=20) + GRACE
    assert closes is not None
    clock.set(closes)
    await runner.step(night_id)  # closes
    await runner.step(night_id)  # results
    await runner.step(night_id)  # next position
    closed = (await question(session, night_id, 0)).closed_at
    assert closed is not None
    assert await runner.step(night_id) == closed + timedelta(seconds=3)


async def test_names_can_be_hidden_on_the_board(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    night_id = await opened(session, clock, banks, catalog, cast.chi_thu)
    await service.change_setting(session, cast.chi_thu, night_id, GROUP, "v")
    await service.change_setting(session, cast.chi_thu, night_id, GROUP, "p")  # native polls
    await service.join(session, clock, cast.an, night_id, GROUP, 102, "An")
    await service.start_night(session, clock, banks, catalog, cast.chi_thu, night_id, GROUP)
    await ask(runner, clock, night_id)
    q = await question(session, night_id, 0)
    await play.record_answer(session, clock, cast.an, 102, "An", q.correct, poll_id=q.poll_id)
    await run_until_done(runner, clock, night_id)
    assert "1. Người dự thi 1 — 200 điểm" in group.texts()[0]
    assert all("An" not in text.split("Bảng điểm")[-1] for text in group.texts())


async def test_a_host_stopping_ends_the_night_with_the_results_so_far(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=5)
    await ask(runner, clock, night_id)
    assert await service.stop_night(session, clock, cast.chi_thu, GROUP) == night_id
    await run_until_done(runner, clock, night_id)
    assert "Hội thi dừng sớm" in group.texts()[-1]
    assert "1/5 câu" in group.texts()[-1]


# -- restarts --------------------------------------------------------------------------------
async def test_after_a_short_restart_the_night_continues_and_says_so(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=3)
    await ask(runner, clock, night_id)
    clock.move(seconds=30)
    assert await runner.resume() == [night_id]  # background off: announced, not launched
    assert group.texts() == ["🔄 Bot vừa khởi động lại. Hội thi tiếp tục từ câu 1."]
    await run_until_done(runner, clock, night_id)
    assert len(group.polls) == 3 and "Hội thi kết thúc" in group.texts()[-1]


async def test_a_secret_ballot_shows_its_count_every_5_s_when_it_changed_never_who(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=1, public=False)
    wake = await ask(runner, clock, night_id)
    asked = (await question(session, night_id, 0)).asked_at
    assert wake is not None and asked is not None and not group.polls
    looked = []
    for who, user, after in ((cast.an, 102, 1), (cast.binh, 103, 7)):
        clock.set(asked + timedelta(seconds=after))
        await answer(session, clock, who, user, night_id, 1)
    clock.set(asked)
    while (await question(session, night_id, 0)).closed_at is None:
        assert wake is not None
        clock.set(wake)
        looked.append((wake - asked).total_seconds())
        wake = await runner.step(night_id)
    # Every 5 s while 5 s are left (20 s a question), then its close after the grace.
    assert looked == [5.0, 10.0, 15.0, 21.5]
    counts = [e.text.split("\n")[-1] for _, _, e in group.edits]
    assert counts == ["Đã trả lời: 2 người."]  # both answers were in by 5 s; then unchanged
    assert all("An" not in e.text and "Bình" not in e.text for _, _, e in group.edits)


async def test_a_press_kept_by_telegram_during_a_restart_counts_until_the_question_closes(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, public=False)
    await ask(runner, clock, night_id)
    q = await question(session, night_id, 0)
    assert not q.as_poll  # a secret ballot: buttons
    clock.move(seconds=25)  # the bot was down past the question's 20 s
    with pytest.raises(Refused, match="late"):  # no restart yet: late is late
        await answer(session, clock, cast.an, 102, night_id, q.correct)
    await runner.resume()
    kept = await answer(session, clock, cast.an, 102, night_id, q.correct)
    assert (kept.correct, kept.points) == (
        True,
        points(correct=True, elapsed_ms=20_000, seconds=20),
    )
    await play.close_question(session, clock, night_id)
    with pytest.raises(Refused, match="late"):  # once closed, nothing more counts
        await answer(session, clock, cast.binh, 103, night_id, q.correct)


async def test_after_a_long_outage_the_night_closes_with_the_results_so_far(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=3)
    await ask(runner, clock, night_id)
    clock.move(hours=2)
    await runner.resume()
    await run_until_done(runner, clock, night_id)
    assert "dừng tại đây" in group.texts()[0]
    assert "Hội thi dừng sớm" in group.texts()[-1]
    night = await session.get(QuizNight, night_id, populate_existing=True)
    assert night is not None and night.interrupted and night.status == "finished"


async def test_a_podium_the_group_refuses_goes_privately_once_and_is_not_tried_again(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=3)
    await ask(runner, clock, night_id)
    await service.stop_night(session, clock, cast.chi_thu, GROUP)
    group.refuses = True

    assert await runner.resume() == [night_id]  # finished, its podium not yet posted
    assert await runner.step(night_id) is None
    assert await runner.resume() == [] and await runner.step(night_id) is None

    rows = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [r.member_id for r in rows] == [cast.chi_thu.id, cast.chi_thu.id]
    assert "không gửi được tin vào nhóm" in rows[0].payload["text"]
    assert "Kết quả hội thi (dừng sớm)" in rows[1].payload["text"]


async def test_the_secretary_and_a_named_host_both_get_the_results(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
) -> None:
    await night_hosts.name_host(session, clock, cast.chi_thu, "telegram", 103)
    night_id = await opened(session, clock, banks, catalog, cast.binh)
    await service.start_night(session, clock, banks, catalog, cast.binh, night_id, GROUP)
    await run_until_done(runner, clock, night_id)
    rows = await session.scalars(select(OutboxMessage.member_id))
    assert sorted(x or 0 for x in rows) == sorted([cast.chi_thu.id, cast.binh.id])
    assert cast.chi_thu.role is Role.SECRETARY


def test_a_poll_is_numbered_and_leaves_a_long_explanation_to_the_results() -> None:
    asking = play.Asking(1, 0, 10, 20, "Bác viết Di chúc năm nào?", ("1965", "1969"), 1, "", True)
    short = replace(asking, explanation="Bác bắt đầu viết Di chúc ngày 10/5/1965.")
    assert screens.poll(short).question == "Câu 1/10. Bác viết Di chúc năm nào?"
    assert screens.poll(short).explanation == short.explanation
    assert screens.poll(replace(asking, explanation="x" * 201)).explanation is None
    assert screens.poll(replace(asking, text="C" * 295)).question == "C" * 295


async def test_a_published_imported_bank_plays_with_its_source_never_as_a_quotation(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    imported = BankQuestion(
        "Chi bộ họp thường kỳ mỗi tháng mấy lần?",
        ("Một lần", "Hai lần", "Ba lần"),
        1,
        "",
        "Điều lệ Đảng, Điều 24",
    )
    draft = await quiz_banks.create_draft(
        session,
        clock,
        unit_id=cast.chi_bo_1.id,
        actor=cast.chi_thu,
        file_name="sinh-hoat.xlsx",
        questions=[imported],
    )
    night_id = await opened(session, clock, banks, catalog, cast.chi_thu)
    titles = [
        b.title
        for b in await service.bank_choices(session, banks, catalog, cast.chi_thu, night_id, GROUP)
    ]
    assert draft.title not in titles  # a draft is not playable
    await quiz_banks.publish(session, clock, cast.chi_thu, draft.id)
    choices = await service.bank_choices(session, banks, catalog, cast.chi_thu, night_id, GROUP)
    assert choices[-1].title == draft.title
    last = len(choices) - 1
    with pytest.raises(Refused, match="bank_changed"):  # a button from a list since changed
        await service.choose_bank(
            session, banks, catalog, cast.chi_thu, night_id, GROUP, last, tag(choices[0].key)
        )
    await service.choose_bank(
        session, banks, catalog, cast.chi_thu, night_id, GROUP, last, tag(choices[-1].key)
    )
    await service.change_setting(session, cast.chi_thu, night_id, GROUP, "p")  # native polls
    await service.join(session, clock, cast.an, night_id, GROUP, 102, "An")
    await service.start_night(session, clock, banks, catalog, cast.chi_thu, night_id, GROUP)
    await ask(runner, clock, night_id)
    q = await question(session, night_id, 0)
    assert q.poll_id is not None and group.polls[0][1].explanation is None
    await play.record_answer(session, clock, cast.an, 102, "An", 1, poll_id=q.poll_id)
    await run_until_done(runner, clock, night_id)
    results = group.texts()[0]
    assert "📚 Nguồn (theo bộ câu hỏi của đơn vị): Điều lệ Đảng, Điều 24" in results
    assert "📜 Đoạn trích" not in results and "«" not in results and "💡" not in results


async def test_when_everyone_has_answered_the_question_closes_without_waiting(
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    runner: NightRunner,
    group: FakeGroup,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=2)
    closes = await ask(runner, clock, night_id)
    q = await question(session, night_id, 0)
    assert closes is not None and q.poll_id is not None
    players = ((cast.an, 102), (cast.binh, 103), (cast.chi_thu, 101))
    last = None
    for who, user in players:
        clock.move(seconds=1)
        assert last is None or not last.everyone  # not before the last player
        last = await play.record_answer(session, clock, who, user, "x", 1, poll_id=q.poll_id)
    assert last is not None and last.everyone

    assert await runner.step(night_id) == clock.now()  # closed now, not at `closes`
    closed = await question(session, night_id, 0)
    assert closed.closed_at == clock.now() < closes
    assert group.stopped == [(GROUP, closed.message_id)]  # the poll shows as closed too
    await runner.step(night_id)
    assert "Đã trả lời: 3/3 người." in group.texts()[0]


async def test_a_night_another_live_process_runs_is_left_to_it_and_adopted_when_it_dies(
    sessionmaker: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    clock: FakeClock,
    banks: QuizBanks,
    catalog: Catalog,
    cast: Cast,
    group: FakeGroup,
) -> None:
    night_id = await started(session, clock, banks, catalog, cast, count=1)
    engine = sessionmaker.kw["bind"]
    if engine.dialect.name != "postgresql":
        assert await night_lock_for(engine, night_id).leads()  # SQLite: one process by design
        return
    other_worker = night_lock_for(engine, night_id)  # the webhook worker running the night
    assert await other_worker.leads()
    limiter = MemoryLimiter(Limits(), now=lambda: clock.now().timestamp())
    leader = NightRunner(
        sessionmaker, clock, group, limiter, TZ, lock_for=partial(night_lock_for, engine)
    )
    try:
        assert await leader.resume() == [night_id]  # the leader's tick sees it running…
        await asyncio.gather(*leader._tasks.values())
        assert group.texts() == [] and group.polls == []  # …and leaves it to its owner
        await other_worker.release()  # that worker stops
        await leader.resume()
        await asyncio.wait_for(asyncio.gather(*leader._tasks.values()), timeout=30)
        assert group.texts()[0].startswith("🔄") and "Hội thi kết thúc" in group.texts()[-1]
    finally:
        await leader.stop()
