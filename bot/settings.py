"""Every setting of the bot, read from the environment or `.env` (see `.env.example`)."""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from typing import Literal, Self
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Telegram accepts 1-256 characters of A-Z a-z 0-9 _ -; anything short can be guessed, and a
# forged POST with the right header is handled as if it came from Telegram.
WEBHOOK_SECRET_MIN = 32
_WEBHOOK_SECRET = re.compile(rf"[A-Za-z0-9_-]{{{WEBHOOK_SECRET_MIN},256}}")


def is_loopback(host: str) -> bool:
    """Tell whether `host` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///./hocbac.db"
    redis_url: str | None = None
    telegram_api_base: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8081
    local_chat_host: str = "127.0.0.1"
    local_chat_port: int = 8080
    local_chat_public: bool = False
    timezone: str = "Asia/Ho_Chi_Minh"
    log_level: str = "INFO"
    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 90)
    invite_max_uses: int = Field(default=1, ge=1, le=1000)
    flood_limit_per_minute: int = Field(default=30, ge=1)
    send_per_second: float = Field(default=30.0, gt=0, le=1000)
    demo_seed: bool = True
    # The weakest verification a Hồ Chí Minh text may have to reach members (bot.content_models
    # STATUSES): "copy-only" shows everything sound; "collated" hides sentences resting on one
    # copy; "checked" shows only text checked against a printed edition.
    content_minimum_status: Literal["copy-only", "collated", "checked"] = "copy-only"
    # Days handled updates and sent messages are kept. Outbox keys are at most monthly, so a
    # month's notice is never enqueued again once its row is gone; shorter could send it twice.
    retention_days: int = Field(default=30, ge=30, le=3650)
    # A supervised task still failing this long after its first failure makes the process
    # unhealthy: /healthz answers 503 and the process exits non-zero to be restarted.
    task_recovery_seconds: float = Field(default=180.0, gt=0, le=24 * 3600)
    health_host: str = "127.0.0.1"
    health_port: int | None = Field(default=None, ge=0, le=65535)  # None: no separate server

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(
            value
        )  # raises for an unknown zone, at start-up rather than at the first reminder
        return value

    @field_validator(
        "bot_token",
        "webhook_secret",
        "redis_url",
        "telegram_api_base",
        "webhook_url",
        "health_port",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `.env.example` leaves optional settings empty; an empty string means "not set".
        return None if value == "" else value

    @model_validator(mode="after")
    def _safe_to_serve(self) -> Self:
        if self.webhook_url and not (
            self.webhook_secret
            and _WEBHOOK_SECRET.fullmatch(self.webhook_secret.get_secret_value())
        ):
            raise ValueError(
                f"WEBHOOK_URL is set, so WEBHOOK_SECRET must be {WEBHOOK_SECRET_MIN} to 256 "
                "characters of A-Z a-z 0-9 _ - (e.g. `openssl rand -hex 32`); without it anyone "
                "could post updates as any member"
            )
        if self.local_chat and not (is_loopback(self.local_chat_host) or self.local_chat_public):
            raise ValueError(
                f"LOCAL_CHAT_HOST={self.local_chat_host} would open the local web chat, which "
                "acts as any member, to other machines; it is for trying the bot on this one. "
                "Use 127.0.0.1, or set LOCAL_CHAT_PUBLIC=yes if you really mean it"
            )
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)

    @property
    def local_chat(self) -> bool:
        """No token: the bot talks to the built-in local web chat instead of Telegram."""
        return self.bot_token is None
