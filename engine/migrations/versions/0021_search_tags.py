"""search: on SQLite the catalogue's index holds its rows' category, year, validity and publicity as
tokens (filters intersected by FTS5); emptied here, so `schema.upgrade` fills it again

Revision ID: 0021_search_tags
Revises: 0020_law_third
Create Date: 2026-12-08 01:30:00
"""
from alembic import op

revision = "0021_search_tags"
down_revision = "0020_law_third"
branch_labels = None
depends_on = None


def _empty_sqlite_index() -> None:
    # The catalogue rows' tokens change: empty its table (the triggers off, FTS5 told at once) and
    # let schema.upgrade's fill_search_index rebuild the indexes from the documents, as after 0018
    # (the instances' index is rebuilt with it; without published documents it keeps its rows).
    if op.get_bind().dialect.name != "sqlite":
        return
    from engine.search import sqlite

    name = "search_document"
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
    op.execute(f"DELETE FROM {name}")
    op.execute(f"INSERT INTO {name}_fts({name}_fts) VALUES ('delete-all')")
    for statement in sqlite.TRIGGERS:
        if statement.startswith(f"CREATE TRIGGER {name}_"):
            op.execute(statement)


def upgrade() -> None:
    _empty_sqlite_index()


def downgrade() -> None:
    _empty_sqlite_index()
