"""imported quiz banks (drafts and published)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quiz_banks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "published", "archived", name="bankstatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["members.id"], name=op.f("fk_quiz_banks_created_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_quiz_banks_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_banks")),
    )
    op.create_index(op.f("ix_quiz_banks_unit_id"), "quiz_banks", ["unit_id"], unique=False)
    op.create_table(
        "quiz_bank_questions",
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["quiz_banks.id"],
            name=op.f("fk_quiz_bank_questions_bank_id_quiz_banks"),
        ),
        sa.PrimaryKeyConstraint("bank_id", "position", name=op.f("pk_quiz_bank_questions")),
    )


def downgrade() -> None:
    op.drop_table("quiz_bank_questions")
    op.drop_index(op.f("ix_quiz_banks_unit_id"), table_name="quiz_banks")
    op.drop_table("quiz_banks")
