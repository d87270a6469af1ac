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
from db.models.digests import DigestSettings
from db.models.lessons import LessonRead, UnitTheme
from db.models.members import ChannelIdentity, Invite, Member, MemberStatus, Role, Unit, UnitKind
from db.models.pledges import (
    Checkin,
    CheckinAnswer,
    CheckinSettings,
    Draft,
    Exemption,
    Pledge,
    PledgeItem,
    PledgeRevision,
    PledgeStatus,
    Rating,
    SkippedMonth,
)
from db.models.quiz import QuizAnswer, QuizCard, QuizRound
from db.models.quiz_banks import BankStatus, QuizBank, QuizBankQuestion
from db.models.quiz_nights import (
    QuizNight,
    QuizNightAnswer,
    QuizNightHost,
    QuizNightPlayer,
    QuizNightQuestion,
)
from db.models.reminders import ReminderRule
from db.models.search import Passage

__all__ = [
    "Announcement",
    "AuditEntry",
    "BankStatus",
    "ChannelIdentity",
    "Checkin",
    "CheckinAnswer",
    "CheckinSettings",
    "ConversationState",
    "DigestSettings",
    "Draft",
    "Exemption",
    "InboxStatus",
    "InboxUpdate",
    "Invite",
    "LessonRead",
    "Member",
    "MemberStatus",
    "OutboxMessage",
    "OutboxStatus",
    "Passage",
    "Pledge",
    "PledgeItem",
    "PledgeRevision",
    "PledgeStatus",
    "QuizAnswer",
    "QuizBank",
    "QuizBankQuestion",
    "QuizCard",
    "QuizNight",
    "QuizNightAnswer",
    "QuizNightHost",
    "QuizNightPlayer",
    "QuizNightQuestion",
    "QuizRound",
    "Rating",
    "ReminderRule",
    "Role",
    "SkippedMonth",
    "Unit",
    "UnitKind",
    "UnitTheme",
]
