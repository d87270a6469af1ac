"""Telegram ingest: long polling or a webhook, both storing every update in the inbox first.

An update is acknowledged only after it is stored: with polling, by asking for the next offset;
with a webhook, by answering 200. If storing fails, Telegram delivers it again.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import Update
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import inbox

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "poll_answer", "my_chat_member"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FULL_BATCH = 100  # getUpdates' default (and largest) limit


def raw(update: Update) -> dict[str, Any]:
    """Return an update as Telegram sent it (field aliases, no empty fields)."""
    return update.model_dump(mode="json", by_alias=True, exclude_none=True)


class Ingest:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        channel: str,
        on_stored: Callable[[], None],
        on_fetched: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._channel = channel
        self._on_stored = on_stored
        # Told once what Telegram held for the bot is stored (a quiz night waits for it).
        self._on_fetched = on_fetched

    async def store(self, update: dict[str, Any]) -> bool:
        async with self._sessionmaker() as session:
            new = await inbox.store(session, self._clock, self._channel, update)
        if new:
            self._on_stored()
        else:
            log.info("duplicate update", extra={"update_id": update.get("update_id")})
        return new

    async def poll(self, bot: Bot, *, poll_seconds: int = 25) -> None:
        """Long-poll until cancelled."""
        await bot.delete_webhook(drop_pending_updates=False)
        offset: int | None = None
        failures = 0
        while True:
            try:
                updates = await bot.get_updates(
                    offset=offset, timeout=poll_seconds, allowed_updates=ALLOWED_UPDATES
                )
            except (TelegramNetworkError, TelegramAPIError) as error:
                failures += 1
                log.warning("getUpdates failed: %s", type(error).__name__)
                await self._clock.sleep(min(30.0, 0.5 * 2**failures))
                continue
            failures = 0
            for update in updates:
                await self.store(raw(update))
                offset = update.update_id + 1
            if len(updates) < FULL_BATCH:  # Telegram's backlog is all stored
                self._on_fetched()

    def webhook_app(self, path: str, secret: str | None) -> web.Application:
        """Return an aiohttp app that stores each POSTed update and answers 200."""
        expected = (secret or "").encode()

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "").encode()
            # Constant time: the secret must not leak through response timing.
            if secret is not None and not hmac.compare_digest(given, expected):
                return web.Response(status=401)
            try:
                update = json.loads(await request.read())
                int(update["update_id"])
            except (ValueError, KeyError, TypeError):
                return web.Response(status=400)
            await self.store(update)
            # Telegram pushes its backlog on its own: the first update is the only sign of it.
            self._on_fetched()
            return web.Response(status=200)

        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post(path, receive)
        app.router.add_get("/healthz", _health)
        return app


async def _health(_request: web.Request) -> web.Response:
    return web.json_response({"ok": True})
