"""A person in headless Chromium joins the demo cell in the local web chat."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from bot.app import App
from bot.services import demo
from bot.settings import Settings
from bot.texts import common, onboarding
from tests.e2e.conftest import WAIT
from tests.fakes.clock import FakeClock

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium phones home at start-up and this machine's closed network stalls it.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
async def local_app(database_url: str, clock: FakeClock) -> AsyncIterator[App]:
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        local_chat_port=0,
    )
    app = App(settings, clock)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture
async def page(tmp_path: Path) -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = await browser.new_context(viewport={"width": 412, "height": 860})
        yield await context.new_page()
        await browser.close()


async def press(page: Page, label: str) -> None:
    await page.get_by_test_id("button").filter(has_text=label).last.click()


async def test_a_newcomer_joins_the_demo_cell_in_the_browser(
    local_app: App, page: Page, tmp_path: Path
) -> None:
    assert local_app.webchat is not None
    await page.goto(f"http://127.0.0.1:{local_app.webchat.port}/")
    an = next(p for p in demo.CAST if not p.joined)
    await page.get_by_test_id(f"persona-{an.user_id}").click()
    await page.get_by_test_id("start-button").click()

    bot_says = page.locator('[data-testid="message"][data-from="bot"]')
    await expect(bot_says.last).to_contain_text("Bước 1/3", timeout=WAIT * 1000)
    await press(page, onboarding.NAME_OK)
    await expect(bot_says.last).to_contain_text("Bước 2/3")
    await page.get_by_test_id("composer-input").fill("19h30")
    await page.get_by_test_id("composer-send").click()
    await expect(bot_says.last).to_contain_text("Bước 3/3")
    await press(page, onboarding.CONSENT_YES)
    await expect(
        page.get_by_test_id("button").filter(has_text=common.MENU_HELP).last
    ).to_be_visible()
    await expect(bot_says.last).to_contain_text(f"{an.last_name} {an.first_name}")
    await page.screenshot(path=str(tmp_path / "joined.png"), full_page=True)
