"""Quiz night screens: the lobby, a question (poll or buttons), its results, the podium."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.actions import Action
from bot.quiz_models import POLL_EXPLANATION_MAX, POLL_QUESTION_MAX, telegram_length
from bot.screens.base import Button, Screen, column, esc
from bot.services.night_banks import NightBank, tag
from bot.services.night_play import Asking, Podium, QuestionResult
from bot.services.night_scores import Ranked, top
from bot.services.quiz_nights import Lobby
from bot.texts import quiz_nights as t

MESSAGE_MAX = 4000  # Telegram's 4096, less room for the HTML tags' expansion
PASSAGE_SHOWN = 1500  # characters of a passage in the results message
POLL_EXPLANATION_LINE_FEEDS = 2


@dataclass(frozen=True)
class JoinNight(Action, prefix="nj"):
    night_id: int


@dataclass(frozen=True)
class NightSetting(Action, prefix="ns"):
    night_id: int
    setting: Literal["n", "s", "g", "v", "p"]


@dataclass(frozen=True)
class NightBanks(Action, prefix="nb"):
    night_id: int


@dataclass(frozen=True)
class NightBankPick(Action, prefix="nk"):
    night_id: int
    index: int
    tag: int  # night_banks.tag of the bank shown there: the list may change before a press


@dataclass(frozen=True)
class StartNight(Action, prefix="ng"):
    night_id: int


@dataclass(frozen=True)
class CancelNight(Action, prefix="nx"):
    night_id: int


@dataclass(frozen=True)
class NightLobby(Action, prefix="nl"):
    night_id: int


@dataclass(frozen=True)
class NightAnswer(Action, prefix="na"):
    night_id: int
    position: int
    option: int  # 1-based


@dataclass(frozen=True)
class ResumeNight(Action, prefix="nr"):
    night_id: int


@dataclass(frozen=True)
class StopNight(Action, prefix="nq"):
    night_id: int


@dataclass(frozen=True)
class PollSpec:
    """A native Telegram quiz poll: question ≤ 300, options ≤ 100, explanation ≤ 200."""

    question: str
    options: tuple[str, ...]
    correct_index: int  # 0-based, as Telegram counts
    explanation: str | None
    open_period: int


def lobby(view: Lobby) -> Screen:
    n = view.night_id
    text = t.lobby(
        esc(view.bank_title),
        view.count,
        view.seconds,
        view.allow_guests,
        view.show_names,
        view.players,
        view.public_votes,
    )
    rows = (
        *column(
            Button(t.JOIN, JoinNight(n)),
            Button(t.CHOOSE_BANK, NightBanks(n)),
            Button(t.count_label(view.count), NightSetting(n, "n")),
            Button(t.seconds_label(view.seconds), NightSetting(n, "s")),
            Button(t.guests_label(view.allow_guests), NightSetting(n, "g")),
            Button(t.names_label(view.show_names), NightSetting(n, "v")),
            Button(t.votes_label(view.public_votes), NightSetting(n, "p")),
        ),
        (Button(t.START, StartNight(n)), Button(t.CANCEL, CancelNight(n))),
    )
    return Screen(text, rows)


def lobby_started(view: Lobby) -> Screen:
    """The lobby once running: only the join button stays, for late joiners."""
    text = t.lobby_started(esc(view.bank_title), view.count, view.players)
    return Screen(text, column(Button(t.JOIN, JoinNight(view.night_id))))


def lobby_closed() -> Screen:
    return Screen(t.lobby_closed())


def banks(night_id: int, choices: list[NightBank]) -> Screen:
    buttons = [
        Button(
            t.bank_label(_short(b.title, 44), len(b.questions)),
            NightBankPick(night_id, i, tag(b.key)),
        )
        for i, b in enumerate(choices)
    ]
    return Screen(t.choose_bank(), column(*buttons, Button(t.BACK, NightLobby(night_id))))


def poll(q: Asking) -> PollSpec:
    explanation: str | None = q.explanation or None  # an imported question may have none
    if (
        telegram_length(q.explanation) > POLL_EXPLANATION_MAX
        or q.explanation.count("\n") > POLL_EXPLANATION_LINE_FEEDS
    ):
        explanation = None  # it comes with the results instead
    numbered = t.question(q.position + 1, q.count, q.text)
    text = numbered if telegram_length(numbered) <= POLL_QUESTION_MAX else q.text
    return PollSpec(text, q.options, q.correct - 1, explanation, q.seconds)


def button_question(q: Asking, answered: int = 0) -> Screen:
    """A question answered by buttons; the count of answers so far, never who or what."""
    text = t.button_question(
        q.position + 1, q.count, q.seconds, esc(q.text), [esc(x) for x in q.options], answered
    )
    buttons = tuple(
        Button(t.LETTERS[i], NightAnswer(q.night_id, q.position, i + 1))
        for i in range(len(q.options))
    )
    return Screen(text, (buttons[:6], buttons[6:]) if len(buttons) > 6 else (buttons,))


def time_up(q: Asking) -> Screen:
    """The button question once closed: the buttons go."""
    return Screen(t.time_up(q.position + 1, q.count, esc(q.text), [esc(x) for x in q.options]))


def results(r: QuestionResult) -> Screen:
    """The answer, the counts, the explanation, the cited passage and the top of the board."""
    letter = t.LETTERS[r.correct - 1]
    chosen = [(t.LETTERS[i], n) for i, n in enumerate(r.chosen)]
    parts = [
        t.results(
            r.position + 1,
            r.count,
            letter,
            esc(r.options[r.correct - 1]),
            chosen,
            r.answered,
            r.players,
        ),
        t.explanation(esc(r.explanation)) if r.explanation else "",
        _support(r.citation, r.passage),
        board(r.board, r.show_names),
    ]
    return Screen("\n\n".join(p for p in parts if p)[:MESSAGE_MAX])


def _support(citation: str, passage: str) -> str:
    """A content question's verbatim passage; an imported question's source as its unit
    wrote it, never dressed as a quotation."""
    if passage:
        return t.passage(esc(citation), esc(_short(passage, PASSAGE_SHOWN)))
    return t.source(esc(_short(citation, PASSAGE_SHOWN))) if citation else ""


def board(rows: list[Ranked], show_names: bool) -> str:
    shown = top(rows)
    if not shown or rows[0].standing.score == 0:
        return f"{t.board_title()}\n{t.nobody_yet()}"
    lines = [
        t.board_line(r.rank, _name(r, show_names), r.standing.score, r.standing.guest)
        for r in shown[:10]
    ]
    return "\n".join([t.board_title(), *lines])


def podium(p: Podium) -> Screen:
    shown = top(p.board, 3)[:10]
    lines = [
        t.podium_line(r.rank, _name(r, p.show_names), r.standing.score, r.standing.guest)
        for r in shown
        if r.standing.score > 0
    ]
    head = t.podium(esc(p.title), p.played, p.count, p.interrupted, len(p.board))
    return Screen("\n\n".join([head, "\n".join(lines) or t.nobody_yet(), t.podium_footer()]))


def group_lost(p: Podium) -> list[Screen]:
    """For the secretary and the host when the group cannot be reached: why, then the results."""
    return [Screen(t.group_lost(esc(p.title))), *full_results(p)]


def full_results(p: Podium) -> list[Screen]:
    """Every player's result for the secretary, in pages that fit a message."""
    head = t.full_results_title(esc(p.title), p.played, p.count, p.interrupted)
    lines = [
        t.full_results_line(
            r.rank,
            esc(r.standing.name),
            r.standing.score,
            r.standing.correct,
            r.standing.answered,
            r.standing.guest,
        )
        for r in p.board
    ] or [t.nobody_yet()]
    pages: list[Screen] = []
    current = head
    for line in lines:
        if len(current) + len(line) + 1 > MESSAGE_MAX:
            pages.append(Screen(current))
            current = line
        else:
            current = f"{current}\n{line}"
    pages.append(Screen(current))
    return pages


def _name(r: Ranked, show_names: bool) -> str:
    return esc(r.standing.name) if show_names else t.anonymous(r.standing.seq)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def paused(night_id: int, title: str, number: int) -> Screen:
    """Privately to the host and the secretary: the night paused; resume or stop it."""
    return Screen(
        t.paused(esc(title), number),
        ((Button(t.RESUME, ResumeNight(night_id)), Button(t.STOP, StopNight(night_id))),),
    )


def announcement(cell: str, title: str, group: str) -> Screen:
    """A private word to a member: the cell's quiz night is open in the group."""
    return Screen(t.announcement(esc(cell), esc(title), esc(group)))
