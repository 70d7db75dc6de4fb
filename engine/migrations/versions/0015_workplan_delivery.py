"""workplan: the congress date and deadline rules, tasks done before import, 督办单 delivery

Revision ID: 0015_workplan_delivery
Revises: 0014_publicity
Create Date: 2026-11-30 08:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_workplan_delivery"
down_revision = "0014_publicity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workplan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('congress_ends_on', sa.Date(), nullable=True))
    with op.batch_alter_table('workplan_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('completion_note', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('workplan_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery_method', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('delivered_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('delivered_by', sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workplan_notice', schema=None) as batch_op:
        batch_op.drop_column('delivered_by')
        batch_op.drop_column('delivered_on')
        batch_op.drop_column('delivery_method')
    with op.batch_alter_table('workplan_task', schema=None) as batch_op:
        batch_op.drop_column('completion_note')
        batch_op.drop_column('rule')
    with op.batch_alter_table('workplan', schema=None) as batch_op:
        batch_op.drop_column('congress_ends_on')
