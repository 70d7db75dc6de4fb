"""security: accounts locked after failed logins from anywhere; 国密 (SM3 chain, SM2 signatures, sealed files)

An installation that already has accounts keeps the international suite until an admin switches
(crypto_suite = international); a new one starts with gm (the default).

Revision ID: 0019_security
Revises: 0015_workplan_delivery
Create Date: 2026-12-07 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import engine.models.types
from engine import clock

revision = "0019_security"
down_revision = "0018_search_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_at', engine.models.types.UTCDateTime(timezone=True), nullable=True))
    op.create_table('signing_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('algorithm', sa.String(length=30), nullable=False),
    sa.Column('public_pem', sa.Text(), nullable=False),
    sa.Column('private_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', engine.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'algorithm')
    )
    op.create_table('sealed_file',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('stored_sha256', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=40), nullable=False),
    sa.Column('sealed_at', engine.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    with op.batch_alter_table('review_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hash_algorithm', sa.String(length=10), server_default='sha256', nullable=False))
        batch_op.add_column(sa.Column('signing_key_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('signature', sa.Text(), nullable=True))
        batch_op.create_foreign_key('fk_review_record_signing_key', 'signing_key', ['signing_key_id'], ['id'])
    existing = op.get_bind().execute(sa.text("SELECT count(*) FROM user_account")).scalar()
    if existing:
        settings = sa.table('agency_setting', sa.column('key', sa.String), sa.column('value', engine.models.types.JSONType),
                            sa.column('updated_by', sa.String), sa.column('updated_at', engine.models.types.UTCDateTime()))
        op.bulk_insert(settings, [{"key": "crypto_suite", "value": {"value": "international"},
                                   "updated_by": "migration 0019_security", "updated_at": clock.now()}])


def downgrade() -> None:
    op.execute("DELETE FROM agency_setting WHERE key = 'crypto_suite'")
    with op.batch_alter_table('review_record', schema=None) as batch_op:
        batch_op.drop_constraint('fk_review_record_signing_key', type_='foreignkey')
        batch_op.drop_column('signature')
        batch_op.drop_column('signing_key_id')
        batch_op.drop_column('hash_algorithm')
    op.drop_table('sealed_file')
    op.drop_table('signing_key')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('locked_at')
