"""search: the catalogue's and the staff's full-text indexes (GIN tsvector / FTS5), filled here

Revision ID: 0018_search_index
Revises: 0015_workplan_delivery
Create Date: 2026-12-07 09:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018_search_index"
down_revision = "0017b_published_audit_jobs"
branch_labels = None
depends_on = None


def _search_text():
    return sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")


def upgrade() -> None:
    from engine.search import index

    op.create_table(
        "search_document",
        sa.Column("rank_key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("publisher", sa.String(length=100), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("validity", sa.String(length=10), nullable=False),
        sa.Column("publicity", sa.Boolean(), nullable=False),
        sa.Column("head", _search_text(), nullable=False),
        sa.Column("body", _search_text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("rank_key"),
        sa.UniqueConstraint("document_id"),
    )
    op.create_table(
        "search_instance",
        sa.Column("instance_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("head", _search_text(), nullable=False),
        sa.Column("body", _search_text(), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instance.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("instance_id"),
    )
    connection = op.get_bind()
    for statement in index.backend(connection).DDL:
        connection.exec_driver_sql(statement)
    # Filled by schema.upgrade once every migration has run: the index reads the newest columns.


def downgrade() -> None:
    from engine.search import sqlite

    if op.get_bind().dialect.name == "sqlite":
        for statement in sqlite.DROP:
            op.execute(statement)
    op.drop_table("search_instance")
    op.drop_table("search_document")
