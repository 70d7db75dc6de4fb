"""The index on PostgreSQL: tsvector columns of our own tokens under the `simple` configuration
(no stemming, no stop words), GIN-indexed; queries are tsquery literals of the same tokens.

Our tokens are letters and digits only, separated by spaces, so the parser keeps each one whole.
PostgreSQL keeps positions up to 16,383 and 256 per token: beyond the 16,383rd character of a
document a phrase can be missed (a two-character word never: it is one token, found without them).
"""

from contextlib import contextmanager

from sqlalchemy import (
    Boolean,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    not_,
    select,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from engine.models import SearchDocument

DOCUMENTS = SearchDocument.__table__

DDL = [
    "CREATE INDEX ix_search_document_body ON search_document USING gin (body)",
    "CREATE INDEX ix_search_document_head ON search_document USING gin (head)",
    "CREATE INDEX ix_search_instance_body ON search_instance USING gin (body)",
]


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def value(fields: list[str], tags: dict | None = None) -> str:
    """The fields' tokens as one string; `column_value` makes the tsvector of it in the database.
    The parser drops any separator we could put between the fields (it reads no token that a query
    cannot also contain), so here, unlike on SQLite, a phrase may run from one field into the next.
    `tags` are not written: the row's columns answer for them, as the planner chooses."""
    return " ".join(fields)


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


def matching(column: str | None, text: str | None, without=None, tags=None):
    """What `newest` and `count` take: SQL, the row's `column` holds `text` (from `query_text`; any
    row when None), not what `without` (a (column, text) pair) says, and its fields equal `tags`."""
    fields = [DOCUMENTS.c[name] == value for name, value in (tags or {}).items()]
    words = []
    if column is not None:
        words.append(DOCUMENTS.c[column].op("@@", return_type=Boolean)(cast(literal(text), TSQUERY)))
    if without:
        words.append(not_(matching(*without)))
    if fields and words:
        # The fields first, by CASE: left to itself the planner tests the words first, reading each
        # row's tsvector out of TOAST to throw away most of them (a second, not 20 ms).
        return case((and_(*fields), and_(*words)), else_=false())
    return and_(*fields, *words) if fields or words else None


def newest(connection, filters, condition, limit: int, offset: int, few=False) -> list[int]:
    """The document ids of the catalogue's rows that match, newest first. `few`: no more than a few
    hundred rows match, so read them all through the GIN index and sort them; else (many match) the
    planner walks the rows newest first and stops at the page's end. Left to itself it guesses: a
    word absent from its statistics made it walk all 100,000 rows (5.7 s) for nothing."""
    query = select(DOCUMENTS.c.document_id).where(*filters)
    if condition is not None:
        query = query.where(condition)
    order = (DOCUMENTS.c.rank_key + 0) if few and condition is not None else DOCUMENTS.c.rank_key  # + 0: no index
    return list(connection.execute(query.order_by(order.desc()).limit(limit).offset(offset)).scalars())


def count(connection, filters, condition, cap: int) -> int:
    """How many rows match, counting no further than `cap`."""
    query = select(literal_column("1")).select_from(DOCUMENTS).where(*filters)
    if condition is not None:
        query = query.where(condition)
    return connection.execute(select(func.count()).select_from(query.limit(cap).subquery())).scalar_one()


def bulk_insert(connection, table, rows: list[dict]) -> None:
    """Insert many rows of `value`s: COPY them as text into a temporary table, then make the
    tsvectors in one INSERT … SELECT (a fifth of the time of an INSERT per row)."""
    if not rows:
        return
    columns = list(rows[0])
    load = f"{table.name}_load"
    cursor = connection.connection.driver_connection.cursor()
    text = ", ".join(f"{c}::text AS {c}" if c in ("head", "body") else c for c in columns)
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {load} ON COMMIT DROP AS "
                   f"SELECT {text} FROM {table.name} WITH NO DATA")
    with cursor.copy(f"COPY {load} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])
    made = ", ".join(f"to_tsvector('simple'::regconfig, {c})" if c in ("head", "body") else c for c in columns)
    cursor.execute(f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT {made} FROM {load}")
    cursor.execute(f"TRUNCATE {load}")


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
    (for a word in most documents, a scan took 50 times the GIN bitmap's time). And no JIT: the
    price that turns the scan off makes any plan that still holds one look dear enough to compile
    (200 ms of compiling for a 30 ms count)."""
    connection.exec_driver_sql("SET enable_seqscan = off; SET jit = off")
    try:
        yield
    finally:
        connection.exec_driver_sql("RESET enable_seqscan; RESET jit")
