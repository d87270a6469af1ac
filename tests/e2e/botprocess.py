"""Start the real bot as a separate process (`python -m bot run`), as production does."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    def __init__(self, env: dict[str, str], log_path: Path, command: str = "run") -> None:
        self._env = {**os.environ, **env}
        self._log_path = log_path
        self._command = command  # "run" (the bot) or "sender" (an extra outbox sender)
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        log = self._log_path.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            self._command,
            cwd=ROOT,
            env=self._env,
            stdout=log,
            stderr=log,
        )
        log.close()

    async def kill(self) -> None:
        """SIGKILL: no clean shutdown, like a crash or a power cut."""
        assert self.proc is not None
        self.proc.kill()
        await self.proc.wait()

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout=10)
        except TimeoutError:
            await self.kill()

    def log(self) -> str:
        return self._log_path.read_text(encoding="utf-8", errors="replace")
