"""Settings that would open the bot to forgeries stop the start, with the reason."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings

TOKEN = "123456:ABC-test-token"
URL = "https://bot.example.vn/tg/webhook"
STRONG = "k" * 31 + "_-Z9"


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize("secret", [None, "", "short-secret", "x" * 31, "a" * 40 + "!", "b" * 257])
def test_a_webhook_without_a_strong_secret_is_refused(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET must be 32 to 256 characters"):
        make(bot_token=TOKEN, webhook_url=URL, webhook_secret=secret)


def test_a_webhook_with_a_strong_secret_and_polling_without_one_start() -> None:
    assert make(bot_token=TOKEN, webhook_url=URL, webhook_secret=STRONG).webhook_secret
    assert make(bot_token=TOKEN).webhook_secret is None


def test_hocbac_run_stops_before_listening_when_the_secret_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WEBHOOK_URL", URL)
    monkeypatch.setenv("WEBHOOK_SECRET", "")
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///./never-created.db")
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 2
    assert "WEBHOOK_SECRET must be 32 to 256 characters" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "bot.example.vn"])
def test_the_local_web_chat_stays_on_loopback_unless_made_public(host: str) -> None:
    with pytest.raises(ValidationError, match="LOCAL_CHAT_PUBLIC=yes"):
        make(local_chat_host=host)
    assert make(local_chat_host=host, local_chat_public="yes").local_chat_public
    assert make(local_chat_host=host, bot_token=TOKEN).bot_token  # Telegram: no web chat


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts_need_nothing_more(host: str) -> None:
    assert make(local_chat_host=host).local_chat_host == host
