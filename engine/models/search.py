"""The catalogue's and the staff's full-text indexes (engine/search): one row per indexed item.

`head` (title and document number) and `body` (all of its indexed text, head included) hold the
tokens of `engine.search.segment`: a GIN-indexed tsvector on PostgreSQL, a space-separated string
that an FTS5 table (`<table>_fts`, kept by triggers; not a model) indexes on SQLite. The catalogue's
row keeps copies of the filters so that a search never reads the wide `document` rows.
"""

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base

SearchText = Text().with_variant(TSVECTOR(), "postgresql")


def _gin(name: str, column: str) -> Index:
    # SQLite's index is the FTS5 table the migration makes; a b-tree over the tokens would be waste.
    return Index(name, column, postgresql_using="gin").ddl_if(dialect="postgresql")


class SearchDocument(Base):
    """A published document's public fields only: never the original, never a withheld document."""

    __tablename__ = "search_document"
    __table_args__ = (_gin("ix_search_document_body", "body"), _gin("ix_search_document_head", "head"))

    # Newest first is rank_key descending: the publication minute, then the id (engine/search/rows.py).
    rank_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), unique=True)
    category: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    publisher: Mapped[str | None] = mapped_column(String(100))
    department_id: Mapped[int | None] = mapped_column(Integer)
    validity: Mapped[str] = mapped_column(String(10))
    publicity: Mapped[bool] = mapped_column(Boolean)
    head = mapped_column(SearchText, nullable=False)
    body = mapped_column(SearchText, nullable=False)


class SearchInstance(Base):
    """A process instance's title and document number, for the staff's inbox and register."""

    __tablename__ = "search_instance"
    __table_args__ = (_gin("ix_search_instance_body", "body"),)

    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), primary_key=True,
                                             autoincrement=False)
    head = mapped_column(SearchText, nullable=False)
    body = mapped_column(SearchText, nullable=False)


def described_by_models(dialect: str):
    """Alembic's `include_object` for `dialect`: leave out FTS5's own tables and the indexes made for
    the other database only (autogenerate and the schema test would report them otherwise)."""
    def include(obj, name, kind, _reflected, _compare_to) -> bool:
        if kind == "table" and name.startswith(("search_document_fts", "search_instance_fts")):
            return False
        only_for = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        return not (kind == "index" and only_for not in (None, dialect))
    return include
