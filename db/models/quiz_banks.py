"""Question banks a cell or committee imported from Excel/CSV: a draft until published.

These are the unit's own questions, not checked against the works like content/quizzes/, so
they live in their own tables and are never shown as verified content.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime


class BankStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class QuizBank(Base):
    __tablename__ = "quiz_banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the owner
    title: Mapped[str] = mapped_column(String(120))
    # A plain string, as in db.models.members: the same DDL on SQLite and PostgreSQL.
    status: Mapped[BankStatus] = mapped_column(
        Enum(
            BankStatus,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    file_name: Mapped[str] = mapped_column(String(255))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))  # None: CLI
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class QuizBankQuestion(Base):
    __tablename__ = "quiz_bank_questions"

    bank_id: Mapped[int] = mapped_column(ForeignKey("quiz_banks.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1-based, file order
    question: Mapped[str] = mapped_column(Text())
    options: Mapped[str] = mapped_column(Text())  # a JSON list of 2-6 strings
    correct: Mapped[int] = mapped_column(Integer)  # 1-based index into options
    explanation: Mapped[str] = mapped_column(Text())  # "" when the file gave none
    source: Mapped[str] = mapped_column(Text())  # as the unit wrote it; "" when none
