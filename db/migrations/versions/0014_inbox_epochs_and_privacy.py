"""inbox: epochs for reused update ids, leases, retry times, and no payload kept once handled

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("epoch", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("kind", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("hiccups", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("lease", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("retry_at", db.base.UTCDateTime(timezone=True), nullable=True))
        batch.alter_column("payload", existing_type=sa.JSON(), nullable=True)
        batch.drop_constraint("uq_inbox_channel_update_id", type_="unique")
        batch.create_unique_constraint(
            "uq_inbox_channel_epoch_update_id", ["channel", "epoch", "update_id"]
        )
        batch.create_index("ix_inbox_chat", ["chat_id", "id"], unique=False)
    # What was handled keeps no payload: members' words and invite codes leave the inbox.
    op.execute("UPDATE inbox SET payload = NULL WHERE status != 'pending'")


def downgrade() -> None:
    op.execute("DELETE FROM inbox WHERE payload IS NULL")
    with op.batch_alter_table("inbox") as batch:
        batch.drop_index("ix_inbox_chat")
        batch.drop_constraint("uq_inbox_channel_epoch_update_id", type_="unique")
        batch.create_unique_constraint("uq_inbox_channel_update_id", ["channel", "update_id"])
        batch.alter_column("payload", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("retry_at")
        batch.drop_column("lease")
        batch.drop_column("hiccups")
        batch.drop_column("kind")
        batch.drop_column("epoch")
