"""The index on SQLite: an FTS5 table per index table, over the token strings, kept by triggers.

The rows hold the tokens separated by spaces; FTS5's unicode61 tokenizer splits them back as they
were (bigrams, words), with positions, so phrase queries are exact. The FTS5 table reads its content
from the row (external content), and the triggers below keep it in step on every insert and delete.
"""

from contextlib import nullcontext

from sqlalchemy import bindparam, func, literal_column, select
from sqlalchemy import table as sql_table

from engine.models import SearchDocument

SEPARATOR = "\ue000"  # a token no query can contain: a phrase never runs from the title into the text
TAG = "\ue001"  # begins the tokens that stand for a field's value (`tag_tokens`)


def _fts(table: str, key: str) -> list[str]:
    return [f"CREATE VIRTUAL TABLE {table}_fts USING fts5(head, body, content='{table}', content_rowid='{key}', "
            "columnsize=0)"]


def _triggers(table: str, key: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, head, body) VALUES (new.{key}, new.head, new.body); END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, head, body) VALUES ('delete', old.{key}, old.head, old.body); END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, head, body) VALUES ('delete', old.{key}, old.head, old.body); "
        f"INSERT INTO {fts}(rowid, head, body) VALUES (new.{key}, new.head, new.body); END",
    ]


KEYS = {"search_document": "rank_key", "search_instance": "instance_id"}
DOCUMENTS = SearchDocument.__table__
_FTS = sql_table("search_document_fts")
_ROWID = literal_column("search_document_fts.rowid")
TRIGGERS = [statement for table, key in KEYS.items() for statement in _triggers(table, key)]
DDL = [statement for table, key in KEYS.items() for statement in _fts(table, key)] + TRIGGERS
DROP = [f"DROP TABLE IF EXISTS {t}_fts" for t in KEYS]


def value(fields: list[str], tags: dict | None = None) -> str:
    """The fields' token strings apart, then (the body) the tokens of the fields' values (`tags`)."""
    return f" {SEPARATOR} ".join(fields + ([" ".join(tag_tokens(tags))] if tags else []))


def column_value(name: str):
    return bindparam(name)


def query_text(phrases, column: str) -> str:
    """The FTS5 query: every phrase in `column`, each one's tokens consecutive."""
    where = f"{column} : "
    return " AND ".join(where + '"' + " ".join(p.tokens) + '"' + (" *" if p.prefix else "") for p in phrases)


def match(table, column: str, name: str):
    """SQL: the row's `column` has every phrase (bind `name` to `query_text(phrases, column)`)."""
    fts = sql_table(f"{table.name}_fts")
    hits = select(literal_column("rowid")).select_from(fts).where(
        literal_column(fts.name).op("MATCH")(bindparam(name)))
    return table.c[KEYS[table.name]].in_(hits)


def bulk_insert(connection, table, rows: list[dict]) -> None:
    if rows:
        connection.execute(table.insert(), rows)


def tag_tokens(tags: dict) -> list[str]:
    """The tokens that stand for the fields' values: a character no text holds, then the field's
    letter and the value's letters and digits (`social_assistance` → "\ue001csocialassistance")."""
    return [TAG + name[0] + "".join(ch for ch in str(int(value) if isinstance(value, bool) else value).lower()
                                    if ch.isascii() and ch.isalnum())
            for name, value in tags.items()]


def matching(column: str | None, text: str | None, without=None, tags=None) -> str | None:
    """What `newest` and `count` take: the FTS5 query (`text` from `query_text`; any row when None),
    less the rows that match `without` (a (column, text) pair), with the fields equal to `tags`
    (their tokens in the body): one query, so FTS5 reads newest first and intersects the fields'
    lists itself rather than SQLite fetching and testing every row that has the words."""
    parts = [f"({text})"] if column is not None else []
    parts += [f'body : "{token}"' for token in tag_tokens(tags or {})]
    if not parts:
        return None
    query = " AND ".join(parts)
    return f"({query}) NOT ({without[1]})" if without else query


def _matches(filters, fts_query, column):
    """SELECT `column` of the catalogue's rows that match, and the key that orders them."""
    if fts_query is None:
        return select(column).where(*filters), DOCUMENTS.c.rank_key
    query = select(column).select_from(_FTS).where(literal_column(_FTS.name).op("MATCH")(
        bindparam("fts_query", fts_query)))
    if filters or column is not _ROWID:
        query = query.join(DOCUMENTS, DOCUMENTS.c.rank_key == _ROWID).where(*filters)
    return query, _ROWID


def newest(connection, filters, fts_query, limit: int, offset: int, few=False) -> list[int]:
    """The document ids of the catalogue's rows that match, newest first. FTS5 hands its matches over
    in rowid (= rank_key) order, newest first when asked, and the LIMIT stops it: a page of a word in
    every document costs the page, not all of them (`few` changes nothing here)."""
    query, key = _matches(filters, fts_query, DOCUMENTS.c.document_id)
    return list(connection.execute(query.order_by(key.desc()).limit(limit).offset(offset)).scalars())


def count(connection, filters, fts_query, cap: int) -> int:
    """How many rows match, counting no further than `cap`."""
    query, _key = _matches(filters, fts_query, _ROWID if fts_query is not None else DOCUMENTS.c.rank_key)
    return connection.execute(select(func.count()).select_from(query.limit(cap).subquery())).scalar_one()


def before_rebuild(connection) -> None:
    """Empty the tables with the triggers off: `after_rebuild` indexes all rows at once."""
    for name in KEYS:
        for suffix in ("ai", "ad", "au"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
        connection.exec_driver_sql(f"DELETE FROM {name}")


def after_rebuild(connection) -> None:
    for name in KEYS:
        connection.exec_driver_sql(f"INSERT INTO {name}_fts({name}_fts) VALUES ('rebuild')")
    for statement in TRIGGERS:
        connection.exec_driver_sql(statement)


def index_only(_connection):
    return nullcontext()  # SQLite's planner drives the FTS5 table first by itself
