"""published audit runs: the re-check of published texts as a worker's job with its progress

Revision ID: 0017b_published_audit_jobs
Revises: 0017_published_audit
Create Date: 2026-12-08 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import engine.models.types

revision = "0017b_published_audit_jobs"
down_revision = "0017_published_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_audit_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("documents_total", sa.Integer(), nullable=False),
        sa.Column("documents_done", sa.Integer(), nullable=False),
        sa.Column("suspects", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("lease", sa.String(length=36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", engine.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", engine.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", engine.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", engine.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_published_audit_run_status", "published_audit_run", ["status", "id"])
    with op.batch_alter_table("published_suspect") as batch:
        batch.add_column(sa.Column("run_id", sa.Integer(), nullable=True))
        batch.create_index("ix_published_suspect_run_id", ["run_id"])
        batch.create_foreign_key("fk_published_suspect_run_id", "published_audit_run", ["run_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("published_suspect") as batch:
        batch.drop_constraint("fk_published_suspect_run_id", type_="foreignkey")
        batch.drop_index("ix_published_suspect_run_id")
        batch.drop_column("run_id")
    op.drop_index("ix_published_audit_run_status", table_name="published_audit_run")
    op.drop_table("published_audit_run")
