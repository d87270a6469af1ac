"""The inbox under bursts and faults: every update handled once, in order, without apologies."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.delivery import inbox
from bot.delivery.worker import InboxWorker
from bot.screens import announce as announce_screens
from bot.screens import menus
from bot.services import invites
from bot.texts import announce as t
from bot.texts import common
from db.models import Announcement, InboxStatus, InboxUpdate, Invite
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import Pilot, plain

APOLOGY = plain(common.apology())


def bot_texts(server: BotApiServer, chat_id: int) -> list[str]:
    return [m.get("text", "") for m in server.messages(chat_id) if m["from"]["is_bot"]]


def apologies(server: BotApiServer) -> int:
    sent = [c.params.get("text", "") for c in server.calls_to("sendMessage")]
    alerts = [c.params.get("text", "") for c in server.calls_to("answerCallbackQuery")]
    return sum(common.apology() == text for text in sent + alerts)


class Inbox:
    """Stores updates as the ingest does, and lets the app's worker drain them."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.handled: list[dict[str, Any]] = []

        async def handle(update: dict[str, Any]) -> None:
            await app.handle(update)
            self.handled.append(update)

        self.worker = InboxWorker(app.sessionmaker, app.clock, handle)

    async def store(self, update: dict[str, Any]) -> None:
        async with self.app.sessionmaker() as session:
            assert await inbox.store(session, self.app.clock, self.app.channel, update)

    async def drain(self) -> None:
        while await self.worker.run_once():
            pass

    async def counts(self) -> dict[str, int]:
        async with self.app.sessionmaker() as session:
            return await inbox.counts(session)


async def test_a_hundred_joiners_at_once_are_all_answered(
    app: App, server: BotApiServer, session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    created = await factories.invite(
        session, clock, cast.chi_bo_1, ttl=timedelta(days=3), max_uses=200
    )
    people = range(5000, 5100)
    box = Inbox(app)
    for user_id in people:
        server.add_user(user_id, "Hùng", "Nguyễn Văn")
        await box.store(await server.user_sends_text(user_id, f"/start {created.code}"))
    waiting = str(list(await session.scalars(select(InboxUpdate.payload))))
    for form in (created.code, invites.normalise_code(created.code)):
        assert form not in waiting  # only its hash, even before it is handled
    await box.drain()
    assert await box.counts() == {"done": 100}
    assert all(any("Bước 1/3" in text for text in bot_texts(server, u)) for u in people)
    assert apologies(server) == 0
    invite = await session.scalar(select(Invite))
    assert invite is not None
    await session.refresh(invite)
    assert invite.uses == 100
    assert set(await session.scalars(select(InboxUpdate.payload))) == {None}  # nothing kept


async def test_five_hundred_updates_from_a_hundred_members_are_handled_once_in_order(
    app: App, server: BotApiServer, session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    people = range(6000, 6100)
    for user_id in people:
        server.add_user(user_id, "Đảng viên", "Trần Văn")
        await factories.member(
            session, clock, cast.chi_bo_1, f"Trần Văn {user_id}", user_id=user_id
        )
    box = Inbox(app)
    for _round in range(5):
        for user_id in people:
            await box.store(await server.user_sends_text(user_id, "menu"))
    await box.drain()
    assert await box.counts() == {"done": 500}
    by_chat: dict[int, list[int]] = defaultdict(list)
    for update in box.handled:
        by_chat[update["message"]["chat"]["id"]].append(update["update_id"])
    assert len({u["update_id"] for u in box.handled}) == len(box.handled) == 500
    assert all(ids == sorted(ids) and len(ids) == 5 for ids in by_chat.values())
    assert all(len(bot_texts(server, u)) == 5 for u in people)
    assert apologies(server) == 0


class Crash(BaseException):
    """The process is killed: nothing after this point runs."""


async def test_killed_right_after_an_announcement_commits_it_goes_out_once(
    app: App, server: BotApiServer, cast: Cast, clock: FakeClock
) -> None:
    box = Inbox(app)

    async def deliver(update: dict[str, Any]) -> None:
        await box.store(update)
        await box.drain()

    thu = Pilot(server, 101, deliver)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_ANNOUNCE)
    await thu.send("Họp chi bộ lúc 19h30 thứ Năm.")

    def noticed(sync: Session, _context: Any, _objects: Any) -> None:
        if any(isinstance(obj, Announcement) for obj in sync.new):
            sync.info["announced"] = True

    def killed(sync: Session) -> None:
        if sync.info.pop("announced", False):
            raise Crash

    event.listen(Session, "before_flush", noticed)
    event.listen(Session, "after_commit", killed)
    try:
        with pytest.raises(Crash):
            await thu.press(t.SEND)
    finally:
        event.remove(Session, "before_flush", noticed)
        event.remove(Session, "after_commit", killed)
    async with app.sessionmaker() as session:  # the restart
        await inbox.release_claims(session)
    await box.drain()
    assert await box.counts() == {"done": 5}
    await app.tick()
    for chat in (102, 103):
        assert len([m for m in bot_texts(server, chat) if m.startswith("📣")]) == 1
    async with app.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Announcement)) == 1


