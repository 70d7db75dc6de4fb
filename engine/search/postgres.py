"""The index on PostgreSQL: tsvector columns of our own tokens under the `simple` configuration
(no stemming, no stop words), GIN-indexed; queries are tsquery literals of the same tokens.

Our tokens are letters and digits only, separated by spaces, so the parser keeps each one whole.
PostgreSQL keeps positions up to 16,383 and 256 per token: beyond the 16,383rd character of a
document a phrase can be missed (a two-character word never: it is one token, found without them).
"""

from contextlib import contextmanager

from sqlalchemy import bindparam, cast, func, literal_column
from sqlalchemy.dialects.postgresql import TSQUERY

DDL = [
    "CREATE INDEX ix_search_document_body ON search_document USING gin (body)",
    "CREATE INDEX ix_search_document_head ON search_document USING gin (head)",
    "CREATE INDEX ix_search_instance_body ON search_instance USING gin (body)",
]


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def value(fields: list[list[str]]) -> str:
    """The fields' tokens as one string; `column_value` makes the tsvector of it in the database.
    The parser drops any separator we could put between the fields (it reads no token that a query
    cannot also contain), so here, unlike on SQLite, a phrase may run from one field into the next."""
    return " ".join(" ".join(tokens) for tokens in fields)


def column_value(name: str):
    """SQL for a stored column from the bound token string: PostgreSQL's parser splits it at spaces
    back into our tokens and numbers them (in C code: a tenth of the time of building it here)."""
    return func.to_tsvector(literal_column("'simple'::regconfig"), bindparam(name))


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


@contextmanager
def index_only(connection):
    """Keep the planner off a sequential scan of the index table for the statements inside: it
    prices `@@` on a row as cheap, but each row's tsvector is read out of TOAST and decompressed
    (for a word in most documents, a scan took 50 times the GIN bitmap's time)."""
    connection.exec_driver_sql("SET enable_seqscan = off")
    try:
        yield
    finally:
        connection.exec_driver_sql("RESET enable_seqscan")
