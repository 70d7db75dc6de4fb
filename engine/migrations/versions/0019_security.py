"""security: accounts locked after failed logins from anywhere

Revision ID: 0019_security
Revises: 0015_workplan_delivery
Create Date: 2026-12-07 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import engine.models.types

revision = "0019_security"
down_revision = "0015_workplan_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_at', engine.models.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('locked_at')
