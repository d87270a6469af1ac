"""Inbox (every update stored before it is acknowledged), outbox, and conversation state."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime


class InboxStatus(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"  # handling raised too often; kept for inspection, never silently dropped


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; an outcome is not known yet
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the request may have reached the channel: never re-sent blindly
    DROPPED = "dropped"  # no longer true when its turn came (see `reason`): never sent


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class InboxUpdate(Base):
    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "epoch", "update_id"),
        Index("ix_inbox_pending", "status", "id"),
        Index("ix_inbox_chat", "chat_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    # Telegram may reuse update ids after a week without updates: a new epoch starts after such
    # a silence, so a reused id is a new update, while a redelivery (within a day) is not.
    epoch: Mapped[int] = mapped_column(Integer, default=0)
    update_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str | None] = mapped_column(String(30))  # message, callback_query, …
    # Kept only until the update is handled (members' words leave with it); invite codes hashed.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[InboxStatus] = mapped_column(_enum(InboxStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Passing database/Redis faults met while handling, counted apart from genuine failures.
    hiccups: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The claim that holds the row: only its holder can mark the row done.
    lease: Mapped[str | None] = mapped_column(String(32))
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)  # the error's type only, never its text


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # (member, kind, period), e.g. "lesson:42:2026-11-22": a second enqueue is a no-op.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    method: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The claim that holds the row: a sender sends only rows still under its own claim, so a
    # row whose lease lapsed and was claimed again goes out once, from the newer claim.
    lease: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What must still hold when the row is sent (a reminder's kind, member, period), checked
    # and re-rendered just before the send (bot/delivery/recheck); None: sent as written.
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(80))  # why it was DROPPED


class ConversationState(Base):
    """aiogram FSM state and data, so a half-finished conversation survives a restart."""

    __tablename__ = "conversation_state"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
