"""pledges, pledge history, check-ins, drafts, exemptions, skipped months, cell windows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checkin_exemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("from_month", sa.String(length=7), nullable=False),
        sa.Column("to_month", sa.String(length=7), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["members.id"],
            name=op.f("fk_checkin_exemptions_created_by_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_checkin_exemptions_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_checkin_exemptions_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_exemptions")),
    )
    op.create_index(
        op.f("ix_checkin_exemptions_unit_id"), "checkin_exemptions", ["unit_id"], unique=False
    )
    op.create_table(
        "checkin_settings",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("open_day", sa.Integer(), nullable=False),
        sa.Column("meeting_day", sa.Integer(), nullable=False),
        sa.Column("updated_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_checkin_settings_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["members.id"],
            name=op.f("fk_checkin_settings_updated_by_id_members"),
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_checkin_settings")),
    )
    op.create_table(
        "checkin_skipped_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["members.id"],
            name=op.f("fk_checkin_skipped_months_created_by_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_checkin_skipped_months_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_skipped_months")),
        sa.UniqueConstraint(
            "unit_id", "month", name=op.f("uq_checkin_skipped_months_unit_id_month")
        ),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_drafts_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
        sa.UniqueConstraint(
            "member_id", "kind", "period", name=op.f("uq_drafts_member_id_kind_period")
        ),
    )
    op.create_table(
        "pledges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "returned",
                "approved",
                name="pledgestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("approved_version", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("submitted_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("erased_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["members.id"], name=op.f("fk_pledges_decided_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_pledges_member_id_members")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_pledges_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledges")),
        sa.UniqueConstraint("member_id", "year", name=op.f("uq_pledges_member_id_year")),
    )
    op.create_index(op.f("ix_pledges_member_id"), "pledges", ["member_id"], unique=False)
    op.create_index(op.f("ix_pledges_unit_id"), "pledges", ["unit_id"], unique=False)
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("first_submitted_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("commented_by_id", sa.Integer(), nullable=True),
        sa.Column("commented_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("erased_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["commented_by_id"], ["members.id"], name=op.f("fk_checkins_commented_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_checkins_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_checkins_pledge_id_pledges")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_checkins_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("member_id", "month", name=op.f("uq_checkins_member_id_month")),
    )
    op.create_index(op.f("ix_checkins_member_id"), "checkins", ["member_id"], unique=False)
    op.create_index(op.f("ix_checkins_unit_id"), "checkins", ["unit_id"], unique=False)
    op.create_table(
        "pledge_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_items_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_items")),
        sa.UniqueConstraint(
            "pledge_id", "position", name=op.f("uq_pledge_items_pledge_id_position")
        ),
    )
    op.create_table(
        "pledge_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["members.id"], name=op.f("fk_pledge_revisions_actor_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_revisions_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_revisions")),
    )
    op.create_index(
        op.f("ix_pledge_revisions_pledge_id"), "pledge_revisions", ["pledge_id"], unique=False
    )
    op.create_table(
        "checkin_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column(
            "rating",
            sa.Enum("tot", "dat", "chua_dat", name="rating", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("done", sa.Text(), nullable=True),
        sa.Column("fix", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checkin_id"], ["checkins.id"], name=op.f("fk_checkin_answers_checkin_id_checkins")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_answers")),
        sa.UniqueConstraint(
            "checkin_id", "position", name=op.f("uq_checkin_answers_checkin_id_position")
        ),
    )


def downgrade() -> None:
    op.drop_table("checkin_answers")
    op.drop_index(op.f("ix_pledge_revisions_pledge_id"), table_name="pledge_revisions")
    op.drop_table("pledge_revisions")
    op.drop_table("pledge_items")
    op.drop_index(op.f("ix_checkins_unit_id"), table_name="checkins")
    op.drop_index(op.f("ix_checkins_member_id"), table_name="checkins")
    op.drop_table("checkins")
    op.drop_index(op.f("ix_pledges_unit_id"), table_name="pledges")
    op.drop_index(op.f("ix_pledges_member_id"), table_name="pledges")
    op.drop_table("pledges")
    op.drop_table("drafts")
    op.drop_table("checkin_skipped_months")
    op.drop_table("checkin_settings")
    op.drop_index(op.f("ix_checkin_exemptions_unit_id"), table_name="checkin_exemptions")
    op.drop_table("checkin_exemptions")
