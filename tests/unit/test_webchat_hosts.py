"""The local web chat answers only its own Host and Origin, and stays on loopback unless public."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.channels.webchat import BotApiServer
from bot.channels.webchat.hosts import allowed_names

AN = 102


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    fake = BotApiServer()
    await fake.start("127.0.0.1", 0)
    fake.add_user(AN, "An", "Nguyễn Văn")
    yield fake
    await fake.stop()


async def send(server: BotApiServer, **headers: str) -> int:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{server.base_url}/webchat/api/send",
            json={"user_id": AN, "text": "Xin chào"},
            headers=headers,
        ) as response,
    ):
        return response.status


async def test_a_rebound_domain_cannot_drive_the_chat(server: BotApiServer) -> None:
    port = server.port
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.nip.io:{port}"):
        assert await send(server, Host=host) == 403, host
    assert await send(server, Host=f"127.0.0.1:{port + 1}") == 403  # another service's port
    assert server.world.updates == []
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert await send(server, Host=host) == 200, host
    assert len(server.world.updates) == 2


async def test_a_form_posted_from_another_site_is_refused(server: BotApiServer) -> None:
    assert await send(server, Origin="http://attacker.example") == 403
    assert await send(server, Origin="null") == 403
    assert await send(server, Origin=f"https://127.0.0.1:{server.port}") == 403
    assert server.world.updates == []
    assert await send(server, Origin=f"http://localhost:{server.port}") == 200


async def test_the_bot_api_is_guarded_too(server: BotApiServer) -> None:
    url = f"{server.base_url}/bot123:abc/getMe"
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers={"Host": "attacker.example"}) as response:
            assert response.status == 403
        async with http.get(url) as response:
            assert response.status == 200


async def test_it_refuses_to_listen_beyond_loopback_unless_public(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = BotApiServer()
    with pytest.raises(ValueError, match="loopback only"):
        await fake.start("0.0.0.0", 0)
    with caplog.at_level(logging.WARNING):
        await fake.start("0.0.0.0", 0, public=True)
    try:
        assert "listens beyond loopback" in caplog.text
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{fake.port}/bot123:abc/getMe"
            async with http.get(url) as response:
                assert response.status == 200
            async with http.get(url, headers={"Host": f"evil.example:{fake.port}"}) as response:
                assert response.status == 403
    finally:
        await fake.stop()


@pytest.mark.parametrize(
    ("bound", "name", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1", True),
        ("127.0.0.1", "[::1]", True),
        ("127.0.0.1", "LOCALHOST", True),
        ("127.0.0.1", "192.168.1.2", False),
        ("0.0.0.0", "192.168.1.2", True),
        ("0.0.0.0", "rebind.example", False),
        ("chat.lan", "chat.lan", True),
        ("chat.lan", "other.lan", False),
    ],
)
def test_which_host_names_pass(bound: str, name: str, allowed: bool) -> None:
    assert allowed_names(bound, name) is allowed
