"""A Bot-API-compatible server on 127.0.0.1: the local web chat, and the fake Telegram in tests.

The bot talks to it through aiogram exactly as to api.telegram.org. Every call is checked
against the Bot API spec and Telegram's limits, and recorded; tests switch faults on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from bot.channels.webchat import chats, media, messages, spec
from bot.channels.webchat.api import Impl, Methods
from bot.channels.webchat.errors import NOT_SUPPORTED, UNAUTHORIZED, ApiError, bad_request
from bot.channels.webchat.faults import Faults, as_error
from bot.channels.webchat.hosts import check_bind, same_host_only
from bot.channels.webchat.page import add_page_routes
from bot.channels.webchat.people import People
from bot.channels.webchat.spec import Upload
from bot.channels.webchat.state import Persona, World
from bot.channels.webchat.updates import Delivery

log = logging.getLogger(__name__)
IMPLS: dict[str, Impl] = {**messages.IMPLS, **media.IMPLS, **chats.IMPLS}
MAX_CALLS = 10_000  # the web chat runs for days; tests never come near this
NOT_FOUND_BODY = {"ok": False, "error_code": 404, "description": "Not Found"}
INTERNAL_ERROR = ApiError(500, "Internal Server Error")


@dataclass(frozen=True)
class RecordedCall:
    """One Bot API call as the server saw it: params read by type, and the JSON it answered."""

    method: str  # as the spec spells it ("sendMessage"), whatever case the caller used
    params: dict[str, Any]
    response: dict[str, Any]
    status: int
    time: float  # time.monotonic() when answered

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")


class BotApiServer(People):
    def __init__(self, accepted_tokens: set[str] | None = None) -> None:
        self.world = World()
        self.faults = Faults()
        self.delivery = Delivery(self.world, self.faults)
        self.methods = Methods(self.world, self.faults.blocked, self.delivery.enqueue)
        self.calls: list[RecordedCall] = []
        self.personas: list[Persona] = []
        self.accepted_tokens = accepted_tokens  # None: any token shaped like "123:abc"
        self.host = "127.0.0.1"
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0, *, public: bool = False) -> None:
        """Listen on host:port; port 0 picks a free one, then found in `.port`.

        Beyond loopback only when `public`; requests naming another Host or Origin get 403."""
        check_bind(host, public=public)
        self.world.closed = False
        app = web.Application(
            client_max_size=50 * 1024 * 1024,  # Telegram's upload limit
            middlewares=[same_host_only(lambda: (self.host, self.port))],
        )
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        add_page_routes(app, self)
        # Long polls hold requests open; on stop they are cut after a second, not after 60.
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.host, self.port = host, int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        await self.delivery.stop()
        self.world.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def set_personas(self, personas: list[Persona]) -> None:
        self.personas = list(personas)
        self.world.touch()

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until `predicate()` holds; it is re-checked on every change, never by polling.

        The timeout only bounds a wait on another task or process; raises TimeoutError.
        """
        await self.world.wait_for(predicate, timeout)

    # -- the Bot API ------------------------------------------------------------------------
    async def call(self, method_name: str, raw: dict[str, Any]) -> Any:
        """Run one Bot API call in-process; raise ApiError as Telegram would answer it."""
        method, params = spec.validate(method_name, raw)
        return await self._run(method, params)

    async def _run(self, method: spec.Method, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id")
        fault = self.faults.take(method.name, chat_id if isinstance(chat_id, int) else None)
        if fault is not None:
            if fault.kind == "slow":
                await asyncio.sleep(fault.delay)
            elif (error := as_error(fault)) is not None:
                raise error
        self.faults.check_rate(method.name, chat_id)
        name = method.name.lower()
        if name == "getupdates":
            return await self.delivery.get_updates(params)
        if name == "setwebhook":
            return self.delivery.set_webhook(params)
        if name == "deletewebhook":
            return self.delivery.delete_webhook(params)
        if name == "getwebhookinfo":
            return self.delivery.webhook_info()
        impl = IMPLS.get(name)
        if impl is not None:
            return await impl(self.methods, params)
        if method.returns == ("Boolean",):
            return True  # a method the bot may call but that changes nothing the chat shows
        raise NOT_SUPPORTED

    async def _api(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        params: dict[str, Any] = {}
        try:
            if not self._accepts(request.match_info["token"]):
                raise UNAUTHORIZED
            try:
                params = await _read_params(request)
            except ValueError as error:
                raise bad_request("can't parse request JSON object") from error
            method, params = spec.validate(name, params)
            name = method.name
            response = {"ok": True, "result": await self._run(method, params)}
            status = 200
        except ApiError as error:
            response, status = error.body(), error.code
        except Exception:
            # A bug here must not look like a network failure to the bot: answer as Telegram
            # does when it breaks, and keep the traceback in the log.
            log.exception("local Bot API server failed on %s", name)
            response, status = INTERNAL_ERROR.body(), INTERNAL_ERROR.code
        self._record(name, params, response, status)
        return web.json_response(response, status=status, dumps=_dumps)

    def _accepts(self, token: str) -> bool:
        left, _, right = token.partition(":")
        if not (left.isdigit() and right):
            return False
        return self.accepted_tokens is None or token in self.accepted_tokens

    def _record(self, method: str, params: dict[str, Any], response: Any, status: int) -> None:
        shown = {k: _describe(v) for k, v in params.items()}
        self.calls.append(RecordedCall(method, shown, response, status, time.monotonic()))
        del self.calls[:-MAX_CALLS]
        self.world.touch()

    async def _file(self, request: web.Request) -> web.Response:
        if not self._accepts(request.match_info["token"]):
            return web.json_response(UNAUTHORIZED.body(), status=401)
        stored = self.world.files.get(request.match_info["path"].removeprefix("files/"))
        if stored is None:
            return web.json_response(NOT_FOUND_BODY, status=404)
        return web.Response(body=stored.data, content_type=stored.content_type)


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Read a call's parameters from the query, a JSON body, a form, or multipart parts."""
    params: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.body_exists:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError("not an object")
        params.update(body)
    elif request.content_type == "multipart/form-data":
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename:
                kind = part.headers.get("Content-Type", "application/octet-stream")
                params[part.name] = Upload(part.filename, kind, bytes(await part.read()))
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


def _describe(value: Any) -> Any:
    # Recorded calls keep what a test asserts on, not the uploaded bytes.
    if isinstance(value, Upload):
        return {"filename": value.filename, "type": value.content_type, "size": len(value.data)}
    return value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
