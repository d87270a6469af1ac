"""The app's tick runs the retention pass: a month-old handled update is gone after it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from bot.channels.webchat import BotApiServer
from db.models import InboxUpdate
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.handlers.test_erasure_everywhere import through_inbox
from tests.pilot import Pilot


async def test_the_tick_deletes_handled_updates_older_than_the_retention(
    app: App, server: BotApiServer, clock: FakeClock, cast: Cast
) -> None:
    an = Pilot(server, 102, through_inbox(app, clock))
    await an.send("menu")
    clock.move(days=29)
    await an.send("menu")
    clock.move(days=2)  # the first update is 31 days old, the second 2
    await app.schedule()
    async with app.sessionmaker() as db:
        left = list(await db.scalars(select(InboxUpdate.received_at)))
    assert left == [clock.now() - timedelta(days=2)]
