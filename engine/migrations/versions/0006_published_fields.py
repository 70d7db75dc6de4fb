"""published fields: every field that leaves through a channel has a redacted, confirmed version

Revision ID: 0006_published_fields
Revises: 0005_review_channels
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0006_published_fields"
down_revision = "0005_review_channels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json_type = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_redactions', json_type, nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('published_title', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('published_doc_number', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('published_interpretation', sa.Text(), nullable=True))
    # Documents published before this revision went out with their title and number as written:
    # the catalogue keeps showing what was already public (their interpretations are re-published
    # through the procedure, not copied here unreviewed).
    op.execute("UPDATE document SET published_title = title, published_doc_number = doc_number "
               "WHERE published_text IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('published_interpretation')
        batch_op.drop_column('published_doc_number')
        batch_op.drop_column('published_title')
        batch_op.drop_column('field_redactions')
