"""A member types a marker everywhere they can, through the inbox as in production, then
erases: no table, and no byte of the SQLite file, holds any marker afterwards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import db.models  # noqa: F401  (fills the metadata)
from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.delivery import inbox
from bot.services import invites
from bot.texts import checkins as ct
from bot.texts import common, onboarding, search
from bot.texts import pledges as pt
from db.base import Base
from db.models import Member, MemberStatus
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import Pilot
from tests.services.test_checkins import NOV_25

MARKS = {
    "start": "zqstartmark",
    "name": "zqnamemark",
    "action": "zqactionmark",
    "measure": "zqmeasuremark",
    "done": "zqdonemark",
    "note": "zqnotemark",
    "search": "zqsearchmark",
    "loose": "zqloosemark",
    "draft": "zqdraftmark",
}


def through_inbox(app: App, clock: FakeClock) -> Any:
    """Feed an update the production way: stored in the inbox, then handled by the worker."""

    async def handle(update: dict[str, Any]) -> None:
        async with app.sessionmaker() as db:
            await inbox.store(db, clock, app.channel, update)
        await app.worker.run_once()

    return handle


async def found_in_tables(app: App) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    async with app.sessionmaker() as db:
        for table in Base.metadata.sorted_tables:
            for row in (await db.execute(table.select())).mappings():
                dumped = json.dumps({k: str(v) for k, v in row.items()}, ensure_ascii=False)
                hits = [m for m in MARKS.values() if m in dumped.lower()]
                if hits:
                    found.setdefault(table.name, []).extend(hits)
    return found


async def found_in_redis(url: str | None) -> list[str]:
    if url is None:
        return []
    client = Redis.from_url(url, decode_responses=True)
    try:
        values = [await client.get(key) async for key in client.scan_iter(match="fsm:*")]
    finally:
        await client.aclose()
    dumped = "".join(str(v or "") for v in values).lower()
    return [m for m in MARKS.values() if m in dumped]


async def everything_typed(
    app: App, session: AsyncSession, clock: FakeClock, cast: Cast, em: Pilot, thu: Pilot
) -> None:
    code = (await factories.invite(session, clock, cast.chi_bo_1, actor=cast.chi_thu)).code
    await em.send(f"/start {MARKS['start']}")  # a mistyped code
    await em.send(f"/start {invites.normalise_code(code)}")
    await em.press(onboarding.NAME_EDIT)
    await em.send(f"Hoàng {MARKS['name']}")
    await em.press("20:00")
    await em.press(onboarding.CONSENT_YES)
    await em.send("/camket")
    await em.press(pt.START)
    await em.send(f"Đọc sách {MARKS['action']} mỗi tối")
    await em.send(f"Mỗi tuần {MARKS['measure']} trang")
    await em.press(pt.SUBMIT)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(ct.MENU_CELL_CHECKINS)
    await thu.press(ct.pending_label(1))
    await thu.press(f"1. Hoàng {MARKS['name'].capitalize()}")
    assert MARKS["action"] in thu.text()
    await thu.press(pt.APPROVE)
    clock.set(NOV_25)
    await em.send("tu soi")
    await em.press(ct.START)
    await em.send("tot")
    await em.send(f"Đã đọc {MARKS['done']} đủ")
    await em.press(ct.SKIP)
    await em.send(f"Tháng này {MARKS['note']} bận")
    await em.press(ct.SEND)
    await em.send("menu")
    await em.press(search.MENU_SEARCH)
    await em.send(f"{MARKS['search']} cần kiệm")
    await em.send("menu")
    await em.send(MARKS["loose"])
    await em.send("cam ket")
    await em.press(pt.AMEND)
    await em.press(pt.edit_label(1))
    await em.send(f"Đọc thêm {MARKS['draft']} mỗi sáng")
    await em.send("menu")  # the draft is left half-written


async def test_erasure_leaves_no_marker_in_any_table_or_in_the_file(
    app: App,
    server: BotApiServer,
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    database_url: str,
    redis_url: str | None,
) -> None:
    handle = through_inbox(app, clock)
    em, thu = Pilot(server, 900, handle), Pilot(server, 101, handle)
    await everything_typed(app, session, clock, cast, em, thu)
    await app.tick()  # the notices to the secretary go out and stay in the outbox
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(ct.MENU_CELL_CHECKINS)
    await thu.press(ct.month_overview_label("2026-11"))  # buttons named for the members
    before = await found_in_tables(app)
    # Conversation state lives in Redis when it is there, else in the database.
    state_in = [] if redis_url else ["conversation_state"]
    assert sorted(before) == sorted(
        [
            "checkin_answers",
            "checkins",
            "drafts",
            # No "inbox": a handled update keeps no payload (tests/delivery/test_inbox.py);
            # erasing the payloads of updates not yet handled is tests/services/test_erasure.py.
            "members",
            "outbox",
            "pledge_items",
            "pledge_revisions",
            *state_in,
        ]
    )
    assert await found_in_redis(redis_url) == (["zqnamemark"] if redis_url else [])

    await em.send("/xoadulieu")
    await em.press(ct.ERASE_YES)

    assert await found_in_tables(app) == {}
    assert await found_in_redis(redis_url) == []
    async with app.sessionmaker() as db:
        member = await db.scalar(select(Member).where(Member.id > cast.dung.id))
        assert member is not None and member.status is MemberStatus.ACTIVE
    if database_url.startswith("sqlite"):
        path = Path(database_url.split("///", 1)[1])
        raw = b"".join(p.read_bytes().lower() for p in path.parent.glob(path.name + "*"))
        assert [m for m in MARKS.values() if m.encode() in raw] == []


async def test_a_member_who_left_can_still_erase(
    app: App, server: BotApiServer, session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    cast.an.status = MemberStatus.INACTIVE
    await session.commit()
    an = Pilot(server, 102, through_inbox(app, clock))
    await an.send("xoa du lieu")
    assert an.buttons() == [ct.ERASE_YES, ct.ERASE_NO]
    await an.press(ct.ERASE_YES)
    assert an.buttons() == []  # no menu for someone who left
    async with app.sessionmaker() as db:
        left = await db.get(Member, cast.an.id)
        assert left is not None and left.full_name == "(đã xóa tên)"
