"""Telegram's HTML parse mode: text with tags → plain text and entities, as Telegram stores it.

Offsets and lengths are in UTF-16 code units, as the Bot API counts them.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from bot.channels.webchat.errors import bad_request

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
        spoiler = tag != "span" or dict(attrs).get("class") == "tg-spoiler"
        if tag not in TAGS or not spoiler:
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
        if tag == "tg-emoji":
            entity["custom_emoji_id"] = attrs.get("emoji-id") or ""
        if tag == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        self.length += utf16_len(data)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and the entities of an HTML-formatted message."""
    parser = _Parser()
    parser.feed(source)
    parser.close()
    if parser.open:
        raise bad_request(
            f"can't parse entities: Can't find end tag corresponding to start tag "
            f'"{parser.open[-1][0]}"'
        )
    return "".join(parser.text), sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


def format_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Apply a parse mode (named in any case, as Telegram allows).

    Only HTML is parsed here; Markdown and MarkdownV2 text is kept as sent, without entities.
    """
    if not parse_mode:
        return text, list(entities or [])
    mode = parse_mode.lower()
    if mode not in ("html", "markdownv2", "markdown"):
        raise bad_request("unsupported parse_mode")
    if mode == "html":
        return parse_html(text)
    return text, []
