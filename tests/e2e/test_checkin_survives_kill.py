"""End to end: a check-in half done when the bot process is SIGKILLed continues after the
restart with what the member typed, is submitted, and the secretary sees it.

The bot process runs on the real clock, so the month is whichever check-in month is current
today (it may be marked late; the flow is the same).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from bot.clock import SystemClock
from bot.services import checkin_windows
from bot.settings import Settings
from bot.texts import checkins as t
from bot.texts import common
from db.models import Member, Pledge, PledgeItem, PledgeStatus
from tests.conftest import Cast
from tests.e2e.conftest import WAIT, StartBot
from tests.e2e.test_joining_over_http import bot_texts, press, wait_text
from tests.services.test_checkins import SECOND
from tests.services.test_pledges import ACTION, MEASURE

AN = 102
THU = 101


async def seed(session: AsyncSession, cast: Cast) -> str:
    """Give An an old joining date and a pledge for the current check-in month's year."""
    today = SystemClock().now().astimezone(Settings(_env_file=None).tz).date()
    month = checkin_windows.current_month(
        today, checkin_windows.Rules(checkin_windows.OPEN_DAY, checkin_windows.MEETING_DAY)
    )
    joined = datetime(2020, 1, 1, tzinfo=UTC)
    await session.execute(update(Member).where(Member.id == cast.an.id).values(joined_at=joined))
    session.add(
        Pledge(
            member_id=cast.an.id,
            unit_id=cast.chi_bo_1.id,
            year=checkin_windows.first_day(month).year,
            status=PledgeStatus.APPROVED,
            version=1,
            approved_version=1,
            submitted_at=joined,
            items=[
                PledgeItem(position=1, action=ACTION, measure=MEASURE),
                PledgeItem(position=2, action=SECOND[0], measure=SECOND[1]),
            ],
        )
    )
    await session.commit()
    return month


async def wait_new(server: BotApiServer, chat_id: int, expected: str, seen: int) -> None:
    """Wait for a bot message after the first `seen` ones that contains `expected`."""
    await server.wait_for(
        lambda: any(expected in text for text in bot_texts(server, chat_id)[seen:]),
        timeout=WAIT,
    )


async def test_a_checkin_continues_after_the_bot_is_killed_and_the_secretary_sees_it(
    server: BotApiServer, bot_process: StartBot, session: AsyncSession, cast: Cast
) -> None:
    month = await seed(session, cast)
    server.add_user(AN, "An", "Nguyễn Văn")
    first = await bot_process()
    await server.user_sends_text(AN, "tu soi")
    await wait_text(server, AN, f"Tự soi, tự sửa tháng {t.month_label(month)}")
    await press(server, AN, t.START)
    await wait_text(server, AN, "mục 1/2")
    await press(server, AN, "Đạt")
    await wait_text(server, AN, "Tháng này tôi đã làm gì?")
    await server.user_sends_text(AN, "Đọc xong Di chúc, ghi một trang sổ tay")
    await wait_text(server, AN, "Tôi sẽ sửa / làm tiếp")
    await press(server, AN, t.SKIP)
    await wait_text(server, AN, "mục 2/2")
    await first.kill()

    seen = len(bot_texts(server, AN))
    await bot_process()
    await server.user_sends_text(AN, "tu soi")
    await wait_new(server, AN, "mục 2/2", seen)  # the same step, not the start
    await press(server, AN, "Chưa đạt")
    await wait_new(server, AN, "Tháng này tôi đã làm gì?", seen)
    await server.user_sends_text(AN, "Còn trễ một hồ sơ")
    await wait_new(server, AN, "Tôi sẽ sửa / làm tiếp", seen)
    await server.user_sends_text(AN, "Nhắc dân bổ sung giấy tờ sớm")
    await wait_new(server, AN, "ghi chú chung", seen)
    await press(server, AN, t.SKIP)
    await wait_new(server, AN, "Đọc xong Di chúc, ghi một trang sổ tay", seen)  # typed before
    await press(server, AN, t.SEND)
    await wait_new(server, AN, f"Đã gửi tự soi tháng {t.month_label(month)}", seen)

    server.add_user(THU, "Thư", "Trần Thị")
    await server.user_sends_text(THU, "menu")
    await wait_text(server, THU, "Đồng chí muốn làm gì hôm nay?")
    await press(server, THU, common.MENU_CELL)
    await wait_text(server, THU, "Đã tham gia")
    await press(server, THU, t.MENU_CELL_CHECKINS)
    await wait_text(server, THU, "Họp chi bộ")
    await press(server, THU, t.month_overview_label(month))
    await wait_text(server, THU, "Nguyễn Văn An — ")
    overview = next(text for text in reversed(bot_texts(server, THU)) if "Nguyễn Văn An" in text)
    assert "Nguyễn Văn An — đã gửi · 🟡 🔴" in overview or "Nguyễn Văn An — gửi muộn" in overview
