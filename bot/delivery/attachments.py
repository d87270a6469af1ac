"""Files an outbox row asks for by name, made when the row is sent rather than stored in it.

A digest's chart is a PNG of tens of kilobytes: kept in every outbox row, 5,000 digests would
put their pictures in the database, and drawing them all in the scheduler's tick would hold it
for minutes. Instead the row names a maker and its arguments under ATTACH, e.g.
`{"chat_id": 1, "_attach": {"photo": {"make": "digest_chart", "unit_id": 7}}}`, and the
channel asks the maker for the file just before the request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

ATTACH = "_attach"  # payload key: {field: {"make": maker name, **arguments}}


@dataclass(frozen=True)
class Made:
    filename: str
    data: bytes
    content_type: str


Maker = Callable[[dict[str, Any]], Awaitable[Made]]


class CannotMake(Exception):
    """The file cannot be made (the unit is gone, an unknown maker): the row fails for good."""


def attach(field: str, make: str, **arguments: Any) -> dict[str, Any]:
    """The ATTACH entry asking `make` for the file of `field`."""
    return {ATTACH: {field: {"make": make, **arguments}}}


async def make_all(wanted: dict[str, Any], makers: dict[str, Maker]) -> dict[str, Made]:
    """Make every file a payload's ATTACH entry asks for, by field."""
    made: dict[str, Made] = {}
    for field, spec in wanted.items():
        if not isinstance(spec, dict) or spec.get("make") not in makers:
            raise CannotMake(f"no maker for {field}")
        arguments = {k: v for k, v in spec.items() if k != "make"}
        made[field] = await makers[str(spec["make"])](arguments)
    return made
