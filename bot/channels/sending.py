"""Outbox sends over the Bot API as plain JSON requests, with Telegram's errors mapped to outcomes.

An outbox row already holds the call's parameters as JSON. Going through aiogram would
validate them into a pydantic model, encode them as a form and parse the returned Message into
models again: bench/delivery.py measured that at most of the sender's CPU per message, which
on two shared cores capped delivery well below 1,000 msg/s. Here the stored parameters are
posted as they are and only `ok`, `error_code` and `retry_after` are read from the answer.
A row that names a file to make (bot.delivery.attachments) goes as multipart form data.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp

from bot.delivery.attachments import ATTACH, CannotMake, Maker, make_all
from bot.delivery.sender import IN_FLIGHT, Outcome, Result

log = logging.getLogger(__name__)

TELEGRAM = "https://api.telegram.org"
TIMEOUT = 30.0  # seconds; a send that takes longer may or may not have arrived: UNKNOWN
_JSON = {"Content-Type": "application/json"}
_ERROR_MAX = 500


class HttpChannel:
    """Sends outbox payloads; one connection pool, opened on the first send."""

    def __init__(
        self,
        token: str,
        base: str | None = None,
        *,
        timeout: float = TIMEOUT,
        connections: int = IN_FLIGHT,
        makers: dict[str, Maker] | None = None,
    ) -> None:
        self._token = token
        self._makers = makers or {}
        self._url = f"{(base or TELEGRAM).rstrip('/')}/bot{token}/"
        self.timeout = timeout
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def send(self, method: str, payload: dict[str, Any]) -> Outcome:
        if not method.isalnum():
            return Outcome(Result.FAILED, error=f"unknown method {method[:40]}")
        headers: dict[str, str] | None = _JSON
        try:
            if ATTACH in payload:
                body: bytes | aiohttp.FormData = await self._form(payload)
                headers = None  # aiohttp sets multipart/form-data with its boundary
            else:
                body = json.dumps(payload, ensure_ascii=False).encode()
        except (TypeError, ValueError, CannotMake) as error:
            return Outcome(Result.FAILED, error=str(error)[:_ERROR_MAX])
        except Exception as error:  # making the file failed (the database?): nothing was sent
            log.exception("could not make an attachment")
            return Outcome(Result.TRANSIENT, error=str(error)[:_ERROR_MAX])
        try:
            async with self._open().post(
                self._url + method, data=body, headers=headers, timeout=self._timeout
            ) as answer:
                status, raw = answer.status, await answer.read()
        except aiohttp.ClientConnectorError as error:
            # The connection was never made, so Telegram never saw the request.
            return Outcome(Result.TRANSIENT, error=self._masked(error))
        except (TimeoutError, aiohttp.ClientError) as error:
            # Timed out or cut off after the request left: it may have arrived.
            return Outcome(Result.UNKNOWN, error=self._masked(error) or type(error).__name__)
        return outcome_of(status, raw)

    async def _form(self, payload: dict[str, Any]) -> aiohttp.FormData:
        """Multipart form data: the parameters as the Bot API reads them from a form (objects
        as JSON), and the made files as parts."""
        files = await make_all(payload[ATTACH], self._makers)
        form = aiohttp.FormData()
        for name, value in payload.items():
            if name == ATTACH:
                continue
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            form.add_field(name, text)
        for name, made in files.items():
            form.add_field(name, made.data, filename=made.filename, content_type=made.content_type)
        return form

    @property
    def timeout(self) -> float:
        return self._timeout.total or TIMEOUT

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self._timeout = aiohttp.ClientTimeout(total=seconds)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections)
            )
        return self._session

    def _masked(self, error: BaseException) -> str:
        return str(error).replace(self._token, "***")[:_ERROR_MAX]


def outcome_of(status: int, raw: bytes) -> Outcome:
    """Read Telegram's answer: {"ok": true, ...} or {"ok": false, "error_code", ...}."""
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        # A proxy's HTML error page, or a body cut short.
        if status >= 500:
            return Outcome(Result.TRANSIENT, error=f"HTTP {status}")
        return Outcome(Result.UNKNOWN if status < 300 else Result.FAILED, error=f"HTTP {status}")
    if answer.get("ok") is True:
        return Outcome(Result.SENT)
    code = answer.get("error_code", status)
    description = str(answer.get("description", ""))[:_ERROR_MAX]
    code = code if isinstance(code, int) else status
    if code == 429:
        parameters = answer.get("parameters") or {}
        retry_after = parameters.get("retry_after", 1) if isinstance(parameters, dict) else 1
        return Outcome(
            Result.RATE_LIMITED,
            retry_after=float(retry_after) if isinstance(retry_after, int | float) else 1.0,
            error=description,
        )
    if code == 403:
        return Outcome(Result.BLOCKED, error=description)
    if code >= 500:
        return Outcome(Result.TRANSIENT, error=description)
    return Outcome(Result.FAILED, error=description)
