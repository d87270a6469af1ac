"""Telegram ingest: long polling or a webhook, both storing every update in the inbox first.

An update is acknowledged only after it is stored: with polling, by asking for the next offset;
with a webhook, by answering 200. If storing fails, Telegram delivers it again. Updates are kept
as the JSON Telegram sent, never parsed on the way in: one aiogram cannot read must not stop
the ingest (the inbox worker sets it aside), and the database being away only delays the ingest.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import inbox
from bot.health import health_handler
from bot.supervisor import FIRST_BACKOFF, MAX_BACKOFF, Health

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "poll_answer", "my_chat_member"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_ID = 2**52  # Telegram's ids fit in 52 bits; anything bigger is forged or broken
POLLING, WEBHOOK = "polling", "webhook"
FULL_BATCH = 100  # getUpdates' default (and largest) limit


class RawUpdates(TelegramMethod[list[dict[str, Any]]]):
    """getUpdates with its result left as JSON objects: aiogram's typed one raises for the
    whole batch on one update it cannot parse, and the next poll fetches that batch again."""

    __returning__ = list[dict[str, Any]]
    __api_method__ = "getUpdates"

    offset: int | None = None
    limit: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


def update_id_of(update: object) -> int | None:
    """Return the update's id if the update is an object with a plausible one, else None."""
    if not isinstance(update, dict):
        return None
    value = update.get("update_id")
    if type(value) is not int or not 0 <= value < MAX_UPDATE_ID:  # bool is an int too
        return None
    return value


class Ingest:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        channel: str,
        on_stored: Callable[[], None],
        health: Health,
        on_fetched: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._channel = channel
        self._on_stored = on_stored
        self._health = health
        self._offset: int | None = None  # kept across restarts of the polling task
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
        failures = 0
        while True:
            request = RawUpdates(
                offset=self._offset, timeout=poll_seconds, allowed_updates=ALLOWED_UPDATES
            )
            try:
                updates = await bot(request, request_timeout=poll_seconds + 15)
            except (TelegramNetworkError, TelegramAPIError) as error:
                failures += 1
                self._health.failed(POLLING, error)
                if self._health.unhealthy is not None:
                    raise  # the process gives up and is restarted
                log.warning("getUpdates failed: %s", type(error).__name__)
                await self._clock.sleep(min(30.0, 0.5 * 2**failures))
                continue
            failures = 0
            self._health.ok(POLLING)
            for update in updates:
                update_id = update_id_of(update)
                if update_id is None:  # Telegram numbers every update; nothing to store or skip
                    log.warning("update without a valid id ignored")
                    continue
                await self._store_patiently(update, update_id)
                # Only past an update that is stored: the offset is Telegram's acknowledgement.
                self._offset = max(self._offset or 0, update_id + 1)
            if len(updates) < FULL_BATCH:  # Telegram's backlog is all stored
                self._on_fetched()

    async def _store_patiently(self, update: dict[str, Any], update_id: int) -> None:
        """Store one polled update, retrying with backoff while the database is away."""
        delay = FIRST_BACKOFF
        while True:
            try:
                await self.store(update)
            except Exception as error:  # kept and retried, never skipped
                trouble = self._health.failed(POLLING, error)
                if self._health.unhealthy is not None:
                    raise  # the process gives up; the update is fetched again after the restart
                log.warning(
                    "storing an update failed; trying again",
                    extra={"update_id": update_id, "error": trouble.error, "retry_in": delay},
                )
                await self._clock.sleep(delay)
                delay = min(MAX_BACKOFF, delay * 2)
                continue
            self._health.ok(POLLING)
            return

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
            except ValueError:
                return web.Response(status=400)
            # A 5xx is retried by Telegram for ever: what can never be stored gets a 400.
            update_id = update_id_of(update)
            if update_id is None:
                return web.Response(status=400)
            try:
                await self.store(update)
            except Exception as error:  # Telegram sends it again after a 503
                trouble = self._health.failed(WEBHOOK, error)
                log.warning(
                    "storing a webhook update failed; Telegram sends it again",
                    extra={"update_id": update_id, "error": trouble.error},
                )
                return web.Response(status=503)
            self._health.ok(WEBHOOK)
            # Telegram pushes its backlog on its own: the first update is the only sign of it.
            self._on_fetched()
            return web.Response(status=200)

        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post(path, receive)
        app.router.add_get("/healthz", health_handler(self._health))
        return app
