from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.clock import SystemClock
from bot.screens import menus
from bot.screens.announce import ConfirmAnnouncement
from bot.services import audit
from bot.settings import Settings
from bot.texts import common
from db.models import AuditEntry
from tests.conftest import Cast
from tests.pilot import PilotFactory, plain


async def test_a_handler_error_is_logged_and_apologised_for(
    app: App,
    cast: Cast,
    pilot_for: PilotFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(menus, "help_screen", broken)
    binh = pilot_for(103)
    await binh.send("/start")
    with caplog.at_level(logging.ERROR, logger="hocbac.errors"):
        update = await binh.press(common.MENU_HELP)
    assert any(r.__dict__.get("update_id") == update["update_id"] for r in caplog.records)
    assert app.webchat is None


async def test_a_flood_is_slowed_down_with_one_notice(
    cast: Cast, pilot_for: PilotFactory, server: BotApiServer
) -> None:
    binh = pilot_for(103)
    for _ in range(25):
        await binh.send("menu")
    texts = [m["text"] for m in binh.bot_messages()]
    assert texts.count(plain(common.too_fast())) == 1
    assert len(texts) == 21  # 20 answered, one notice, the rest dropped


async def test_a_long_text_or_emoji_gets_a_polite_answer(
    cast: Cast, pilot_for: PilotFactory
) -> None:
    binh = pilot_for(103)
    await binh.send("/start")
    await binh.send("🙏" * 2000)
    assert binh.text() == plain(common.not_understood())
    await binh.send("ménu chính 🏠")
    assert common.MENU_HELP in binh.buttons()


async def test_a_stranger_in_a_group_is_never_an_error(
    app: App, cast: Cast, server: BotApiServer
) -> None:
    server.add_group(-1001, "Chi bộ 1", member_ids=[101, 900], admin_ids=[101])
    await app.handle(await server.user_sends_text(900, "chào cả nhà", chat_id=-1001))
    assert server.messages(-1001)[-1]["from"]["is_bot"] is False  # ignored
    await app.handle(await server.user_sends_text(900, "/start", chat_id=-1001))
    assert server.messages(-1001)[-1]["text"] == plain(common.private_only())


async def test_each_update_is_logged_once_with_its_handler_and_duration(
    cast: Cast, pilot_for: PilotFactory, caplog: pytest.LogCaptureFixture
) -> None:
    binh = pilot_for(103)
    with caplog.at_level(logging.INFO, logger="hocbac.updates"):
        update = await binh.send("/start")
    (line,) = [r for r in caplog.records if r.name == "hocbac.updates"]
    assert line.__dict__["update_id"] == update["update_id"]
    assert line.__dict__["handler"] == "on_start"
    assert line.__dict__["outcome"] == "ok"
    assert line.__dict__["ms"] >= 0


async def test_a_sticker_or_a_photo_outside_any_step_gets_a_plain_answer(
    app: App, cast: Cast, pilot_for: PilotFactory, server: BotApiServer
) -> None:
    server.add_user(950, "Khách")
    binh, stranger = pilot_for(103), pilot_for(950)
    await binh.send("/start")
    await app.handle(await server.user_sends_sticker(103))
    assert binh.text() == plain(common.text_expected())
    await app.handle(await server.user_sends_photo(103, b"\x89PNG\r\n\x1a\n" + b"0" * 64))
    assert binh.text() == plain(common.text_expected())
    await app.handle(await server.user_sends_sticker(950))
    assert stranger.bot_messages() and common.apology() not in stranger.text()


async def test_stopping_during_a_tick_is_not_logged_as_an_error(
    settings: Settings,
    cast: Cast,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = App(settings, SystemClock())  # the scheduler ticks on real time
    await app.load_content()
    await app.open_bot()
    ticking = asyncio.Event()

    async def hangs() -> int:  # a tick under way when the process is told to stop
        ticking.set()
        await asyncio.Event().wait()
        return 0

    monkeypatch.setattr(app, "schedule", hangs)
    app.start_clock()
    await ticking.wait()
    with caplog.at_level(logging.INFO):
        await app.stop()
        for _ in range(10):  # the cancelled tick's callbacks
            await asyncio.sleep(0)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_button_with_a_unicode_digit_is_refused_politely_and_audited(
    cast: Cast, pilot_for: PilotFactory, server: BotApiServer, session: AsyncSession
) -> None:
    thu = pilot_for(101)
    await thu.send("menu")
    await thu.forge(ConfirmAnnouncement(cast.chi_bo_1.id).pack().rsplit("|", 1)[0] + "|²")
    assert server.calls_to("answerCallbackQuery")[-1].params.get("text") == (
        common.button_expired()
    )
    refused = await session.scalar(select(AuditEntry).where(AuditEntry.action == "button.refused"))
    # Audit details keep only plain ASCII codes: the forged field's «²» is withheld, not kept.
    assert refused is not None and refused.detail.get("data") == audit.WITHHELD
