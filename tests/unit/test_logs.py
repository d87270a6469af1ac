from __future__ import annotations

import json
import logging

from bot.logs import JsonFormatter

TOKEN = "123456789:AAsecret-token-value"


def test_a_log_line_is_json_with_its_fields_and_no_token() -> None:
    formatter = JsonFormatter([TOKEN])
    record = logging.makeLogRecord(
        {
            "name": "aiohttp.client",
            "levelname": "INFO",
            "levelno": logging.INFO,
            "msg": "POST https://api.telegram.org/bot%s/sendMessage",
            "args": (TOKEN,),
            "update_id": 42,
            "handler": "on_start",
            "ms": 3.2,
        }
    )
    line = formatter.format(record)
    entry = json.loads(line)
    assert TOKEN not in line
    assert entry["msg"] == "POST https://api.telegram.org/bot***/sendMessage"
    assert (entry["update_id"], entry["handler"], entry["ms"]) == (42, "on_start", 3.2)
