"""Which Host and Origin the local web chat answers, against DNS rebinding and forged forms.

Anyone who reaches the web chat can act as any member. A page on another site can reach
127.0.0.1 from the browser in two ways: by re-pointing its own domain at 127.0.0.1 (the request
then carries that domain as Host) or by posting a form across sites (it carries that site as
Origin). Both are refused; a rebinding attack always needs a domain name, so IP literals pass.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from bot.settings import is_loopback

log = logging.getLogger(__name__)
WILDCARDS = frozenset({"", "0.0.0.0", "::"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def check_bind(host: str, *, public: bool) -> None:
    """Refuse to listen beyond loopback unless `public`; warn when it does."""
    if is_loopback(host):
        return
    if not public:
        raise ValueError(f"the local web chat listens on loopback only, not on {host!r}")
    log.warning(
        "the local web chat listens beyond loopback: anyone who reaches it acts as any member",
        extra={"host": host},
    )


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def allowed_names(bound: str, name: str) -> bool:
    """Tell whether a request naming host `name` may reach a server bound to `bound`."""
    name = name.lower().strip("[]")
    if bound in WILDCARDS:
        return name == "localhost" or _is_ip(name)
    if is_loopback(bound) and name in LOOPBACK_NAMES:
        return True
    return name == bound.lower().strip("[]")


def _host_port(netloc: str, default_port: int) -> tuple[str, int] | None:
    try:
        parts = urlsplit(f"//{netloc}")
        return parts.hostname or "", parts.port or default_port
    except ValueError:
        return None


def same_host_only(
    bound: Callable[[], tuple[str, int]],
) -> Callable[..., Awaitable[web.StreamResponse]]:
    """Make a middleware answering 403 to a foreign Host or Origin; `bound` gives host, port."""

    def allowed(netloc: str, default_port: int) -> bool:
        host, port = bound()
        parsed = _host_port(netloc, default_port)
        return parsed is not None and parsed[1] == port and allowed_names(host, parsed[0])

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        origin_ok = origin is None or (
            origin.startswith("http://") and allowed(origin.removeprefix("http://"), 80)
        )
        if not (allowed(request.headers.get("Host", ""), 80) and origin_ok):
            log.warning("local web chat refused a request for another host or origin")
            return web.Response(status=403, text="Forbidden: wrong Host or Origin")
        return await handler(request)

    return middleware
