"""Quiz nights in a cell's group chat: the night, its players, its questions and the answers.

Questions are snapshots (text, options, answer, passage), so a content change during a night
changes nothing. The answers' primary key (night, position, user) makes "the first answer
counts" one atomic INSERT.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime

LOBBY = "lobby"
RUNNING = "running"
FINISHED = "finished"
CANCELLED = "cancelled"
PAUSED = "paused"  # a send kept failing: the host resumes or stops it


class QuizNight(Base):
    """One night; `position` is the 0-based index of the question being played."""

    __tablename__ = "quiz_nights"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    host_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    bank_key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    question_count: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)
    allow_guests: Mapped[bool] = mapped_column(Boolean)
    show_names: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(12), index=True)
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    interrupted: Mapped[bool] = mapped_column(Boolean)
    lobby_message_id: Mapped[int | None] = mapped_column(BigInteger)
    lobby_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set once the end (podium) was posted: a restart between finishing and posting still posts.
    podium_message_id: Mapped[int | None] = mapped_column(BigInteger)
    resumed_count: Mapped[int] = mapped_column(Integer)  # restarts announced in the group
    # Public: native quiz polls, whose voters Telegram shows to the group. Secret (the default
    # for a new night): answer buttons, and only counts are ever shown.
    public_votes: Mapped[bool] = mapped_column(Boolean, server_default=true())
    # When a process last took the night up after a restart: the answers Telegram kept while
    # the bot was down are judged against the question's window, not the time they arrive.
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Each pause (a send whose outcome stayed unknown) is told to the host once.
    paused_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class QuizNightPlayer(Base):
    """A Telegram user playing; member_id NULL is a guest (not a member of the cell)."""

    __tablename__ = "quiz_night_players"

    night_id: Mapped[int] = mapped_column(ForeignKey("quiz_nights.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    seq: Mapped[int] = mapped_column(Integer)  # join order: the anonymised name's number
    display_name: Mapped[str] = mapped_column(String(120))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_position: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    correct_count: Mapped[int] = mapped_column(Integer)
    answered_count: Mapped[int] = mapped_column(Integer)


class QuizNightQuestion(Base):
    __tablename__ = "quiz_night_questions"

    night_id: Mapped[int] = mapped_column(ForeignKey("quiz_nights.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(80))  # in its bank, for the record
    text: Mapped[str] = mapped_column(Text())
    options: Mapped[list[Any]] = mapped_column(JSON())  # list of option texts
    correct: Mapped[int] = mapped_column(Integer)  # 1-based, as in the banks
    explanation: Mapped[str] = mapped_column(Text())
    citation: Mapped[str] = mapped_column(String(300))  # the work's title and reference
    passage: Mapped[str] = mapped_column(Text())
    as_poll: Mapped[bool] = mapped_column(Boolean)
    poll_id: Mapped[str | None] = mapped_column(String(64), index=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_message_id: Mapped[int | None] = mapped_column(BigInteger)


class QuizNightAnswer(Base):
    __tablename__ = "quiz_night_answers"

    night_id: Mapped[int] = mapped_column(ForeignKey("quiz_nights.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    option: Mapped[int] = mapped_column(Integer)  # 1-based
    correct: Mapped[bool] = mapped_column(Boolean)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuizNightHost(Base):
    """A member the secretary named to host quiz nights for the cell."""

    __tablename__ = "quiz_night_hosts"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    named_at: Mapped[datetime] = mapped_column(UTCDateTime())
