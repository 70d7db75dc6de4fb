"""Ask the indexes: the catalogue's ranked page with its total, and the staff's instance matches.

Order: the documents whose title or number holds every term come first, then the rest (the terms
in the text); newest first inside each; ties broken by id, so paging never repeats or skips one.
"""

from sqlalchemy import case, func, select

from engine.search import postgres, segment, sqlite
from engine.search.index import DOCUMENTS, INSTANCES, backend

MAX_LIMIT = 100


def catalogue(session, q: str | None, filters=(), limit=20, offset=0) -> dict:
    """{"ids": the page's document ids in order, "total", "phrases": the parsed query}; `filters` are
    SQL conditions on the catalogue's rows (`index.DOCUMENTS.c`)."""
    connection = session.connection()
    db = backend(connection)
    phrases = segment.parse(q or "")
    if (q or "").strip() and not phrases:  # only punctuation: nothing can match
        return {"ids": [], "total": 0, "phrases": []}
    where, params, order = list(filters), {}, [DOCUMENTS.c.rank_key.desc()]
    if phrases:
        where.append(db.match(DOCUMENTS, "body", "q_body"))
        params = {"q_body": db.query_text(phrases, "body"), "q_head": db.query_text(phrases, "head")}
        order.insert(0, case((db.match(DOCUMENTS, "head", "q_head"), 0), else_=1))
    page = (select(DOCUMENTS.c.document_id).where(*where).order_by(*order)
            .limit(max(1, min(int(limit), MAX_LIMIT))).offset(max(0, int(offset))))
    with db.index_only(connection):
        ids = list(connection.execute(page, params).scalars())
        total = connection.execute(select(func.count()).select_from(DOCUMENTS).where(*where),
                                   {k: v for k, v in params.items() if k == "q_body"}).scalar_one()
    return {"ids": ids, "total": total, "phrases": phrases}


def instance_ids(dialect: str):
    """SQL: the ids of the instances whose title or document title/number holds every term of the
    bound `q_staff` (`staff_terms`); the inbox and the register combine it with their access clause."""
    db = postgres if dialect == "postgresql" else sqlite
    return select(INSTANCES.c.instance_id).where(db.match(INSTANCES, "body", "q_staff"))


def staff_terms(dialect: str, q: str) -> str | None:
    """The value of `q_staff` for `q`, or None when it has no letters (nothing can match)."""
    phrases = segment.parse(q or "")
    db = postgres if dialect == "postgresql" else sqlite
    return db.query_text(phrases, "body") if phrases else None
