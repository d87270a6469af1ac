"""Splitting long HTML texts into Telegram messages (4,096 characters each).

Telegram counts UTF-16 code units after parsing the markup; the raw HTML is never shorter, so
measuring it in UTF-16 is safe. Cuts fall between lines first, then between words; a tag open
at a cut is closed before it and opened again after it, so every part is valid HTML on its own.
"""

from __future__ import annotations

import re

LIMIT = 4096
_TOKEN = re.compile(r"<[^>]*>|&[#\w]+;|\s+|[^<&\s]+|[<&]")


def size(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """Cut `text` into parts of at most `limit`, never inside a word, an entity or a tag."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        joined = f"{current}\n{line}" if current else line
        if size(joined) <= limit:
            current = joined
            continue
        if current:
            parts.append(current)
        if size(line) <= limit:
            current = line
            continue
        pieces = _split_line(line, limit)
        parts.extend(pieces[:-1])
        current = pieces[-1]
    if current.strip() or not parts:
        parts.append(current)
    return [part for part in parts if part.strip()] or [text[:limit]]


def _split_line(line: str, limit: int) -> list[str]:
    pieces: list[str] = []
    opened: list[str] = []  # the open tags, as written ("<b>", "<i>", '<a href="…">')
    current = ""
    for token in _TOKEN.findall(line):
        closing = "".join(f"</{_name(tag)}>" for tag in reversed(opened))
        if size(current + token + closing) > limit and current.strip():
            pieces.append(current.rstrip() + closing)
            current = "".join(opened)
            if token.isspace():
                continue
        while size(current + token) > limit - size(closing):  # one word longer than a message
            room = max(1, limit - size(current) - size(closing))
            pieces.append(current + token[:room] + closing)
            current, token = "".join(opened), token[room:]
        current += token
        if token.startswith("</"):
            if opened:
                opened.pop()
        elif token.startswith("<") and token.endswith(">") and not token.endswith("/>"):
            opened.append(token)
    pieces.append(current)
    return pieces


def _name(tag: str) -> str:
    return re.split(r"[\s>]", tag[1:], maxsplit=1)[0]
