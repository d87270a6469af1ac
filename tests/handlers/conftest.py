"""The app, fed update by update, talking to the fake Bot API server over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.settings import Settings
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import Pilot, PilotFactory

TOKEN = "123456:TEST-token"


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    fake = BotApiServer()
    await fake.start("127.0.0.1", 0)
    for user_id, first, last in [
        (101, "Thư", "Trần Thị"),
        (102, "An", "Nguyễn Văn"),
        (103, "Bình", "Lê Thị"),
        (104, "Cường", "Phạm Văn"),
        (105, "Dũng", "Võ Văn"),
        (900, "Em", "Hoàng Văn"),
        (901, "Giang", "Đỗ Thị"),
    ]:
        fake.add_user(user_id, first, last)
    yield fake
    await fake.stop()


@pytest.fixture
def settings(database_url: str, redis_url: str | None, server: BotApiServer) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=SecretStr(TOKEN),
        telegram_api_base=server.base_url,
        database_url=database_url,
        redis_url=redis_url,
        flood_limit_per_minute=20,
    )


@pytest.fixture
async def app(settings: Settings, clock: FakeClock, cast: Cast) -> AsyncIterator[App]:
    made = App(settings, clock)
    await made.load_content()
    await made.open_bot()
    yield made
    await made.stop()


@pytest.fixture
def pilot_for(app: App, server: BotApiServer) -> PilotFactory:
    def make(user_id: int, *, chat_id: int | None = None) -> Pilot:
        return Pilot(server, user_id, app.handle, chat_id=chat_id)

    return make
