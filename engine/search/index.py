"""Keep the indexes in step with what they index, in the caller's transaction, and rebuild them.

The catalogue's row holds a published document's public fields only (published title, number,
text, interpretation) and exists only while the document is published: publication, a change of
validity, taking down and publishing again all call `follow_document` in their own transaction.
The staff's row holds an instance's title and its document's current title and number.
"""

import time
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, delete, insert, select

from engine import calendar
from engine.db import get_engine
from engine.models import Document, ProcessInstance, SearchDocument, SearchInstance
from engine.search import postgres, segment, sqlite

DOCUMENTS, INSTANCES = SearchDocument.__table__, SearchInstance.__table__
BATCH = 2000
_DOCUMENT_COLUMNS = (Document.id, Document.status, Document.published_at, Document.published_title,
                     Document.published_doc_number, Document.published_text, Document.published_interpretation,
                     Document.published_summary,
                     Document.category, Document.publisher, Document.department_id, Document.validity,
                     Document.publicity)


def backend(connection):
    """The implementation for the connection's database (postgres or sqlite)."""
    return postgres if connection.dialect.name == "postgresql" else sqlite


def rank_key(published_at: datetime, document_id: int) -> int:
    """Newest first is this key descending: the minute of publication, then the id (unique, stable)."""
    return (int(published_at.timestamp()) // 60 << 31) | int(document_id)


def is_public(doc) -> bool:
    return doc.status == "published" and doc.published_text is not None and doc.published_at is not None


def document_row(doc, value) -> dict:
    """The catalogue row of a published document (`value` turns the fields' token strings into the
    column's value)."""
    head = [segment.token_string(doc.published_title), segment.token_string(doc.published_doc_number)]
    body = head + [segment.token_string(doc.published_summary), segment.token_string(doc.published_text),
                   segment.token_string(doc.published_interpretation)]
    tags = {"category": doc.category, "year": calendar.as_date(doc.published_at).year,
            "validity": doc.validity or "valid", "publicity": bool(doc.publicity)}
    return {"rank_key": rank_key(doc.published_at, doc.id), "document_id": doc.id, "publisher": doc.publisher,
            "department_id": doc.department_id, **tags, "head": value(head), "body": value(body, tags)}


def _insert(connection, table):
    """INSERT for `table` whose token columns take the bound token strings (`value`)."""
    return _insert_for(backend(connection), table)


@lru_cache(maxsize=8)
def _insert_for(db, table):
    # Built once per database and table: every started instance inserts a row, and building the
    # statement cost more than running it.
    return insert(table).values(head=db.column_value("head"), body=db.column_value("body"))


_DELETE_INSTANCE = delete(INSTANCES).where(INSTANCES.c.instance_id == bindparam("instance_id"))


def follow_document(session, doc) -> None:
    """Make the catalogue's row of `doc` say what the public may now see of it (or drop it)."""
    connection = session.connection()
    connection.execute(delete(DOCUMENTS).where(DOCUMENTS.c.document_id == doc.id))
    if is_public(doc):
        connection.execute(_insert(connection, DOCUMENTS), [document_row(doc, backend(connection).value)])


def instance_row(instance_id: int, titles, value) -> dict:
    fields = [segment.token_string(t) for t in dict.fromkeys(t for t in titles if t)]
    return {"instance_id": instance_id, "head": value(fields[:1]), "body": value(fields)}


def follow_instance(session, instance_id: int, *titles, new: bool = False) -> None:
    """Index an instance under its title and its document's title and number (what staff search by);
    `new`: the instance was created in this transaction, so it has no row to replace."""
    connection = session.connection()
    if not new:
        connection.execute(_DELETE_INSTANCE, {"instance_id": instance_id})
    connection.execute(_insert(connection, INSTANCES), [instance_row(instance_id, titles, backend(connection).value)])


def rebuild(progress=None) -> dict:
    """Rebuild both indexes from the database in one transaction; returns counts and seconds.
    Searches wait meanwhile (PostgreSQL) or see the old index (SQLite) until it commits."""
    with get_engine().begin() as connection:
        return rebuild_on(connection, progress)


def rebuild_on(connection, progress=None) -> dict:
    started = time.monotonic()
    db = backend(connection)
    db.before_rebuild(connection)
    documents = _rebuild_documents(connection, db.value, progress)
    instances = _rebuild_instances(connection, db.value)
    db.after_rebuild(connection)
    return {"documents": documents, "instances": instances, "seconds": time.monotonic() - started}


def _batches(connection, query, key):
    """The rows of `query` in batches by `key` (its first column), without holding a cursor open."""
    last = 0
    while rows := connection.execute(query.where(key > last).order_by(key).limit(BATCH)).all():
        yield rows
        last = rows[-1][0]


def _rebuild_documents(connection, value, progress) -> int:
    done = 0
    public = (Document.status == "published") & Document.published_text.is_not(None) & Document.published_at.is_not(None)
    db = backend(connection)
    for rows in _batches(connection, select(*_DOCUMENT_COLUMNS).where(public), Document.id):
        db.bulk_insert(connection, DOCUMENTS, [document_row(r, value) for r in rows])
        done += len(rows)
        if progress:
            progress(done)
    return done


def _rebuild_instances(connection, value) -> int:
    done = 0
    columns = (ProcessInstance.id, ProcessInstance.title, Document.title, Document.doc_number)
    query = select(*columns).outerjoin(Document, Document.id == ProcessInstance.document_id)
    for rows in _batches(connection, query, ProcessInstance.id):
        backend(connection).bulk_insert(connection, INSTANCES, [instance_row(r[0], r[1:], value) for r in rows])
        done += len(rows)
    return done
