"""Telegram's HTML parse mode: text with tags → plain text and entities, as Telegram stores it.

Offsets and lengths are in UTF-16 code units, as the Bot API counts them.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from bot.channels.webchat.errors import ApiError, bad_request

TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.length = 0
        self.open: list[tuple[str, int, dict[str, str | None]]] = []
        self.entities: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            raise bad_request(f'can\'t parse entities: Unsupported start tag "{tag}"')
        self.open.append((tag, self.length, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            raise bad_request(f'can\'t parse entities: Unmatched end tag "{tag}"')
        _, start, attrs = self.open.pop()
        if self.length == start:
            return
        entity: dict[str, Any] = {
            "type": TAGS[tag],
            "offset": start,
            "length": self.length - start,
        }
        if tag == "a":
            entity["url"] = attrs.get("href") or ""
        if tag == "pre" and attrs.get("language"):
            entity["language"] = attrs["language"]
        self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        self.length += utf16_len(data)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and the entities of an HTML-formatted message."""
    parser = _Parser()
    try:
        parser.feed(source)
        parser.close()
    except ApiError:
        raise
    if parser.open:
        raise bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag "
            f'"{parser.open[-1][0]}"'
        )
    return "".join(parser.text), sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


def format_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Apply a parse mode; only HTML is understood here (Markdown modes are passed through)."""
    if parse_mode is None:
        return text, list(entities or [])
    if parse_mode not in ("HTML", "MarkdownV2", "Markdown"):
        raise bad_request(f'unsupported parse_mode "{parse_mode}"')
    if parse_mode == "HTML":
        return parse_html(text)
    return text, []
