"""A TCP proxy on 127.0.0.1 between the bot and PostgreSQL or Redis, with the faults of a network.

- `reset()` cuts every connection with a TCP reset, as a restarted server or a dropped NAT entry
  does; with `refuse_for`, new connections are reset too until that many seconds have passed.
- `hang()` stops forwarding in both directions (connections stay open, bytes wait), as a
  stalled network does; `heal()` lets the bytes through again.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import time
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

CHUNK = 64 * 1024


@dataclass(eq=False)  # kept in a set by identity
class _Link:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter | None = None
    pipes: list[asyncio.Task[None]] = field(default_factory=list)


class TcpProxy:
    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._refuse_until = 0.0
        self.port = 0
        self.connections = 0  # accepted in all, to tell that the bot did reconnect

    @classmethod
    def to_url(cls, url: str) -> TcpProxy:
        """A proxy to the server of a SQLAlchemy or Redis URL."""
        parsed = make_url(url)
        default = 6379 if parsed.drivername.startswith("redis") else 5432
        return cls(parsed.host or "127.0.0.1", parsed.port or default)

    def url(self, url: str) -> str:
        """`url` with its host and port turned to this proxy."""
        proxied = make_url(url).set(host="127.0.0.1", port=self.port)
        return proxied.render_as_string(hide_password=False)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        self.heal()
        self.reset()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def reset(self, *, refuse_for: float = 0.0) -> None:
        """Reset every open connection; reset new ones too for `refuse_for` seconds."""
        self._refuse_until = time.monotonic() + refuse_for
        for link in list(self._links):
            self._cut(link)

    def hang(self) -> None:
        self._flowing.clear()

    def heal(self) -> None:
        self._refuse_until = 0.0
        self._flowing.set()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        link = _Link(writer)
        if time.monotonic() < self._refuse_until:
            self._cut(link)
            return
        self._links.add(link)
        try:
            up_reader, link.upstream = await asyncio.open_connection(*self._target)
        except OSError:
            self._cut(link)
            return
        link.pipes = [
            asyncio.create_task(self._pipe(reader, link.upstream, link)),
            asyncio.create_task(self._pipe(up_reader, writer, link)),
        ]

    async def _pipe(
        self, source: asyncio.StreamReader, target: asyncio.StreamWriter, link: _Link
    ) -> None:
        try:
            while data := await source.read(CHUNK):
                await self._flowing.wait()
                target.write(data)
                await target.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        self._cut(link)

    def _cut(self, link: _Link) -> None:
        self._links.discard(link)
        for writer in (link.client, link.upstream):
            if writer is None or writer.transport.is_closing():
                continue
            sock = writer.get_extra_info("socket")
            if sock is not None:  # linger 0: close() sends a reset, not a polite FIN
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
        current = asyncio.current_task()
        for pipe in link.pipes:
            if pipe is not current:
                pipe.cancel()
