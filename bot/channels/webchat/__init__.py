"""The local Bot API server: the token-free web chat, and the fake Telegram of the tests."""

from bot.channels.webchat.errors import ApiError
from bot.channels.webchat.faults import Faults
from bot.channels.webchat.markup import parse_html
from bot.channels.webchat.server import BotApiServer, RecordedCall
from bot.channels.webchat.spec import Upload
from bot.channels.webchat.state import CallbackQuery, Persona

__all__ = [
    "ApiError",
    "BotApiServer",
    "CallbackQuery",
    "Faults",
    "Persona",
    "RecordedCall",
    "Upload",
    "parse_html",
]
