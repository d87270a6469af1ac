"""member reminder preferences: time zone, quiet hours, pause

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column(
                "quiet_start", sa.Time(), server_default=sa.text("'21:30:00'"), nullable=False
            )
        )
        batch.add_column(
            sa.Column("quiet_end", sa.Time(), server_default=sa.text("'06:30:00'"), nullable=False)
        )
        batch.add_column(
            sa.Column("paused_until", db.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("paused_until")
        batch.drop_column("quiet_end")
        batch.drop_column("quiet_start")
        batch.drop_column("timezone")
