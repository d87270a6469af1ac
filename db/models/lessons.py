"""What each member has read, and which theme a committee chose for its units."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime


class LessonRead(Base):
    """A lesson a member marked as read; the local date drives streaks."""

    __tablename__ = "lesson_reads"
    __table_args__ = (UniqueConstraint("member_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    # The content id, not a foreign key: lessons live in content/ and may be removed.
    lesson_id: Mapped[str] = mapped_column(String(80))
    read_on: Mapped[date] = mapped_column(Date())
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UnitTheme(Base):
    """The theme a unit follows (set on a committee; its cells inherit it)."""

    __tablename__ = "unit_themes"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    theme_id: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())
