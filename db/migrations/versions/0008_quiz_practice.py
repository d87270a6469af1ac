"""quiz practice: rounds, answers and review cards

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quiz_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("scope_id", sa.String(length=80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("started_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("asked_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("abandoned", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_quiz_rounds_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_rounds")),
    )
    op.create_index(op.f("ix_quiz_rounds_member_id"), "quiz_rounds", ["member_id"], unique=False)
    op.create_table(
        "quiz_answers",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("chosen", sa.Integer(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("answered_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["quiz_rounds.id"], name=op.f("fk_quiz_answers_round_id_quiz_rounds")
        ),
        sa.PrimaryKeyConstraint("round_id", "position", name=op.f("pk_quiz_answers")),
    )
    op.create_table(
        "quiz_cards",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("card", sa.Text(), nullable=False),
        sa.Column("due", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_quiz_cards_member_id_members")
        ),
        sa.PrimaryKeyConstraint("member_id", "question_id", name=op.f("pk_quiz_cards")),
    )
    op.create_index(op.f("ix_quiz_cards_due"), "quiz_cards", ["due"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_quiz_cards_due"), table_name="quiz_cards")
    op.drop_table("quiz_cards")
    op.drop_table("quiz_answers")
    op.drop_index(op.f("ix_quiz_rounds_member_id"), table_name="quiz_rounds")
    op.drop_table("quiz_rounds")
