"""publicity: 公示 flag and planned end on documents, and the take-down record

Revision ID: 0014_publicity
Revises: 0013_agency_reports
Create Date: 2026-11-30 08:30:00
"""
import sqlalchemy as sa
from alembic import op

import engine.models.types

revision = "0014_publicity"
down_revision = "0013_agency_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publicity', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('publicity_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('taken_down_at', engine.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('taken_down_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('taken_down_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('taken_down_reason')
        batch_op.drop_column('taken_down_by')
        batch_op.drop_column('taken_down_at')
        batch_op.drop_column('publicity_until')
        batch_op.drop_column('publicity')
