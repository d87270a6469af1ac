"""The web page and the small JSON API it uses to play the people of the local web chat."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import asdict
from importlib import resources
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels.webchat.errors import ApiError

if TYPE_CHECKING:
    from bot.channels.webchat.server import BotApiServer

LONG_POLL_SECONDS = 25.0  # under the 30 s after which some proxies drop an idle request
PREFIX = "/webchat/api/"


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
        body = await _json(request)
        text = str(body.get("text", "")).strip()
        if not text:
            raise web.HTTPBadRequest(text="empty message")
        user_id, chat_id = _who(body, server)
        with _as_bad_request():
            await server.user_sends_text(user_id, text[:4096], chat_id=chat_id)
        return web.json_response({"ok": True})

    async def press(request: web.Request) -> web.Response:
        body = await _json(request)
        user_id, chat_id = _who(body, server)
        with _as_bad_request():
            await server.user_presses(user_id, chat_id, int(body["message_id"]), str(body["data"]))
        return web.json_response({"ok": True})

    async def vote(request: web.Request) -> web.Response:
        body = await _json(request)
        user_id, _ = _who(body, server)
        with _as_bad_request():
            options = [int(i) for i in body["option_ids"]]
            await server.user_answers_poll(user_id, str(body["poll_id"]), options)
        return web.json_response({"ok": True})

    async def upload(request: web.Request) -> web.Response:
        form = await request.post()
        file = form.get("file")
        if not isinstance(file, web.FileField):
            raise web.HTTPBadRequest(text="no file")
        user_id, chat_id = _who(dict(form), server)
        caption = str(form.get("caption") or "").strip() or None
        data = file.file.read()
        with _as_bad_request():
            if (file.content_type or "").startswith("image/"):
                await server.user_sends_photo(
                    user_id,
                    data,
                    file.filename,
                    chat_id=chat_id,
                    caption=caption,
                    content_type=file.content_type,
                )
            else:
                await server.user_sends_document(
                    user_id,
                    data,
                    file.filename,
                    chat_id=chat_id,
                    caption=caption,
                    content_type=file.content_type,
                )
        return web.json_response({"ok": True})

    async def messages(request: web.Request) -> web.Response:
        """Answer at once if the chat changed since `after_version`, else when it next does."""
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
        # A first load (after_version < 0) shows no old toasts; later ones show the new ones.
        toasts = [t for t in chat.toasts if 0 <= after < t["version"]]
        # Who chose what, which the Bot API's Poll does not say, so the page can mark it.
        votes = {
            poll_id: record.votes
            for poll_id, record in server.world.polls.items()
            if record.chat_id == chat_id
        }
        return web.json_response(
            {
                "version": chat.version,
                "messages": list(chat.messages.values()),
                "toasts": toasts,
                "action": chat.action,
                "votes": votes,
            }
        )

    async def file(request: web.Request) -> web.Response:
        stored = server.world.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        # Photos show inline; anything else is a download, so an uploaded .html or .svg
        # never runs as part of this page.
        inline = stored.content_type.startswith("image/") and "svg" not in stored.content_type
        return web.Response(
            body=stored.data,
            content_type=stored.content_type if inline else "application/octet-stream",
            headers={
                "Content-Disposition": "inline" if inline else "attachment",
                "X-Content-Type-Options": "nosniff",
            },
        )

    app.router.add_get("/", index)
    app.router.add_get(PREFIX + "personas", personas)
    app.router.add_post(PREFIX + "send", send)
    app.router.add_post(PREFIX + "press", press)
    app.router.add_post(PREFIX + "vote", vote)
    app.router.add_post(PREFIX + "upload", upload)
    app.router.add_get(PREFIX + "messages", messages)
    app.router.add_get(PREFIX + "file/{file_id}", file)


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as error:
        raise web.HTTPBadRequest(text="JSON expected") from error
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="JSON object expected")
    return body


@contextlib.contextmanager
def _as_bad_request() -> Iterator[None]:
    """Turn a refused action (no such button, closed poll, not a member) into a 400."""
    try:
        yield
    except (ValueError, KeyError, ApiError) as error:
        raise web.HTTPBadRequest(text=str(error)) from error


def _who(body: dict[str, Any], server: BotApiServer) -> tuple[int, int]:
    try:
        user_id = int(str(body["user_id"]))
        chat_id = int(str(body.get("chat_id") or user_id))
    except (KeyError, ValueError) as error:
        raise web.HTTPBadRequest(text="user_id") from error
    if user_id not in server.world.users:
        raise web.HTTPBadRequest(text="unknown user")
    return user_id, chat_id
