"""Versioned callback-data codec: a typed action ↔ a string of at most 64 bytes.

Callback data comes back from the client and can be forged, so decoding checks the version,
the action name, the field count and each field's type; services then re-check every right.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, ClassVar, TypeVar

VERSION = "v1"
SEP = "|"
MAX_BYTES = 64  # Telegram's limit for callback_data

_REGISTRY: dict[str, type[Action]] = {}
A = TypeVar("A", bound="Action")


class BadAction(ValueError):
    """Callback data that is not a valid action of this version: stale or forged."""


@dataclasses.dataclass(frozen=True)
class Action:
    prefix: ClassVar[str]

    def __init_subclass__(cls, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix in _REGISTRY or SEP in prefix:
            raise TypeError(f"action prefix {prefix!r} is taken or invalid")
        cls.prefix = prefix
        _REGISTRY[prefix] = cls

    def pack(self) -> str:
        """Return this action as callback data."""
        parts = [VERSION, self.prefix]
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            text = str(int(value)) if isinstance(value, bool) else str(value)
            if SEP in text:
                raise ValueError(f"{SEP!r} is not allowed in action fields")
            parts.append(text)
        data = SEP.join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data


def unpack(data: str | None) -> Action:
    """Decode callback data into its action, or raise BadAction."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise BadAction("empty or too long")
    version, _, rest = data.partition(SEP)
    if version != VERSION:
        raise BadAction("other version")
    prefix, *values = rest.split(SEP) if rest else [""]
    cls = _REGISTRY.get(prefix)
    if cls is None:
        raise BadAction("unknown action")
    fields = dataclasses.fields(cls)
    if len(values) != len(fields):
        raise BadAction("wrong field count")
    hints = typing.get_type_hints(cls)
    kwargs = {f.name: _convert(hints[f.name], v) for f, v in zip(fields, values, strict=True)}
    return cls(**kwargs)


def unpack_as(cls: type[A], data: str | None) -> A:
    """Decode callback data that must be an action of type `cls`."""
    action = unpack(data)
    if not isinstance(action, cls):
        raise BadAction("other action")
    return action


def _convert(kind: Any, value: str) -> Any:
    if kind is bool:
        if value not in ("0", "1"):
            raise BadAction("not a flag")
        return value == "1"
    if kind is int:
        digits = value.removeprefix("-")
        # ASCII only: "²" and other Unicode digits pass isdigit() but int() refuses them.
        if not (digits.isascii() and digits.isdigit()) or len(value) > 19:
            raise BadAction("not a number")
        return int(value)
    if kind is str:
        return value
    choices = typing.get_args(kind)  # Literal["a", "b"]
    if choices and value in choices:
        return value
    raise BadAction("value out of range")
