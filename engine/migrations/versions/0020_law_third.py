"""law, third pass: supervision records, 内容概述, split requests, the catalogue check, stranded tasks

Revision ID: 0020_law_third
Revises: 0015_workplan_delivery
Create Date: 2026-12-07 09:30:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import engine.models.types

revision = "0020_law_third"
down_revision = "0018_search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'supervision_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), server_default='0', nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('party', sa.String(length=200), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('persons', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('result', sa.Text(), nullable=True),
        sa.Column('outcome', sa.String(length=20), nullable=True),
        sa.Column('handled_on', sa.Date(), nullable=True),
        sa.Column('handled_by', sa.String(length=80), nullable=True),
        sa.Column('created_by', sa.String(length=80), nullable=True),
        sa.Column('created_at', engine.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['request_id'], ['information_request.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_supervision_agency_kind', 'supervision_record', ['agency_id', 'kind', 'received_on'])
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('published_summary', sa.Text(), nullable=True))
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('human_task_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_incident_human_task_id', ['human_task_id'])
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('split_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('catalogue_check', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                                      nullable=False, server_default='{}'))
        batch_op.create_foreign_key('fk_information_request_split_from', 'information_request', ['split_from_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('information_request', schema=None) as batch_op:
        batch_op.drop_constraint('fk_information_request_split_from', type_='foreignkey')
        batch_op.drop_column('catalogue_check')
        batch_op.drop_column('split_from_id')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_human_task_id')
        batch_op.drop_column('human_task_id')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('published_summary')
        batch_op.drop_column('summary')
    op.drop_index('ix_supervision_agency_kind', table_name='supervision_record')
    op.drop_table('supervision_record')
