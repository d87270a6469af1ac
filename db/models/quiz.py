"""Solo practice: a round of questions with its answers, and each member's review card.

Questions live in content/quizzes/, so rows hold the question id, not a foreign key: a question
removed from the content while a round is open is skipped, never a crash.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime


class QuizRound(Base):
    """One round; `position` is the index of the question waiting for an answer."""

    __tablename__ = "quiz_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))  # "theme", "bank", "work" or "due"
    scope_id: Mapped[str] = mapped_column(String(80))  # theme, bank or work id ("" for due)
    size: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the current question shown
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    abandoned: Mapped[bool] = mapped_column(Boolean)


class QuizAnswer(Base):
    """A question's place in a round and, once answered, the option chosen."""

    __tablename__ = "quiz_answers"

    round_id: Mapped[int] = mapped_column(ForeignKey("quiz_rounds.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80))
    chosen: Mapped[int | None] = mapped_column(Integer)  # 1-based, as in the bank
    correct: Mapped[bool | None] = mapped_column(Boolean)
    skipped: Mapped[bool] = mapped_column(Boolean)  # the question left the content
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class QuizCard(Base):
    """A member's spaced-repetition state for one question: an fsrs Card as JSON."""

    __tablename__ = "quiz_cards"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    card: Mapped[str] = mapped_column(Text())  # fsrs.Card.to_dict(), as JSON
    due: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    reviews: Mapped[int] = mapped_column(Integer)
    lapses: Mapped[int] = mapped_column(Integer)  # answered wrong
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
