"""Units (đảng bộ → chi bộ), members with their role, channel identities and invites."""

from __future__ import annotations

import enum
from datetime import datetime, time

from sqlalchemy import (
    BigInteger,
    Enum,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime


class UnitKind(enum.StrEnum):
    COMMITTEE = "committee"  # đảng bộ: the level above cells
    CELL = "cell"  # chi bộ


class Role(enum.StrEnum):
    MEMBER = "member"
    DEPUTY = "deputy"
    SECRETARY = "secretary"
    COMMITTEE_ADMIN = "committee_admin"
    OPERATOR = "operator"


class MemberStatus(enum.StrEnum):
    ONBOARDING = "onboarding"  # redeemed an invite, has not finished the first steps
    ACTIVE = "active"
    INACTIVE = "inactive"  # blocked the bot or was removed; kept for the cell's history


def _enum(cls: type[enum.StrEnum]) -> Enum:
    # Stored as plain strings (no native ENUM type): the same DDL on SQLite and PostgreSQL, and a
    # new value needs no ALTER TYPE migration.
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    status: Mapped[MemberStatus] = mapped_column(_enum(MemberStatus))
    full_name: Mapped[str | None] = mapped_column(String(120))
    name_confirmed: Mapped[bool] = mapped_column(default=False)
    lesson_time: Mapped[time | None] = mapped_column(Time())
    # Reminder preferences. NULL time zone: the bot's own (Asia/Ho_Chi_Minh by default).
    timezone: Mapped[str | None] = mapped_column(String(64))
    quiet_start: Mapped[time] = mapped_column(
        Time(), default=time(21, 30), server_default=text("'21:30:00'")
    )
    quiet_end: Mapped[time] = mapped_column(
        Time(), default=time(6, 30), server_default=text("'06:30:00'")
    )
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    invite_id: Mapped[int | None] = mapped_column(ForeignKey("invites.id"))
    # Set when the secretary removed the member (status inactive): a reason code from the
    # short list, or the reason the secretary typed.
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    left_reason: Mapped[str | None] = mapped_column(String(200))

    unit: Mapped[Unit] = relationship(lazy="joined")


class ChannelIdentity(Base):
    """One member may be reachable on several channels (Telegram, Zalo, the local web chat)."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "external_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    display_name: Mapped[str | None] = mapped_column(String(200))
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Invite(Base):
    """Only the SHA-256 of the code is stored: a database leak does not leak usable invites."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    full_name: Mapped[str | None] = mapped_column(String(120))
    # No foreign key: members already point at invites, and a cycle of keys cannot be created
    # on SQLite. The audit log records the creator with a proper reference.
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    max_uses: Mapped[int] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit] = relationship(lazy="joined")
