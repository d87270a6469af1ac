"""A Bot-API-compatible server on 127.0.0.1: the local web chat, and the fake Telegram in tests.

The bot talks to it through aiogram exactly as to api.telegram.org. Every call is checked
against the Bot API spec and Telegram's limits, and recorded; tests switch faults on.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from bot.channels.webchat import spec
from bot.channels.webchat.errors import UNAUTHORIZED, ApiError, bad_request
from bot.channels.webchat.faults import Faults, as_error
from bot.channels.webchat.methods import Methods
from bot.channels.webchat.page import add_page_routes
from bot.channels.webchat.people import People
from bot.channels.webchat.spec import Upload
from bot.channels.webchat.updates import Delivery
from bot.channels.webchat.world import Persona, World


@dataclass(frozen=True)
class RecordedCall:
    method: str
    params: dict[str, Any]
    ok: bool
    result: Any
    at: float


class BotApiServer(People):
    def __init__(self, accepted_tokens: set[str] | None = None) -> None:
        self.world = World()
        self.faults = Faults()
        self.delivery = Delivery(self.world, self.faults)
        self.methods = Methods(self.world, self.faults.blocked)
        self.calls: list[RecordedCall] = []
        self.personas: list[Persona] = []
        self._tokens = accepted_tokens
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        add_page_routes(app, self)
        # Long polls hold requests open; on stop they are cut after a second, not after 60.
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        await self.delivery.stop()
        if self._runner is not None:
            await self._runner.cleanup()

    def set_personas(self, personas: list[Persona]) -> None:
        self.personas = list(personas)

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until `predicate()` holds; the timeout bounds a wait on another process."""
        await self.world.wait_for(predicate, timeout)

    # -- the Bot API ------------------------------------------------------------------------
    async def call(self, method_name: str, raw: dict[str, Any]) -> Any:
        """Run one Bot API call; raise ApiError as Telegram would answer it."""
        method, params = spec.validate(method_name, raw)
        chat_id = params.get("chat_id")
        fault = self.faults.take(method.name, int(chat_id) if isinstance(chat_id, int) else None)
        if fault is not None:
            if fault.kind == "slow":
                await asyncio.sleep(fault.delay)
            elif (error := as_error(fault)) is not None:
                raise error
        name = method.name.lower()
        if name == "getupdates":
            return await self.delivery.get_updates(params)
        if name == "setwebhook":
            return self.delivery.set_webhook(params)
        if name == "deletewebhook":
            return self.delivery.delete_webhook(params)
        if name == "getwebhookinfo":
            return self.delivery.webhook_info()
        impl = self.methods.find(name)
        if impl is not None:
            return await impl(self.methods, params)
        if method.returns == ("Boolean",):
            return True
        raise bad_request("method is not supported by the local server")

    async def _api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        left, _, right = token.partition(":")
        if not (left.isdigit() and right) or (
            self._tokens is not None and token not in self._tokens
        ):
            return web.json_response(UNAUTHORIZED.body(), status=401)
        method = request.match_info["method"]
        try:
            raw = await _read_params(request)
        except ValueError:
            return web.json_response(bad_request("can't parse request").body(), status=400)
        try:
            result = await self.call(method, raw)
        except ApiError as error:
            self._record(method, raw, False, error.body())
            return web.json_response(error.body(), status=error.code)
        self._record(method, raw, True, result)
        return web.json_response({"ok": True, "result": result})

    def _record(self, method: str, raw: dict[str, Any], ok: bool, result: Any) -> None:
        if method.lower() != "getupdates":  # long polls would drown every other call
            params = {k: v for k, v in raw.items() if not isinstance(v, Upload)}
            self.calls.append(RecordedCall(method, params, ok, result, time.monotonic()))
            self.world.touch()

    async def _file(self, request: web.Request) -> web.Response:
        stored = self.world.files.get(request.match_info["path"].removeprefix("files/"))
        if stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.data, content_type=stored.content_type)


async def _read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.body_exists:
        return params
    content_type = request.content_type
    if content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError("not an object")
        params.update(body)
    elif content_type == "multipart/form-data":
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename:
                content_type = part.headers.get("Content-Type", "application/octet-stream")
                params[part.name] = Upload(part.filename, content_type, bytes(await part.read()))
            else:
                params[part.name] = await part.text()
    else:
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    # "attach://name" points at the multipart part called name (how aiogram sends files).
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.pop(value.removeprefix("attach://"), value)
    return params


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
