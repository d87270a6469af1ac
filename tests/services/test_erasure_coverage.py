"""Every column that can hold text is either erased or named here with why it holds no
member's words: a new text column fails this test until someone decides which it is."""

from __future__ import annotations

from sqlalchemy import JSON, Enum, String

import db.models  # noqa: F401  (fills the metadata)
from bot.services.erasure import COVERED
from db.base import Base

NO_MEMBER_TEXT: dict[str, str] = {
    "conversation_state.key": "aiogram's key: bot, chat and user ids",
    "conversation_state.state": "a state's name from our code",
    "inbox.channel": "a channel's name",
    "inbox.kind": "the update's type (message, callback_query, ...), from Telegram's field names",
    "inbox.lease": "a random claim token",
    "outbox.key": "our idempotency key: kind, ids and period",
    "outbox.channel": "a channel's name",
    "outbox.method": "a Bot API method name",
    "outbox.lease": "a random claim token",
    "outbox.reason": "why a row was dropped: a code from our code",
    "passages.work_id": "content shipped with the bot",
    "passages.text": "content shipped with the bot",
    "passages.folded": "content shipped with the bot",
    "units.name": "the cell's or committee's name, set by its admins",
    "invites.code_hash": "a SHA-256 hash",
    "invites.full_name": "the name the secretary wrote; erasure falls back to it on purpose",
    "unit_themes.theme_id": "a catalogue id",
    "members.timezone": "an IANA zone name from a fixed list",
    "announcements.text": "the secretary's announcement to the cell, the cell's own record",
    "audit_log.action": "an action code from our code",
    "audit_log.outcome": "ok or refused",
    "channel_identities.channel": "a channel's name",
    "checkin_exemptions.from_month": "YYYY-MM",
    "checkin_exemptions.to_month": "YYYY-MM",
    "checkin_skipped_months.month": "YYYY-MM",
    "drafts.kind": "pledge or checkin",
    "drafts.period": "YYYY or YYYY-MM",
    "drafts.step": "a step's name from our code",
    "lesson_reads.lesson_id": "a catalogue id",
    "quiz_banks.title": "a question bank the unit imported, not a member's words",
    "quiz_banks.file_name": "the imported file's name",
    "quiz_cards.question_id": "a catalogue id",
    "quiz_cards.card": "spaced-repetition numbers as JSON",
    "quiz_nights.channel": "a channel's name",
    "quiz_nights.bank_key": "a bank id",
    "quiz_nights.title": "the bank's title",
    "quiz_nights.status": "a status code",
    "quiz_rounds.scope": "a scope code",
    "quiz_rounds.scope_id": "a catalogue or bank id",
    "reminder_rules.kind": "a reminder kind code",
    "checkins.month": "YYYY-MM",
    "pledge_revisions.event": "an event code",
    "quiz_answers.question_id": "a catalogue id",
    "quiz_bank_questions.question": "an imported bank's question",
    "quiz_bank_questions.options": "an imported bank's options",
    "quiz_bank_questions.explanation": "an imported bank's explanation",
    "quiz_bank_questions.source": "an imported bank's source",
    "quiz_night_questions.question_id": "a bank id",
    "quiz_night_questions.text": "a copy of a bank's question",
    "quiz_night_questions.options": "a copy of a bank's options",
    "quiz_night_questions.explanation": "a copy of a bank's explanation",
    "quiz_night_questions.citation": "a work's title and reference",
    "quiz_night_questions.passage": "a passage of the shipped works",
    "quiz_night_questions.poll_id": "Telegram's poll id",
}


def text_columns() -> set[str]:
    """Every String, Text or JSON column (enums are codes, not text)."""
    return {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | JSON) and not isinstance(column.type, Enum)
    }


def test_every_text_column_is_erased_or_holds_no_member_text() -> None:
    columns = text_columns()
    undecided = columns - set(COVERED) - set(NO_MEMBER_TEXT)
    assert sorted(undecided) == []


def test_the_lists_name_only_columns_that_exist_and_never_both() -> None:
    columns = text_columns()
    assert sorted(set(COVERED) - columns) == []
    assert sorted(set(NO_MEMBER_TEXT) - columns) == []
    assert sorted(set(COVERED) & set(NO_MEMBER_TEXT)) == []
