"""Create or upgrade the database schema with Alembic (`gongkai init` and the tests use this)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, func, select

from engine.models import Document, SearchDocument
from engine.search import index

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest schema, then fill an empty search index."""
    command.upgrade(alembic_config(url), "head")
    fill_search_index(url)


def fill_search_index(url: str) -> None:
    """Index what is already published when the index is empty (a database just upgraded to one).

    Done here rather than in the migration that made the index: the index reads the documents'
    newest columns, which a migration in the middle of the chain does not have yet.
    """
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            published = connection.scalar(select(func.count()).select_from(Document)
                                          .where(Document.status == "published"))
            if published and not connection.scalar(select(func.count()).select_from(SearchDocument)):
                index.rebuild_on(connection)
    finally:
        engine.dispose()


def revision(url: str, message: str) -> None:
    """Autogenerate a migration from the models (developers only)."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
