"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import engine.models  # noqa: F401  (registers every table)
from engine.db import Base, get_engine
from engine.models.search import described_by_models


def test_migrations_match_the_models(settings):
    with get_engine().connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": described_by_models(conn.dialect.name)})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
