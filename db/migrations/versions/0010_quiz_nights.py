"""quiz nights in groups

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, db.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "quiz_nights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("host_member_id", sa.Integer(), nullable=False),
        sa.Column("bank_key", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("allow_guests", sa.Boolean(), nullable=False),
        sa.Column("show_names", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _when("created_at", nullable=False),
        _when("started_at"),
        _when("finished_at"),
        sa.Column("interrupted", sa.Boolean(), nullable=False),
        sa.Column("lobby_message_id", sa.BigInteger(), nullable=True),
        _when("lobby_edited_at"),
        sa.Column("podium_message_id", sa.BigInteger(), nullable=True),
        sa.Column("resumed_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_member_id"], ["members.id"], name=op.f("fk_quiz_nights_host_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_quiz_nights_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_nights")),
    )
    op.create_index(op.f("ix_quiz_nights_chat_id"), "quiz_nights", ["chat_id"], unique=False)
    op.create_index(op.f("ix_quiz_nights_status"), "quiz_nights", ["status"], unique=False)
    op.create_index(op.f("ix_quiz_nights_unit_id"), "quiz_nights", ["unit_id"], unique=False)
    op.create_table(
        "quiz_night_players",
        sa.Column("night_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        _when("joined_at", nullable=False),
        sa.Column("first_position", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("correct_count", sa.Integer(), nullable=False),
        sa.Column("answered_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_quiz_night_players_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["night_id"],
            ["quiz_nights.id"],
            name=op.f("fk_quiz_night_players_night_id_quiz_nights"),
        ),
        sa.PrimaryKeyConstraint("night_id", "user_id", name=op.f("pk_quiz_night_players")),
    )
    op.create_table(
        "quiz_night_questions",
        sa.Column("night_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("citation", sa.String(length=300), nullable=False),
        sa.Column("passage", sa.Text(), nullable=False),
        sa.Column("as_poll", sa.Boolean(), nullable=False),
        sa.Column("poll_id", sa.String(length=64), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        _when("asked_at"),
        _when("closes_at"),
        _when("closed_at"),
        sa.Column("results_message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["night_id"],
            ["quiz_nights.id"],
            name=op.f("fk_quiz_night_questions_night_id_quiz_nights"),
        ),
        sa.PrimaryKeyConstraint("night_id", "position", name=op.f("pk_quiz_night_questions")),
    )
    op.create_index(
        op.f("ix_quiz_night_questions_poll_id"), "quiz_night_questions", ["poll_id"], unique=False
    )
    op.create_table(
        "quiz_night_answers",
        sa.Column("night_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("option", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("elapsed_ms", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        _when("answered_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["night_id"],
            ["quiz_nights.id"],
            name=op.f("fk_quiz_night_answers_night_id_quiz_nights"),
        ),
        sa.PrimaryKeyConstraint(
            "night_id", "position", "user_id", name=op.f("pk_quiz_night_answers")
        ),
    )
    op.create_table(
        "quiz_night_hosts",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("named_by_id", sa.Integer(), nullable=True),
        _when("named_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_quiz_night_hosts_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["named_by_id"], ["members.id"], name=op.f("fk_quiz_night_hosts_named_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_quiz_night_hosts_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("unit_id", "member_id", name=op.f("pk_quiz_night_hosts")),
    )


def downgrade() -> None:
    op.drop_table("quiz_night_hosts")
    op.drop_table("quiz_night_answers")
    op.drop_index(op.f("ix_quiz_night_questions_poll_id"), table_name="quiz_night_questions")
    op.drop_table("quiz_night_questions")
    op.drop_table("quiz_night_players")
    op.drop_index(op.f("ix_quiz_nights_unit_id"), table_name="quiz_nights")
    op.drop_index(op.f("ix_quiz_nights_status"), table_name="quiz_nights")
    op.drop_index(op.f("ix_quiz_nights_chat_id"), table_name="quiz_nights")
    op.drop_table("quiz_nights")