async def test_a_bug_after_the_change_committed_is_apologised_for_at_once(
    app: App, server: BotApiServer, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = Inbox(app)

    async def deliver(update: dict[str, Any]) -> None:
        await box.store(update)
        await box.drain()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    thu = Pilot(server, 101, deliver)
    await thu.send("menu")
    await thu.press(common.MENU_CELL)
    await thu.press(t.MENU_ANNOUNCE)
    await thu.send("Họp chi bộ lúc 19h30 thứ Năm.")
    monkeypatch.setattr(announce_screens, "queued", broken)  # fails after the announcement
    await thu.press(t.SEND)
    # The announcement and the done mark committed: no retry will come, so no silence either.
    assert apologies(server) == 1
    assert await box.counts() == {"done": 5}
    async with app.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Announcement)) == 1


async def test_an_unreadable_update_is_set_aside_and_the_next_one_answered(
    app: App, server: BotApiServer, cast: Cast
) -> None:
    box = Inbox(app)
    await box.store({"update_id": 10**6, "message": {"chat": {"id": 103}, "text": "lạ"}})
    await box.store(await server.user_sends_text(103, "menu"))
    await box.drain()
    assert await box.counts() == {"failed": 1, "done": 1}
    assert common.MENU_HELP in Pilot(server, 103).buttons()
    async with app.sessionmaker() as session:
        failed = await session.scalar(
            select(InboxUpdate).where(InboxUpdate.status == InboxStatus.FAILED)
        )
    assert failed is not None and (failed.payload, failed.error) == (None, "unparseable")


async def test_a_bug_is_retried_quietly_and_apologised_for_once_after_the_last_try(
    app: App,
    server: BotApiServer,
    cast: Cast,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    box = Inbox(app)
    await box.store(await server.user_sends_text(103, "menu"))
    await box.drain()
    monkeypatch.setattr(menus, "help_screen", broken)
    binh = Pilot(server, 103)
    await box.store(
        await server.user_presses(
            103, 103, binh.bot_messages()[-1]["message_id"], _data_of(binh, common.MENU_HELP)
        )
    )
    for _ in range(inbox.MAX_ATTEMPTS):
        assert apologies(server) == 0
        await box.drain()
        clock.move(minutes=1)
    assert apologies(server) == 1
    assert await box.counts() == {"done": 1, "failed": 1}


async def test_a_locked_database_is_waited_out_without_an_apology(
    app: App,
    server: BotApiServer,
    cast: Cast,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    help_screen = menus.help_screen
    faults = [OperationalError("SELECT", {}, Exception("database is locked"))]

    def locked_once(*args: Any, **kwargs: Any) -> Any:
        if faults:
            raise faults.pop()
        return help_screen(*args, **kwargs)

    box = Inbox(app)
    await box.store(await server.user_sends_text(103, "menu"))
    await box.drain()
    monkeypatch.setattr(menus, "help_screen", locked_once)
    binh = Pilot(server, 103)
    menu_text = binh.text()
    await box.store(
        await server.user_presses(
            103, 103, binh.bot_messages()[-1]["message_id"], _data_of(binh, common.MENU_HELP)
        )
    )
    await box.drain()
    assert await box.counts() == {"done": 1, "pending": 1}
    clock.move(seconds=5)
    await box.drain()
    assert await box.counts() == {"done": 2}
    assert apologies(server) == 0
    assert binh.text() != menu_text and common.MENU_HELP not in binh.buttons()  # help shown


def _data_of(pilot: Pilot, label: str) -> str:
    for row in (pilot.bot_messages()[-1].get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if button["text"] == label:
                return str(button["callback_data"])
    raise AssertionError(label)
