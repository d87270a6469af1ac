"""How a unit's reminders are set: on or off, at what time, how many days ahead.

A cell's own row wins, then the nearest committee above it that set one, then the default.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import Boolean, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime


class ReminderRule(Base):
    __tablename__ = "reminder_rules"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[time] = mapped_column(Time())
    days_before: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
