"""End to end: the bot process, the fake Telegram, a real database, nothing in between."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from bot.services import invites
from bot.texts import common, onboarding
from db.models import (
    ChannelIdentity,
    InboxStatus,
    InboxUpdate,
    Invite,
    Member,
    MemberStatus,
)
from tests import factories
from tests.conftest import Cast
from tests.e2e.conftest import TOKEN, WAIT, StartBot
from tests.fakes.clock import FakeClock


def bot_texts(server: BotApiServer, chat_id: int) -> list[str]:
    return [m.get("text", "") for m in server.messages(chat_id) if m["from"]["is_bot"]]


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


async def press(server: BotApiServer, user_id: int, label: str) -> None:
    for message in reversed(server.messages(user_id)):
        for text, data in buttons(message):
            if text == label:
                await server.user_presses(user_id, user_id, message["message_id"], data)
                return
    raise AssertionError(f"no button {label!r}")


async def wait_text(server: BotApiServer, chat_id: int, expected: str) -> None:
    await server.wait_for(
        lambda: any(expected in t for t in bot_texts(server, chat_id)), timeout=WAIT
    )


async def make_invite(session: AsyncSession, clock: FakeClock, cast: Cast) -> str:
    created = await factories.invite(session, clock, cast.chi_bo_1, ttl=timedelta(days=36500))
    return invites.normalise_code(created.code)


async def test_a_member_joins_and_a_duplicate_update_is_handled_once(
    server: BotApiServer,
    bot_process: StartBot,
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
) -> None:
    code = await make_invite(session, clock, cast)
    await bot_process()
    server.faults.duplicate_next_updates(1)
    await server.user_sends_text(900, f"/start {code}")
    await wait_text(server, 900, "Bước 1/3")
    await press(server, 900, onboarding.NAME_OK)
    await wait_text(server, 900, "Bước 2/3")
    await press(server, 900, "12:00")
    await wait_text(server, 900, "Bước 3/3")
    await press(server, 900, onboarding.CONSENT_YES)
    await server.wait_for(
        lambda: any(
            label == common.MENU_HELP for m in server.messages(900) for label, _ in buttons(m)
        ),
        timeout=WAIT,
    )
    first_steps = [c for c in server.calls_to("sendMessage") if "Bước 1/3" in c.params["text"]]
    assert len(first_steps) == 1  # the duplicated update was handled once
    assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 4
    member = await session.scalar(select(Member).where(Member.full_name == "Hoàng Văn Em"))
    assert member is not None and member.status is MemberStatus.ACTIVE


async def test_the_bot_killed_mid_joining_continues_after_a_restart(
    server: BotApiServer,
    bot_process: StartBot,
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
) -> None:
    code = await make_invite(session, clock, cast)
    first = await bot_process()
    await server.user_sends_text(900, f"/start {code}")
    await wait_text(server, 900, "Bước 1/3")
    await press(server, 900, onboarding.NAME_OK)
    await wait_text(server, 900, "Bước 2/3")
    await first.kill()

    await press(server, 900, "20:00")  # pressed while the bot is down
    second = await bot_process()
    await wait_text(server, 900, "Bước 3/3")
    await press(server, 900, onboarding.CONSENT_YES)
    await wait_text(server, 900, "Cảm ơn đồng chí Hoàng Văn Em")
    assert TOKEN not in second.log()
    await inbox_settled(session)


async def inbox_settled(session: AsyncSession) -> None:
    """Wait (bounded) until the bot process has marked every stored update as handled."""
    async with asyncio.timeout(WAIT):
        while True:
            statuses = set(await session.scalars(select(InboxUpdate.status)))
            await session.commit()  # end the read transaction, to see the bot's next write
            if statuses == {InboxStatus.DONE}:
                return
            await asyncio.sleep(0.05)  # another process is working; there is no clock to move


async def test_a_crash_right_after_joining_commits_neither_loses_nor_repeats_it(
    server: BotApiServer,
    bot_process: StartBot,
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
) -> None:
    code = await make_invite(session, clock, cast)
    first = await bot_process()
    await server.wait_for(lambda: bool(server.calls_to("getMe")), timeout=WAIT)
    # The bot's answer hangs; the bot dies after the joining committed, before it answered.
    server.faults.fail("sendMessage", "slow", delay=3.0)
    await server.user_sends_text(900, f"/start {code}")
    async with asyncio.timeout(WAIT):
        while await joined(session) == 0:  # noqa: ASYNC110 - another process's database
            await asyncio.sleep(0.05)  # is not an event here; there is no clock to move
    await first.kill()
    # The update's "done" mark committed with the joining: a restart does not join her again.
    statuses = set(await session.scalars(select(InboxUpdate.status)))
    await session.commit()
    assert statuses == {InboxStatus.DONE}

    await bot_process()
    await server.user_sends_text(900, "/start")  # no answer came: she asks again
    await wait_text(server, 900, "Bước 1/3")
    await inbox_settled(session)
    assert await joined(session) == 1
    invite = await session.scalar(select(Invite))
    assert invite is not None and invite.uses == 1


async def joined(session: AsyncSession) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(ChannelIdentity)
        .where(ChannelIdentity.external_user_id == 900)
    )
    await session.commit()  # end the read transaction, to see the bot's next write
    return int(count or 0)
