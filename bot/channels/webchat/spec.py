"""The official Bot API spec (Bot API 10.1) and call validation against it.

`spec/api.json` holds what validation reads of the official api.min.json (names, types,
whether required, what a method returns, subtypes), made by `vendor.py` and checked against
the official file by a test; Telegram's prose descriptions, never read, are left out.

Parameters arrive as JSON values or, from form posts such as aiogram's, as strings holding
JSON; each is read according to the type the spec gives it, objects field by field, so a wrong
type is a 400 as on Telegram. Unknown parameters are ignored, as Telegram ignores them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot.channels.webchat.errors import NOT_FOUND, bad_request

VENDORED = "spec/api.json"
SCALARS = frozenset({"Integer", "String", "Boolean", "Float", "InputFile"})
# What Telegram answers when a required parameter is missing, where its wording is known.
MISSING = {
    "text": "message text is empty",
    "chat_id": "chat_id is empty",
    "user_id": "user_id is empty",
    "message_id": "message identifier is not specified",
    "photo": "there is no photo in the request",
    "document": "there is no document in the request",
    "question": "poll question must be non-empty",
    "options": "poll must have at least 2 option",
    "callback_query_id": "query is too old and response timeout expired or query ID is invalid",
}


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
    text = resources.files("bot.channels.webchat").joinpath(VENDORED).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def methods() -> dict[str, Method]:
    """Methods by lower-case name: Telegram matches method names case-insensitively."""
    found = {}
    for name, raw in spec()["methods"].items():
        fields = {f["name"]: _field(f) for f in raw.get("fields", [])}
        found[name.lower()] = Method(name, fields, tuple(raw.get("returns", [])))
    return found


@cache
def object_fields(kind: str) -> tuple[Field, ...] | None:
    """The fields of an object type, or None for a type the spec does not describe."""
    found = spec()["types"].get(kind)
    if found is None or "fields" not in found:
        return None
    return tuple(_field(f) for f in found["fields"])


def subtypes(kind: str) -> list[str]:
    found = spec()["types"].get(kind) or {}
    return list(found.get("subtypes", []))


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
    raw = _renamed(raw)
    params: dict[str, Any] = {}
    for field in found.fields.values():
        value = raw.get(field.name)
        if value is None or (value == "" and "InputFile" in field.types):
            if field.required:
                raise bad_request(MISSING.get(field.name, f'parameter "{field.name}" is required'))
            continue
        params[field.name] = _read(field, value)
    return found, params


def _renamed(raw: dict[str, Any]) -> dict[str, Any]:
    """Accept the deprecated spellings aiogram still sends and Telegram still understands."""
    if "correct_option_id" in raw and "correct_option_ids" not in raw:
        raw = {**raw, "correct_option_ids": [raw["correct_option_id"]]}
    if "reply_to_message_id" in raw and "reply_parameters" not in raw:
        reply: dict[str, Any] = {"message_id": raw["reply_to_message_id"]}
        if "allow_sending_without_reply" in raw:
            reply["allow_sending_without_reply"] = raw["allow_sending_without_reply"]
        raw = {**raw, "reply_parameters": reply}
    return raw


def _field(raw: dict[str, Any]) -> Field:
    return Field(raw["name"], tuple(raw["types"]), bool(raw["required"]))


def _read(field: Field, value: Any) -> Any:
    errors = []
    for kind in field.types:
        try:
            return _as(kind, value)
        except ValueError as error:
            errors.append(str(error))
    deeper = [e for e in errors if e.startswith("can't parse")]
    if deeper:  # an object's own complaint says more than "must be of type X"
        raise bad_request(deeper[0])
    raise bad_request(f'field "{field.name}" must be of type {" or ".join(field.types)}')


def _as(kind: str, value: Any, *, encoded: bool = True) -> Any:
    if kind == "InputFile":
        if isinstance(value, Upload):
            return value
        raise ValueError("not a file")
    if isinstance(value, Upload):
        raise ValueError("a file where none is expected")
    if kind in SCALARS:
        return _scalar(kind, value)
    # Top-level values may arrive JSON-encoded (form posts); values inside them never do.
    decoded = json.loads(value) if encoded and isinstance(value, str) else value
    if kind.startswith("Array of "):
        if not isinstance(decoded, list):
            raise ValueError(f"{kind}: not an array")
        inner = kind.removeprefix("Array of ")
        return [_as(inner, item, encoded=False) for item in decoded]
    if kind == "InputPollOption" and isinstance(decoded, str):
        return {"text": decoded}  # Telegram still takes plain strings, and aiogram sends them
    return _object(kind, decoded)


def _scalar(kind: str, value: Any) -> Any:
    if kind == "String":
        if isinstance(value, bool | dict | list):
            raise ValueError("not a string")
        return str(value)
    if kind == "Integer":
        if isinstance(value, bool):
            raise ValueError("not an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().removeprefix("-").isdigit():
            return int(value)
        raise ValueError("not an integer")
    if kind == "Float":
        if isinstance(value, bool | dict | list):
            raise ValueError("not a number")
        return float(value)
    if isinstance(value, bool):  # Boolean
        return value
    if str(value).lower() in ("true", "1"):
        return True
    if str(value).lower() in ("false", "0"):
        return False
    raise ValueError("not a boolean")


def _object(kind: str, value: Any) -> dict[str, Any]:
    """Check an object against its type: required fields present, every known field typed."""
    if not isinstance(value, dict):
        raise ValueError(f"{kind}: an object is expected")
    options = subtypes(kind)
    if options:  # an abstract type (BotCommandScope, InputMedia…): any subtype will do
        failures: list[str] = []
        for option in options:
            try:
                return _object(option, value)
            except ValueError as error:
                failures.append(str(error))
        raise ValueError(failures[0])
    fields = object_fields(kind)
    if fields is None:
        return value
    what = "inline keyboard button" if kind == "InlineKeyboardButton" else kind
    checked = dict(value)
    for field in fields:
        if value.get(field.name) is None:
            if field.required:
                raise ValueError(f"can't parse {what}: {_wrong(field)}")
            continue
        errors: list[str] = []
        for inner in field.types:
            try:
                checked[field.name] = _as(inner, value[field.name], encoded=False)
                break
            except ValueError as error:
                errors.append(str(error))
        else:
            deeper = [e for e in errors if e.startswith("can't parse")]
            raise ValueError(deeper[0] if deeper else f"can't parse {what}: {_wrong(field)}")
    return checked


def _wrong(field: Field) -> str:
    return f'Field "{field.name}" must be of type {" or ".join(field.types)}'
