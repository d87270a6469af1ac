"""The fake server's spec is the official Bot API spec, less the prose it never reads."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pytest

from bot.channels.webchat import spec, vendor

OFFICIAL = Path(__file__).resolve().parents[3] / "shared" / "telegram-bot-api" / "api.min.json"


def test_the_vendored_spec_is_derived_from_the_official_one() -> None:
    if not OFFICIAL.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the official spec is missing beside the repository: {OFFICIAL}")
        pytest.skip("the official spec is not beside this checkout")
    official = json.loads(OFFICIAL.read_text(encoding="utf-8"))
    shipped = resources.files("bot.channels.webchat").joinpath(spec.VENDORED).read_text("utf-8")
    assert shipped == vendor.dumps(vendor.derive(official))
    assert spec.version() == official["version"] == "Bot API 10.1"


def test_what_validation_reads_is_kept_for_every_method_and_type() -> None:
    official = {
        "version": "Bot API 0",
        "release_date": "today",
        "changelog": "https://example.invalid",
        "methods": {
            "sendMessage": {
                "name": "sendMessage",
                "href": "https://example.invalid",
                "description": ["Sends."],
                "returns": ["Message"],
                "fields": [
                    {"name": "text", "types": ["String"], "required": True, "description": "T"}
                ],
            },
            "getMe": {"name": "getMe", "description": ["Me."], "returns": ["User"]},
        },
        "types": {
            "MaybeInaccessibleMessage": {
                "name": "MaybeInaccessibleMessage",
                "description": ["Either."],
                "subtypes": ["Message"],
            },
            "Message": {
                "name": "Message",
                "description": ["A message."],
                "fields": [{"name": "date", "types": ["Integer"], "required": True}],
                "subtype_of": ["MaybeInaccessibleMessage"],
            },
        },
    }
    assert vendor.derive(official) == {
        "version": "Bot API 0",
        "release_date": "today",
        "methods": {
            "sendMessage": {
                "name": "sendMessage",
                "returns": ["Message"],
                "fields": [{"name": "text", "types": ["String"], "required": True}],
            },
            "getMe": {"name": "getMe", "returns": ["User"]},
        },
        "types": {
            "MaybeInaccessibleMessage": {
                "name": "MaybeInaccessibleMessage",
                "subtypes": ["Message"],
            },
            "Message": {
                "name": "Message",
                "fields": [{"name": "date", "types": ["Integer"], "required": True}],
                "subtype_of": ["MaybeInaccessibleMessage"],
            },
        },
    }
