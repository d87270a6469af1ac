"""All models, imported here so `Base.metadata` is complete for Alembic and tests."""

from db.models.announcements import Announcement
from db.models.audit import AuditEntry
from db.models.delivery import (
    ConversationState,
    InboxStatus,
    InboxUpdate,
    OutboxMessage,
    OutboxStatus,
)
from db.models.lessons import LessonRead, UnitTheme
from db.models.members import ChannelIdentity, Invite, Member, MemberStatus, Role, Unit, UnitKind
from db.models.search import Passage

__all__ = [
    "Announcement",
    "AuditEntry",
    "ChannelIdentity",
    "ConversationState",
    "InboxStatus",
    "InboxUpdate",
    "Invite",
    "LessonRead",
    "Member",
    "MemberStatus",
    "OutboxMessage",
    "OutboxStatus",
    "Passage",
    "Role",
    "Unit",
    "UnitKind",
    "UnitTheme",
]
