"""Update delivery with Telegram's semantics: getUpdates offsets, or a webhook with its secret."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import re
import time
from typing import Any

import aiohttp

from bot.channels.webchat.errors import ApiError, bad_request
from bot.channels.webchat.faults import Faults
from bot.channels.webchat.state import World

log = logging.getLogger(__name__)
WEBHOOK_CONFLICT = ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first",
)
# Sent only when asked for by name, as Telegram does with an empty or absent allowed_updates.
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
FIRST_RETRY = 0.05  # seconds; Telegram waits longer, tests should not
LAST_RETRY = 2.0


class Delivery:
    def __init__(self, world: World, faults: Faults) -> None:
        self.world = world
        self.faults = faults
        self.webhook_url: str | None = None
        self.secret: str | None = None
        self.allowed: list[str] = []
        self.last_error: tuple[int, str] | None = None
        self.polling = 0  # getUpdates calls now waiting for an update
        self._held: list[dict[str, Any]] = []
        self._pusher: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def enqueue(self, body: dict[str, Any]) -> dict[str, Any]:
        """Number an update and queue it for the bot, applying the duplicate and reorder faults."""
        # A copy, so that later votes or edits do not change an update already on its way.
        update = {"update_id": self.world.next_update_id(), **copy.deepcopy(body)}
        if not self._wanted(update):
            return update  # Telegram never creates an update the bot did not ask for
        copies = 1
        if self.faults.duplicate_updates > 0:
            self.faults.duplicate_updates -= 1
            copies = 2
        batch = [update] * copies
        if self.faults.reorder_updates > 0:
            self.faults.reorder_updates -= 1
            self._held.extend(batch)
            if self.faults.reorder_updates > 0:
                return update
            batch, self._held = list(reversed(self._held)), []
        self.world.updates.extend(batch)
        self._wake.set()
        self.world.touch()
        return update

    def _wanted(self, update: dict[str, Any]) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        return kind in self.allowed if self.allowed else kind not in NOT_BY_DEFAULT

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise WEBHOOK_CONFLICT
        offset = params.get("offset")
        pending = self.world.updates
        if offset is not None and offset < 0:
            del pending[: max(0, len(pending) + offset)]  # -N: keep the last N, forget the rest
        elif offset is not None:
            pending[:] = [u for u in pending if u["update_id"] >= offset]
        if params.get("allowed_updates") is not None:
            self.allowed = list(params["allowed_updates"])
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = max(0, int(params.get("timeout") or 0))
        self.polling += 1
        self.world.touch()  # lets a test wait until the bot's long poll is really waiting
        try:
            with contextlib.suppress(TimeoutError):
                await self.world.wait_for(lambda: bool(self.world.updates), timeout=timeout)
        finally:
            self.polling -= 1
        return self.world.updates[:limit]

    def set_webhook(self, params: dict[str, Any]) -> bool:
        url = params["url"]
        if not url:
            return self.delete_webhook(params)
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not SECRET.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self.world.updates.clear()
        if params.get("allowed_updates") is not None:
            self.allowed = list(params["allowed_updates"])
        self.webhook_url, self.secret, self.last_error = url, secret, None
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
        if self.webhook_url:
            info["max_connections"] = 40
        if self.last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.last_error
        if self.allowed:
            info["allowed_updates"] = self.allowed
        return info

    async def stop(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher

    async def _push(self) -> None:
        """POST updates one at a time, in order; a failed delivery is retried, as Telegram does."""
        backoff = FIRST_RETRY
        async with aiohttp.ClientSession() as http:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self.world.updates and self.webhook_url:
                    update = self.world.updates[0]
                    error = await self._post(http, self.webhook_url, update)
                    if error is None:
                        # A concurrent drop_pending_updates may have emptied the queue meanwhile.
                        if self.world.updates and self.world.updates[0] is update:
                            self.world.updates.pop(0)
                        self.world.touch()
                        backoff = FIRST_RETRY
                        continue
                    self.last_error = (int(time.time()), error)
                    await asyncio.sleep(backoff)
                    backoff = min(LAST_RETRY, backoff * 2)

    async def _post(
        self, http: aiohttp.ClientSession, url: str, update: dict[str, Any]
    ) -> str | None:
        """Deliver one update; return Telegram's wording of what went wrong, if anything did."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.secret} if self.secret else {}
        try:
            async with http.post(
                url, json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=10)
            ) as answer:
                if answer.status < 300:
                    return None
                return f"Wrong response from the webhook: {answer.status} {answer.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientError as error:
            log.debug("webhook delivery failed", exc_info=error)
            return "Connection refused"
