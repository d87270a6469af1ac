"""lessons read and unit themes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_themes",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.String(length=80), nullable=False),
        sa.Column("set_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_themes_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_unit_themes")),
    )
    op.create_table(
        "lesson_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(length=80), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=False),
        sa.Column("read_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_lesson_reads_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_reads")),
        sa.UniqueConstraint(
            "member_id", "lesson_id", name=op.f("uq_lesson_reads_member_id_lesson_id")
        ),
    )
    with op.batch_alter_table("lesson_reads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lesson_reads_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lesson_reads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lesson_reads_member_id"))

    op.drop_table("lesson_reads")
    op.drop_table("unit_themes")
