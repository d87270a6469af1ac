"""quiz nights: secret or public voting, the last restart, pauses after lost sends

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quiz_nights") as batch:
        # Nights set up before this revision asked with public polls: they keep doing so.
        batch.add_column(
            sa.Column("public_votes", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(
            sa.Column("resumed_at", db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("paused_count", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("quiz_nights") as batch:
        batch.drop_column("paused_count")
        batch.drop_column("resumed_at")
        batch.drop_column("public_votes")
