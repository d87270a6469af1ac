"""`GET /healthz`: 200 while every supervised task is well or recovering, 503 once the process
has given up on one (it then exits, for systemd or Docker to start a fresh one).

The webhook app serves it on the webhook port; `HEALTH_PORT` serves it on its own port in every
mode (long polling and the local web chat have no other port an operator should probe).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.supervisor import Health


def health_handler(health: Health) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def healthz(_request: web.Request) -> web.Response:
        report = health.report()
        return web.json_response(report, status=200 if report["ok"] else 503)

    return healthz


async def serve_health(health: Health, host: str, port: int) -> web.AppRunner:
    """Serve `/healthz` alone on host:port; the caller cleans the runner up."""
    app = web.Application()
    app.router.add_get("/healthz", health_handler(health))
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
