"""Search screens: the prompt, the results with highlighted words, one paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from bot.actions import Action
from bot.catalog import Catalog
from bot.screens.base import Button, Screen, column, esc
from bot.screens.menus import OpenMenu, OpenSearch
from bot.services.search import Hit, Results
from bot.textnorm import fold, nfc
from bot.texts import common
from bot.texts import search as t

SNIPPET = 220


@dataclass(frozen=True)
class OpenPassage(Action, prefix="psg"):
    passage_id: int


def prompt() -> Screen:
    return Screen(t.ask_query(), column(Button(common.MENU_MAIN, OpenMenu())))


def too_short() -> Screen:
    return Screen(t.too_short(), column(Button(common.MENU_MAIN, OpenMenu())))


def results(found: Results, catalog: Catalog) -> Screen:
    query = esc(found.query.strip()[:60])
    if not found.hits:
        return Screen(
            t.no_results(query),
            column(Button(t.SEARCH_AGAIN, OpenSearch()), Button(common.MENU_MAIN, OpenMenu())),
        )
    lines, buttons = [], []
    for no, hit in enumerate(found.hits, start=1):
        title = catalog.works[hit.work_id].title
        lines.append(t.result_line(no, esc(title), highlight(hit.text, found.words)))
        buttons.append(Button(f"{no}. {title}"[:60], OpenPassage(hit.passage_id)))
    return Screen(
        t.results(query, lines),
        column(
            *buttons, Button(t.SEARCH_AGAIN, OpenSearch()), Button(common.MENU_MAIN, OpenMenu())
        ),
    )


def passage(hit: Hit, catalog: Catalog) -> Screen:
    work = catalog.works[hit.work_id]
    return Screen(
        t.passage(esc(work.title), work.year, esc(nfc(hit.text))),
        column(Button(t.SEARCH_AGAIN, OpenSearch()), Button(common.MENU_MAIN, OpenMenu())),
    )


def highlight(paragraph: str, words: tuple[str, ...]) -> str:
    """Return an escaped snippet around the first match, with matching words in bold."""
    tokens = nfc(paragraph).split(" ")
    wanted = set(words)
    prefix = words[-1] if words else ""
    hits = [
        i
        for i, tok in enumerate(tokens)
        if any(w in wanted or w.startswith(prefix) for w in fold(tok).split())
    ]
    first = hits[0] if hits else 0
    start = max(0, first - 8)
    shown, size = [], 0
    for i in range(start, len(tokens)):
        size += len(tokens[i]) + 1
        if size > SNIPPET:
            break
        shown.append(f"<b>{esc(tokens[i])}</b>" if i in hits else esc(tokens[i]))
    cut_after = start + len(shown) < len(tokens)
    return ("… " if start else "") + " ".join(shown) + (" …" if cut_after else "")
