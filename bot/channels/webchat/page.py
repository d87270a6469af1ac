"""The web page and the small JSON API it uses to play the people of the local web chat."""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from importlib import resources
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from bot.channels.webchat.server import BotApiServer

LONG_POLL_SECONDS = 25.0


def add_page_routes(app: web.Application, server: BotApiServer) -> None:
    page = resources.files("bot.channels.webchat").joinpath("static/index.html")

    async def index(_request: web.Request) -> web.Response:
        return web.Response(
            text=page.read_text("utf-8"), content_type="text/html", charset="utf-8"
        )

    async def personas(_request: web.Request) -> web.Response:
        groups = [
            {"id": chat.id, "title": chat.title, "members": sorted(chat.members)}
            for chat in server.world.chats.values()
            if chat.type != "private"
        ]
        return web.json_response(
            {
                "personas": [asdict(p) for p in server.personas],
                "groups": groups,
                "bot": server.world.bot,
            }
        )

    async def send(request: web.Request) -> web.Response:
        body = await request.json()
        text = str(body.get("text", ""))
        if not text.strip():
            raise web.HTTPBadRequest(text="empty")
        user_id, chat_id = _who(body, server)
        await server.user_sends_text(user_id, text[:4096], chat_id=chat_id)
        return web.json_response({"ok": True})

    async def press(request: web.Request) -> web.Response:
        body = await request.json()
        user_id, chat_id = _who(body, server)
        try:
            await server.user_presses(user_id, chat_id, int(body["message_id"]), str(body["data"]))
        except (ValueError, KeyError) as error:
            raise web.HTTPBadRequest(text=str(error)) from error
        return web.json_response({"ok": True})

    async def vote(request: web.Request) -> web.Response:
        body = await request.json()
        user_id, _ = _who(body, server)
        try:
            await server.user_answers_poll(
                user_id, str(body["poll_id"]), [int(i) for i in body["option_ids"]]
            )
        except (ValueError, KeyError) as error:
            raise web.HTTPBadRequest(text=str(error)) from error
        return web.json_response({"ok": True})

    async def upload(request: web.Request) -> web.Response:
        form = await request.post()
        file = form.get("file")
        if not isinstance(file, web.FileField):
            raise web.HTTPBadRequest(text="no file")
        user_id, chat_id = _who(dict(form), server)
        data = file.file.read()
        if (file.content_type or "").startswith("image/"):
            await server.user_sends_photo(user_id, data, file.filename, chat_id=chat_id)
        else:
            await server.user_sends_document(
                user_id, data, file.filename, chat_id=chat_id, content_type=file.content_type
            )
        return web.json_response({"ok": True})

    async def messages(request: web.Request) -> web.Response:
        try:
            chat_id = int(request.query["chat_id"])
            after = int(request.query.get("after_version", "-1"))
        except (KeyError, ValueError) as error:
            raise web.HTTPBadRequest(text="chat_id") from error
        chat = server.world.chats.get(chat_id)
        if chat is None:
            raise web.HTTPNotFound(text="chat")
        with contextlib.suppress(TimeoutError):
            await server.world.wait_for(lambda: chat.version != after, LONG_POLL_SECONDS)
        toasts, chat.toasts = chat.toasts, []
        return web.json_response(
            {"version": chat.version, "toasts": toasts, "messages": list(chat.messages.values())}
        )

    async def file(request: web.Request) -> web.Response:
        stored = server.world.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=stored.data,
            content_type=stored.content_type,
            headers={"Content-Disposition": f'inline; filename="{stored.filename}"'},
        )

    app.router.add_get("/", index)
    app.router.add_get("/webchat/api/personas", personas)
    app.router.add_post("/webchat/api/send", send)
    app.router.add_post("/webchat/api/press", press)
    app.router.add_post("/webchat/api/vote", vote)
    app.router.add_post("/webchat/api/upload", upload)
    app.router.add_get("/webchat/api/messages", messages)
    app.router.add_get("/webchat/api/file/{file_id}", file)


def _who(body: dict[str, Any], server: BotApiServer) -> tuple[int, int]:
    try:
        user_id = int(str(body["user_id"]))
        chat_id = int(str(body.get("chat_id") or user_id))
    except (KeyError, ValueError) as error:
        raise web.HTTPBadRequest(text="user_id") from error
    if user_id not in server.world.users:
        raise web.HTTPBadRequest(text="unknown user")
    return user_id, chat_id
