"""agency reports: the annual report, its proceedings and snapshots belong to one agency

Revision ID: 0013_agency_reports
Revises: 0012_request_delays
Create Date: 2026-11-30 08:30:00

`agency_id` is the department id of an agency (a department with its own agency name), 0 for the
installation's own; existing rows were the installation's report, hence the server default 0.
The old unique constraints were unnamed: SQLite's batch mode names them by convention to drop them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_agency_reports"
down_revision = "0012_request_delays"
branch_labels = None
depends_on = None

# PostgreSQL's names for the unnamed constraints of 0004 and 0010; SQLite gets them by convention.
NAMING = {"uq": "%(table_name)s_%(column_0_N_name)s_key"}


def upgrade() -> None:
    with op.batch_alter_table("annual_report_text", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_constraint("annual_report_text_year_key", type_="unique")
        batch_op.create_unique_constraint("uq_annual_report_text_agency_year", ["agency_id", "year"])
    with op.batch_alter_table("annual_report_snapshot", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_constraint("annual_report_snapshot_year_version_key", type_="unique")
        batch_op.create_unique_constraint("uq_annual_report_snapshot_version", ["agency_id", "year", "version"])
    with op.batch_alter_table("legal_proceeding") as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("legal_proceeding") as batch_op:
        batch_op.drop_column("agency_id")
    with op.batch_alter_table("annual_report_snapshot") as batch_op:
        batch_op.drop_constraint("uq_annual_report_snapshot_version", type_="unique")
        batch_op.create_unique_constraint("annual_report_snapshot_year_version_key", ["year", "version"])
        batch_op.drop_column("agency_id")
    with op.batch_alter_table("annual_report_text") as batch_op:
        batch_op.drop_constraint("uq_annual_report_text_agency_year", type_="unique")
        batch_op.create_unique_constraint("annual_report_text_year_key", ["year"])
        batch_op.drop_column("agency_id")
