"""Pledges (bản cam kết), the monthly check-ins (tự soi, tự sửa) and each cell's rules for them.

Half-finished work lives in `drafts` (one row a member, kind and period, with the step and the
answers as JSON), so it survives a restart whichever FSM storage runs. A submitted check-in
copies each pledge item's wording into its answers: a later amendment of the pledge does not
rewrite what a month was measured against.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime


class PledgeStatus(enum.StrEnum):
    SUBMITTED = "submitted"  # waiting for the secretary
    RETURNED = "returned"  # sent back with a comment; the member revises
    APPROVED = "approved"


class Rating(enum.StrEnum):
    GOOD = "tot"
    DONE = "dat"
    NOT_DONE = "chua_dat"


def _enum(cls: type[enum.StrEnum]) -> Enum:
    # Plain strings, as in members.py: the same DDL on SQLite and PostgreSQL.
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class CheckinSettings(Base):
    """A cell's window: opens on `open_day` of month M, deadline the day before `meeting_day`
    of M+1. Both are 1–28 so that every month has the day (no "31 February")."""

    __tablename__ = "checkin_settings"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    open_day: Mapped[int] = mapped_column(Integer)
    meeting_day: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class Pledge(Base):
    __tablename__ = "pledges"
    __table_args__ = (UniqueConstraint("member_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[PledgeStatus] = mapped_column(_enum(PledgeStatus))
    version: Mapped[int] = mapped_column(Integer)  # +1 on every submission
    approved_version: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)  # the secretary's last return comment
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    items: Mapped[list[PledgeItem]] = relationship(
        order_by="PledgeItem.position", lazy="selectin", cascade="all, delete-orphan"
    )


class PledgeItem(Base):
    __tablename__ = "pledge_items"
    __table_args__ = (UniqueConstraint("pledge_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"))
    position: Mapped[int] = mapped_column(Integer)  # 1–3
    action: Mapped[str] = mapped_column(Text)  # the concrete action
    measure: Mapped[str] = mapped_column(Text)  # how it is measured


class PledgeRevision(Base):
    """Every submission and decision, with the items as they were: the amendment history."""

    __tablename__ = "pledge_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(20))  # submitted, approved, returned
    items: Mapped[list[Any]] = mapped_column(JSON)  # [[action, measure], …]
    comment: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Checkin(Base):
    """A submitted month. It stays with the cell it was written in, even if the member leaves."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("member_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    pledge_id: Mapped[int | None] = mapped_column(ForeignKey("pledges.id"))
    note: Mapped[str | None] = mapped_column(Text)
    first_submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)  # the secretary's, read-only to the member
    commented_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    commented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    answers: Mapped[list[CheckinAnswer]] = relationship(
        order_by="CheckinAnswer.position", lazy="selectin", cascade="all, delete-orphan"
    )


class CheckinAnswer(Base):
    __tablename__ = "checkin_answers"
    __table_args__ = (UniqueConstraint("checkin_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id"))
    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(Text)  # the pledge item's wording that month
    rating: Mapped[Rating | None] = mapped_column(_enum(Rating))  # None once erased
    done: Mapped[str | None] = mapped_column(Text)
    fix: Mapped[str | None] = mapped_column(Text)


class Draft(Base):
    """A member's unfinished pledge or check-in: where they are and what they typed."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("member_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(20))  # "pledge" or "checkin"
    period: Mapped[str] = mapped_column(String(7))  # YYYY for a pledge, YYYY-MM for a check-in
    step: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Exemption(Base):
    """Miễn sinh hoạt: the member is not asked, nudged or counted late in these months."""

    __tablename__ = "checkin_exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    reason: Mapped[str] = mapped_column(Text)
    from_month: Mapped[str] = mapped_column(String(7))
    to_month: Mapped[str] = mapped_column(String(7))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SkippedMonth(Base):
    """A month the cell does not check in (e.g. Tết)."""

    __tablename__ = "checkin_skipped_months"
    __table_args__ = (UniqueConstraint("unit_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    month: Mapped[str] = mapped_column(String(7))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
