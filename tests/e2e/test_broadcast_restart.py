"""A broadcast through the bot's own process: killed mid-way, restarted, and with a second
sender beside it. Nobody gets a copy twice, nobody is forgotten, and the fake Telegram never
has to refuse a send for going over its limits."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from bot.delivery import payload
from bot.screens import announce as screens
from bot.services import announcements
from db.models import Member, OutboxMessage, OutboxStatus
from tests import factories
from tests.conftest import Cast
from tests.e2e.conftest import WAIT, StartBot
from tests.fakes.clock import FakeClock

MEMBERS = 30
TOTAL = MEMBERS + 2  # and Nguyễn Văn An and Lê Thị Bình of the cast
RATE = 6  # messages a second: 30 copies take about five seconds
# The fake shares this test's event loop and its database polling, so it can see two sends
# that left on time arrive together; allow that much lateness in its measure.
JITTER = 0.35


async def broadcast(
    session: AsyncSession, clock: FakeClock, cast: Cast, server: BotApiServer
) -> None:
    """Thirty members who can be reached now, and an announcement queued to all of them."""
    # The bot runs on the real clock: keep everyone's quiet hours well away from it.
    hour = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).hour
    quiet = (time((hour + 8) % 24, 0), time((hour + 9) % 24, 0))
    server.add_user(102, "An", "Nguyễn Văn")
    server.add_user(103, "Bình", "Lê Thị")
    for n in range(MEMBERS):
        user_id = 3000 + n
        server.add_user(user_id, f"Viên {n}", "Đảng")
        await factories.member(session, clock, cast.chi_bo_1, f"Đảng Viên {n}", user_id=user_id)
    await session.execute(update(Member).values(quiet_start=quiet[0], quiet_end=quiet[1]))
    await session.commit()
    secretary = await session.get(Member, cast.chi_thu.id)
    assert secretary is not None
    letter = screens.message("Chi bộ 1", "Họp chi bộ tối thứ Năm.", "Trần Thị Thư")
    await announcements.send(
        session,
        clock,
        secretary,
        cast.chi_bo_1.id,
        "Họp chi bộ tối thứ Năm.",
        ZoneInfo("Asia/Ho_Chi_Minh"),
        lambda chat_id: payload.send_message(chat_id, letter),
    )


def copies(server: BotApiServer) -> Counter[int]:
    return Counter(
        m["chat"]["id"]
        for chat in (102, 103, *range(3000, 3000 + MEMBERS))
        for m in server.messages(chat)
        if m["from"]["is_bot"] and m.get("text", "").startswith("📣")
    )


async def settled(session: AsyncSession) -> dict[OutboxStatus, int]:
    """Wait until no copy of the announcement waits and nothing more changes; return its
    rows by status (the bot's own schedule may queue other things on the real clock's day).

    Rows a killed process left SENDING stay so on PostgreSQL until their lease ends."""
    loop = asyncio.get_running_loop()
    deadline, since = loop.time() + WAIT, loop.time()
    last: dict[OutboxStatus, int] = {}
    while True:
        rows = await session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.key.startswith("announce:"))
            .group_by(OutboxMessage.status)
        )
        counts = {OutboxStatus(status): int(n) for status, n in rows.all()}
        await session.commit()
        if counts != last:
            last, since = counts, loop.time()
        if not counts.get(OutboxStatus.PENDING) and (
            not counts.get(OutboxStatus.SENDING) or loop.time() - since > 2.0
        ):
            return counts
        assert loop.time() < deadline, counts
        await asyncio.sleep(0.2)


async def test_a_bot_killed_mid_broadcast_sends_nobody_twice_and_forgets_nobody(
    server: BotApiServer,
    bot_process: StartBot,
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
) -> None:
    await broadcast(session, clock, cast, server)
    server.faults.enforce_limits(per_second=RATE, per_chat_interval=1.0, tolerance=JITTER)
    first = await bot_process(SEND_PER_SECOND=str(RATE))
    await server.wait_for(lambda: sum(copies(server).values()) >= 8, timeout=WAIT)
    await first.kill()
    await bot_process(SEND_PER_SECOND=str(RATE))
    # On PostgreSQL a dead sender's SENDING rows turn UNKNOWN after the lease (5 minutes);
    # either way they are in doubt and never sent again.
    counts = await settled(session)
    got = copies(server)
    assert max(got.values()) == 1  # nobody twice
    sent = counts.get(OutboxStatus.SENT, 0)
    in_doubt = counts.get(OutboxStatus.UNKNOWN, 0) + counts.get(OutboxStatus.SENDING, 0)
    assert sent + in_doubt == TOTAL  # nobody forgotten: sent, or counted as in doubt
    # In doubt: the window marked at the kill and the requests whose answers were not yet
    # recorded, a second's sends at most (a busy machine stretches that); claiming a whole
    # batch as sending would leave three times as many.
    assert in_doubt <= RATE, (sent, in_doubt, len(got))
    assert sent <= len(got) <= sent + in_doubt
    assert server.faults.rate_limited == 0


async def test_two_senders_share_the_budget_and_never_take_the_same_row(
    server: BotApiServer,
    bot_process: StartBot,
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        return  # SQLite is one process by design; the PostgreSQL pass runs this
    await broadcast(session, clock, cast, server)
    server.faults.enforce_limits(per_second=RATE, per_chat_interval=1.0, tolerance=JITTER)
    await bot_process(SEND_PER_SECOND=str(RATE))
    await bot_process("sender", SEND_PER_SECOND=str(RATE))
    counts = await settled(session)
    assert counts == {OutboxStatus.SENT: TOTAL}
    assert set(copies(server).values()) == {1} and len(copies(server)) == TOTAL
    # The two keep within one shared budget. Separate budgets draw 11 to 13 refusals here;
    # a shared one none, or one or two when a process stalls on a loaded machine.
    assert server.faults.rate_limited <= 2
