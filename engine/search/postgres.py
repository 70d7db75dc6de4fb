"""The index on PostgreSQL: tsvector columns written from our own tokens, GIN-indexed.

The value is a tsvector literal built here rather than by `to_tsvector`: the text-search parser
would re-cut tokens such as `v1.2` and give other positions than the query's. PostgreSQL keeps
positions up to 16,383 and 256 per token; beyond them a phrase can be missed (a single word never).
"""

from sqlalchemy import bindparam, cast
from sqlalchemy.dialects.postgresql import TSQUERY

MAX_POSITION = 16383
MAX_POSITIONS = 256

DDL = [
    "CREATE INDEX ix_search_document_body ON search_document USING gin (body)",
    "CREATE INDEX ix_search_document_head ON search_document USING gin (head)",
    "CREATE INDEX ix_search_instance_body ON search_instance USING gin (body)",
]


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def value(fields: list[list[str]]) -> str:
    """A tsvector literal of the fields' tokens, one position apart inside a field, two between."""
    positions: dict[str, list[int]] = {}
    at = 0
    for tokens in fields:
        for token in tokens:
            at += 1
            kept = positions.setdefault(token, [])
            if len(kept) < MAX_POSITIONS and (not kept or kept[-1] < MAX_POSITION):
                kept.append(min(at, MAX_POSITION))
        at += 1  # a phrase never runs from the title into the text
    return " ".join(f"{_quote(t)}:{','.join(map(str, p))}" for t, p in positions.items())


def query_text(phrases, column: str) -> str:
    """The tsquery literal (for any `column`): each phrase's tokens at consecutive positions, all
    phrases required."""
    parts = []
    for phrase in phrases:
        quoted = [_quote(t) for t in phrase.tokens]
        if phrase.prefix:
            quoted[-1] += ":*"
        parts.append("(" + " <-> ".join(quoted) + ")")
    return " & ".join(parts)


def match(table, column: str, name: str):
    """SQL: the row's `column` holds every phrase (bind `name` to `query_text(phrases, column)`)."""
    return table.c[column].op("@@")(cast(bindparam(name), TSQUERY))


def before_rebuild(connection) -> None:
    """Empty the tables and drop their GIN indexes: building an index once beats updating it per row."""
    connection.exec_driver_sql("TRUNCATE search_document, search_instance")
    for statement in DDL:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {statement.split()[2]}")


def after_rebuild(connection) -> None:
    connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
    for statement in DDL:
        connection.exec_driver_sql(statement)
    connection.exec_driver_sql("ANALYZE search_document")
    connection.exec_driver_sql("ANALYZE search_instance")
