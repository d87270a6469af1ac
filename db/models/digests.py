"""Each cell's choice about the weekly short digest (the monthly one always goes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime


class DigestSettings(Base):
    """No row: the weekly digest is on, on Monday (weekday 0)."""

    __tablename__ = "digest_settings"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    weekly: Mapped[bool] = mapped_column(Boolean)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday, as date.weekday()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
