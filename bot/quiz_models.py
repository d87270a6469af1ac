"""The shapes of the quiz banks (content/quizzes/): a question and a bank, as frozen models.

A question names the passage that settles its answer: a verbatim passage of a work in
content/works/, or of content/facts.md (`work: facts`) for questions about the practice.
Either a `key` phrase of the correct option occurs in the passage, or the question is marked
`reasoning: true` and its explanation quotes («…») the words of the passage it rests on.
bot.quizbank checks what a single question cannot show on its own (the passage is in its
work, ids and questions are not repeated across banks).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from bot.catalog import comparable
from bot.content_models import ID
from bot.textnorm import fold, nfc

__all__ = [
    "FACTS",
    "POLL_EXPLANATION_MAX",
    "POLL_OPTION_MAX",
    "POLL_QUESTION_MAX",
    "Bank",
    "Question",
    "fits_poll",
    "matchable",
    "telegram_length",
]

FACTS = "facts"  # `work: facts` cites content/facts.md: facts about the practice, not quotations
# Telegram quiz polls: question 1-300, each option 1-100, explanation 0-200 characters (and at
# most two line feeds). A longer question is still valid; the bot sends it as a text message.
POLL_QUESTION_MAX = 300
POLL_OPTION_MAX = 100
POLL_EXPLANATION_MAX = 200
POLL_OPTIONS_MAX = 12
_POLL_EXPLANATION_LINE_FEEDS = 2
# Hard limits, beyond which a question is too long to read in a chat at all.
_QUESTION_MAX = 600
_OPTION_MAX = 200
_EXPLANATION_MAX = 400
# "All of the above" and its kin make the single correct option ambiguous.
_CATCH_ALL = re.compile(
    r"\b(dap an|phuong an) (tren|nao)\b|\b(y|cau) tren\b|\bdeu (dung|sai)\b"
    r"|\bof the above\b|^ca [a-f] va [a-f]\b"
)


def matchable(text: str) -> str:
    """The form in which keys are looked for: bot.catalog.comparable, then case-folded."""
    return comparable(text).casefold()


def telegram_length(text: str) -> int:
    """Length as Telegram counts it, in UTF-16 code units (NFC Vietnamese is one per letter)."""
    return len(nfc(text).encode("utf-16-le")) // 2


def fits_poll(question: str, options: tuple[str, ...]) -> bool:
    """Whether a question and its options fit a Telegram quiz poll. A longer explanation does
    not stop a poll: it is left out of the poll and shown with the answer."""
    return (
        telegram_length(question) <= POLL_QUESTION_MAX
        and 2 <= len(options) <= POLL_OPTIONS_MAX
        and all(telegram_length(x) <= POLL_OPTION_MAX for x in options)
    )


def _vietnamese(value: str) -> str:
    if not any(ord(ch) > 0x7F for ch in value):
        raise ValueError("write it in Vietnamese with diacritics")
    return nfc(value)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Question(_Model):
    id: str = Field(pattern=ID)
    question: str = Field(min_length=10, max_length=_QUESTION_MAX)
    options: tuple[str, ...] = Field(min_length=2, max_length=6)
    correct: int  # 1-based index of the single correct option
    explanation: str = Field(min_length=20, max_length=_EXPLANATION_MAX)
    work: str = Field(min_length=2)  # a quotable work id, or "facts"
    passage: str = Field(min_length=10)  # verbatim from the work; compared after normalising
    key: str | None = Field(default=None, min_length=2)
    reasoning: bool = False
    # For `work: facts` only: the article the fact comes from, shown as «Theo …» (content/facts.md
    # is reference material in the corpus's words, never a quotation of Hồ Chí Minh).
    source: str | None = Field(default=None, min_length=5, max_length=160)

    @field_validator("question", "explanation")
    @classmethod
    def _in_vietnamese(cls, value: str) -> str:
        return _vietnamese(value)

    @field_validator("options")
    @classmethod
    def _distinct_short_options(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for number, option in enumerate(value, start=1):
            if not option:
                raise ValueError(f"option {number} is empty")
            if len(option) > _OPTION_MAX:
                raise ValueError(f"option {number} has {len(option)} characters; at most 200")
            folded = fold(option)
            if folded in seen:
                raise ValueError(f"option {number} repeats another option")
            if _CATCH_ALL.search(folded):
                raise ValueError(f"option {number}: no «all of the above»; one option is correct")
            seen.add(folded)
        return tuple(nfc(x) for x in value)

    @field_validator("correct")
    @classmethod
    def _correct_is_an_option(cls, value: int, info: ValidationInfo) -> int:
        options = info.data.get("options")
        if options is not None and not 1 <= value <= len(options):
            raise ValueError(f"{value} is not an option number (1 to {len(options)})")
        return value

    @field_validator("key")
    @classmethod
    def _key_names_only_the_correct_option(
        cls, value: str | None, info: ValidationInfo
    ) -> str | None:
        options, correct = info.data.get("options"), info.data.get("correct")
        if value is None or options is None or correct is None:
            return value
        key = matchable(value)
        if key not in matchable(options[correct - 1]):
            raise ValueError(f"the key {value!r} is not in the correct option {correct}")
        others = [
            n for n, x in enumerate(options, start=1) if n != correct and key in matchable(x)
        ]
        if others:
            raise ValueError(
                f"the key {value!r} is also in option {others[0]}, so it is ambiguous"
            )
        return nfc(value)

    @model_validator(mode="after")
    def _key_or_reasoning(self) -> Question:
        if self.key is None and not self.reasoning:
            raise ValueError("give a key phrase of the correct option, or set reasoning: true")
        if self.key is not None and self.reasoning:
            raise ValueError("give either key or reasoning: true, not both")
        if (self.work == FACTS) != (self.source is not None):
            raise ValueError(f"give `source` (the article) exactly when work is {FACTS!r}")
        return self

    @property
    def is_reference(self) -> bool:
        """Whether the passage is reference material (shown as «Tư liệu»), not Bác's words."""
        return self.work == FACTS

    @property
    def shown_passage(self) -> str:
        """The passage as members read it: reference material loses the Markdown emphasis and
        line breaks of the facts file; Bác's words are shown as they are."""
        if self.is_reference:
            return " ".join(self.passage.replace("**", "").split())
        return nfc(self.passage)

    @property
    def answer(self) -> str:
        return self.options[self.correct - 1]

    @property
    def fits_poll(self) -> bool:
        """Whether it can be sent as a Telegram quiz poll as it is."""
        return (
            fits_poll(self.question, self.options)
            and telegram_length(self.explanation) <= POLL_EXPLANATION_MAX
            and self.explanation.count("\n") <= _POLL_EXPLANATION_LINE_FEEDS
        )


class Bank(_Model):
    id: str = Field(pattern=ID)
    title: str = Field(min_length=2, max_length=120)
    questions: tuple[Question, ...] = Field(min_length=1)

    @field_validator("title")
    @classmethod
    def _in_vietnamese(cls, value: str) -> str:
        return _vietnamese(value)

    @property
    def works(self) -> frozenset[str]:
        return frozenset(q.work for q in self.questions)
