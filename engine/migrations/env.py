"""Alembic environment: runs the migrations in `versions/` against the configured database."""

from alembic import context

import engine.models  # noqa: F401  (registers every table on Base.metadata)
from engine.db import Base, configure
from engine.models.search import described_by_models

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = configure(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        _run(connection)
        connection.commit()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                      include_object=described_by_models(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
