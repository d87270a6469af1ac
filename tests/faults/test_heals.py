"""The bot heals from PostgreSQL and Redis faults while updates arrive (PostgreSQL + Redis pass).

The real bot process talks to PostgreSQL and Redis through TCP proxies that reset connections
(and refuse new ones for a while) or hang them. Every update sent during a fault is answered
exactly once within 10 s of the heal, by long polling and by webhook.
"""

from __future__ import annotations

import asyncio
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.webchat import BotApiServer
from tests.conftest import Cast
from tests.e2e.conftest import WAIT, StartBot
from tests.e2e.test_webhook import SECRET, free_port
from tests.faults.members import HEALED_WITHIN, PEOPLE, Members, inbox_all_done
from tests.faults.proxy import TcpProxy


async def test_polling_heals_after_resets_and_hangs_of_postgresql_and_redis(
    pg_proxy: TcpProxy,
    redis_proxy: TcpProxy,
    server: BotApiServer,
    bot_process: StartBot,
    database_url: str,
    redis_url: str,
    session: AsyncSession,
    cast: Cast,
) -> None:
    process = await bot_process(
        DATABASE_URL=pg_proxy.url(database_url), REDIS_URL=redis_proxy.url(redis_url)
    )
    await server.wait_for(lambda: server.delivery.polling > 0, timeout=WAIT)
    members = Members(server)
    await members.learn()
    refused = partial(pg_proxy.reset, refuse_for=60)  # until the heal
    redis_refused = partial(redis_proxy.reset, refuse_for=60)
    seconds = {
        "postgresql reset": await members.through(refused, 3, pg_proxy.heal),
        "redis reset": await members.through(redis_refused, 2, redis_proxy.heal),
        "postgresql hang": await members.through(pg_proxy.hang, 3, pg_proxy.heal),
        "redis hang": await members.through(redis_proxy.hang, 3, redis_proxy.heal),
    }
    await asyncio.sleep(1)  # nothing more comes: each update was answered once
    members.assert_each_answered_once()
    await inbox_all_done(session, len(PEOPLE) * 5)
    assert max(seconds.values()) < HEALED_WITHIN, seconds
    log = process.log()
    assert '"msg": "task restarted", "task": "inbox-worker"' in log
    assert process.proc is not None and process.proc.returncode is None


async def test_a_webhook_heals_after_a_reset_and_a_twenty_second_hang_of_postgresql(
    pg_proxy: TcpProxy,
    server: BotApiServer,
    bot_process: StartBot,
    database_url: str,
    redis_url: str,
    session: AsyncSession,
    cast: Cast,
) -> None:
    port = free_port()
    await bot_process(
        DATABASE_URL=pg_proxy.url(database_url),
        WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
    )
    await server.wait_for(lambda: bool(server.calls_to("setWebhook")), timeout=WAIT)
    members = Members(server)
    await members.learn()
    refused = partial(pg_proxy.reset, refuse_for=60)  # until the heal
    reset_seconds = await members.through(refused, 3, pg_proxy.heal)
    assert "Wrong response from the webhook: 503" in str(server.delivery.last_error)
    hang_seconds = await members.through(pg_proxy.hang, 20, pg_proxy.heal)
    await asyncio.sleep(1)
    members.assert_each_answered_once()
    await inbox_all_done(session, len(PEOPLE) * 3)
    assert reset_seconds < HEALED_WITHIN
    assert hang_seconds < HEALED_WITHIN
