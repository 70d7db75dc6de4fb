"""The index on SQLite: an FTS5 table per index table, over the token strings, kept by triggers.

The rows hold the tokens separated by spaces; FTS5's unicode61 tokenizer splits them back as they
were (bigrams, words), with positions, so phrase queries are exact. The FTS5 table reads its content
from the row (external content), and the triggers below keep it in step on every insert and delete.
"""

from contextlib import nullcontext

from sqlalchemy import bindparam, literal_column, select
from sqlalchemy import table as sql_table

SEPARATOR = "\ue000"  # a token no query can contain: a phrase never runs from the title into the text


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
TRIGGERS = [statement for table, key in KEYS.items() for statement in _triggers(table, key)]
DDL = [statement for table, key in KEYS.items() for statement in _fts(table, key)] + TRIGGERS
DROP = [f"DROP TABLE IF EXISTS {t}_fts" for t in KEYS]


def value(fields: list[list[str]]) -> str:
    return f" {SEPARATOR} ".join(" ".join(tokens) for tokens in fields)


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
