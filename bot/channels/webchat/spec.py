"""The official Bot API spec (api.min.json, Bot API 10.1) and call validation against it.

Parameters arrive as JSON values or, from form posts such as aiogram's, as strings holding
JSON; each is read according to the type the spec gives it, so a wrong type is a 400 as on
Telegram. Unknown parameters are ignored, as Telegram ignores them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot.channels.webchat.errors import NOT_FOUND, bad_request

SCALARS = {"Integer", "String", "Boolean", "Float", "InputFile"}


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class Method:
    name: str
    fields: dict[str, Field]
    returns: tuple[str, ...]


@cache
def spec() -> dict[str, Any]:
    text = resources.files("bot.channels.webchat").joinpath("spec/api.min.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def methods() -> dict[str, Method]:
    """Methods by lower-case name: Telegram matches method names case-insensitively."""
    found = {}
    for name, raw in spec()["methods"].items():
        fields = {
            f["name"]: Field(f["name"], tuple(f["types"]), bool(f["required"]))
            for f in raw.get("fields", [])
        }
        found[name.lower()] = Method(name, fields, tuple(raw.get("returns", [])))
    return found


def version() -> str:
    return str(spec()["version"])


def method(name: str) -> Method:
    found = methods().get(name.lower())
    if found is None:
        raise NOT_FOUND
    return found


def validate(name: str, raw: dict[str, Any]) -> tuple[Method, dict[str, Any]]:
    """Return the method and its parameters read by type, or raise the ApiError Telegram gives."""
    found = method(name)
    params: dict[str, Any] = {}
    for field in found.fields.values():
        if field.name not in raw or raw[field.name] is None:
            if field.required:
                raise bad_request(f"{_missing(found.name, field.name)}")
            continue
        params[field.name] = _read(field, raw[field.name])
    return found, params


def _missing(method_name: str, field: str) -> str:
    if field == "text":
        return "message text is empty"
    if field == "chat_id":
        return "chat_id is empty"
    return f"parameter {field} is required"


def _read(field: Field, value: Any) -> Any:
    errors = []
    for kind in field.types:
        try:
            return _as(kind, value)
        except ValueError as error:
            errors.append(str(error))
    raise bad_request(f'field "{field.name}" must be of type {" or ".join(field.types)}')


def _as(kind: str, value: Any, *, encoded: bool = True) -> Any:
    if kind == "InputFile":
        if isinstance(value, Upload):
            return value
        raise ValueError("not a file")
    if isinstance(value, Upload):
        raise ValueError("a file where none is expected")
    if kind == "String":
        if isinstance(value, bool | dict | list):
            raise ValueError("not a string")
        return str(value)
    if kind == "Integer":
        if isinstance(value, bool):
            raise ValueError("not an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        raise ValueError("not an integer")
    if kind == "Float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return float(str(value))
    if kind == "Boolean":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1"):
            return True
        if str(value).lower() in ("false", "0"):
            return False
        raise ValueError("not a boolean")
    # Top-level values may arrive JSON-encoded (form posts); items inside an array never do.
    decoded = json.loads(value) if encoded and isinstance(value, str) else value
    if kind.startswith("Array of "):
        if not isinstance(decoded, list):
            raise ValueError("not an array")
        inner = kind.removeprefix("Array of ")
        return [_as(inner, item, encoded=False) for item in decoded]
    if kind == "InputPollOption" and isinstance(decoded, str):
        return {"text": decoded}  # Telegram still takes plain strings, and aiogram sends them
    if kind in spec()["types"] or kind not in SCALARS:
        if not isinstance(decoded, dict):
            raise ValueError("not an object")
        return decoded
    raise ValueError(f"unknown type {kind}")
