"""request delays: the Art. 35 延迟答复 period, in working days added to the reply period

Revision ID: 0012_request_delays
Revises: 0011_workplan
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_request_delays"
down_revision = "0011_workplan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delay_days', sa.Integer(), nullable=False, server_default=sa.text('0')))


def downgrade() -> None:
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_column('delay_days')
