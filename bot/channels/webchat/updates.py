"""Update delivery with Telegram's semantics: getUpdates offsets, or a webhook with its secret."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp

from bot.channels.webchat.errors import ApiError
from bot.channels.webchat.faults import Faults
from bot.channels.webchat.world import World

log = logging.getLogger(__name__)
WEBHOOK_CONFLICT = ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first",
)


class Delivery:
    def __init__(self, world: World, faults: Faults) -> None:
        self.world = world
        self.faults = faults
        self.webhook_url: str | None = None
        self.secret: str | None = None
        self.allowed: list[str] | None = None
        self._held: list[dict[str, Any]] = []
        self._pusher: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def enqueue(self, update: dict[str, Any]) -> None:
        """Queue an update for the bot, applying the duplicate and reorder faults."""
        copies = 1
        if self.faults.duplicate_updates > 0:
            self.faults.duplicate_updates -= 1
            copies = 2
        batch = [update] * copies
        if self.faults.reorder_updates > 0:
            self.faults.reorder_updates -= 1
            self._held.extend(batch)
            if self.faults.reorder_updates > 0:
                return
            batch, self._held = list(reversed(self._held)), []
        self.world.updates.extend(batch)
        self._wake.set()
        self.world.touch()

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise WEBHOOK_CONFLICT
        offset = params.get("offset")
        if offset is not None:
            self.world.updates[:] = [u for u in self.world.updates if u["update_id"] >= offset]
        if params.get("allowed_updates") is not None:
            self.allowed = params["allowed_updates"]
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = max(0, min(50, int(params.get("timeout") or 0)))
        with contextlib.suppress(TimeoutError):
            await self.world.wait_for(lambda: bool(self._ready()), timeout=timeout)
        return self._ready()[:limit]

    def _ready(self) -> list[dict[str, Any]]:
        if self.allowed is None or not self.allowed:
            return list(self.world.updates)
        return [u for u in self.world.updates if any(k in u for k in self.allowed)]

    def set_webhook(self, params: dict[str, Any]) -> bool:
        url = params["url"]
        if not url:
            return self.delete_webhook(params)
        if params.get("drop_pending_updates"):
            self.world.updates.clear()
        self.webhook_url = url
        self.secret = params.get("secret_token")
        self.allowed = params.get("allowed_updates")
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.get_running_loop().create_task(self._push())
        self._wake.set()
        return True

    def delete_webhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self.world.updates.clear()
        self.webhook_url = self.secret = None
        if self._pusher is not None:
            self._pusher.cancel()
            self._pusher = None
        return True

    def webhook_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.updates),
        }
        if self.allowed:
            info["allowed_updates"] = self.allowed
        return info

    async def stop(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher

    async def _push(self) -> None:
        """POST updates one by one, in order; a failed delivery is retried, like Telegram does."""
        backoff = 0.05
        async with aiohttp.ClientSession() as http:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self.world.updates and self.webhook_url:
                    update = self.world.updates[0]
                    headers = (
                        {"X-Telegram-Bot-Api-Secret-Token": self.secret} if self.secret else {}
                    )
                    try:
                        async with http.post(
                            self.webhook_url,
                            json=update,
                            headers=headers,
                            timeout=aiohttp.ClientTimeout(total=10),
                        ) as answer:
                            delivered = answer.status < 300
                    except (aiohttp.ClientError, TimeoutError):
                        delivered = False
                    if delivered:
                        self.world.updates.pop(0)
                        self.world.touch()
                        backoff = 0.05
                        continue
                    await asyncio.sleep(backoff)
                    backoff = min(2.0, backoff * 2)
