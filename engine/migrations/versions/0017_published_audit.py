"""published audit: suspects the current detector finds in published texts, and re-publications

Revision ID: 0017_published_audit
Revises: 0015_workplan_delivery
Create Date: 2026-12-07 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import engine.models.types

revision = "0017_published_audit"
down_revision = "0016_document_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_suspect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("found_at", engine.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", engine.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=80), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_published_suspect_document_id", "published_suspect", ["document_id"])
    op.create_table(
        "published_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("previous_sha256", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("published_by", sa.String(length=80), nullable=False),
        sa.Column("published_at", engine.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "version"),
    )
    op.create_index("ix_published_version_document_id", "published_version", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_published_version_document_id", table_name="published_version")
    op.drop_table("published_version")
    op.drop_index("ix_published_suspect_document_id", table_name="published_suspect")
    op.drop_table("published_suspect")
