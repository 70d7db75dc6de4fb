"""document files: a document's body and attachments as published files, each confirmed by the publisher

Revision ID: 0016_document_files
Revises: 0015_workplan_delivery
Create Date: 2026-12-07 09:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import engine.models.types

revision = "0016_document_files"
down_revision = "0015_workplan_delivery"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table('document_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('original_sha256', sa.String(length=64), nullable=False),
    sa.Column('layout_sha256', sa.String(length=64), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('findings', JSON, nullable=False),
    sa.Column('regions', JSON, nullable=False),
    sa.Column('hidden', JSON, nullable=False),
    sa.Column('withheld', sa.Boolean(), nullable=False),
    sa.Column('redacted_sha256', sa.String(length=64), nullable=True),
    sa.Column('redacted_size', sa.Integer(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=80), nullable=True),
    sa.Column('confirmed_at', engine.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('uploaded_by', sa.String(length=80), nullable=True),
    sa.Column('created_at', engine.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_file', schema=None) as batch_op:
        batch_op.create_index('ix_document_file_doc', ['document_id', 'position'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('document_file', schema=None) as batch_op:
        batch_op.drop_index('ix_document_file_doc')
    op.drop_table('document_file')
