"""Vendor the official Bot API spec for the fake server: what validation reads of it.

Run when Telegram publishes a new Bot API version:
`python -m bot.channels.webchat.vendor path/to/api.min.json` rewrites `spec/api.json`.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from bot.channels.webchat.spec import VENDORED


def derive(official: dict[str, Any]) -> dict[str, Any]:
    """What validation needs of the official spec, in its order."""

    def fields(raw: dict[str, Any]) -> dict[str, Any]:
        kept = [{k: f[k] for k in ("name", "types", "required")} for f in raw["fields"]]
        return {"fields": kept}

    def entry(raw: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
        found = {"name": raw["name"], **{k: raw[k] for k in keys if k in raw}}
        return found | (fields(raw) if "fields" in raw else {})

    return {
        "version": official["version"],
        "release_date": official["release_date"],
        "methods": {n: entry(m, ("returns",)) for n, m in official["methods"].items()},
        "types": {n: entry(t, ("subtypes", "subtype_of")) for n, t in official["types"].items()},
    }


def dumps(derived: dict[str, Any]) -> str:
    return json.dumps(derived, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str]) -> None:
    official = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    target = resources.files("bot.channels.webchat").joinpath(VENDORED)
    with resources.as_file(target) as path:
        path.write_text(dumps(derive(official)), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
