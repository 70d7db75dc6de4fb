"""server-side browser sessions

Revision ID: 0007_sessions
Revises: 0006_published_fields
"""
import sqlalchemy as sa
from alembic import op

import engine.models.types

revision = "0007_sessions"
down_revision = "0006_published_fields"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", engine.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", engine.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", engine.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index("ix_user_session_user_id", "user_session", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_user_session_user_id", table_name="user_session")
    op.drop_table("user_session")
