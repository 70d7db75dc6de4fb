"""Ask the indexes: the catalogue's ranked page with its total, and the staff's instance matches.

Order: the documents whose title or number holds every term come first, then the rest (the terms
in the text); newest first inside each; ties broken by id, so paging never repeats or skips one.
Each part is read newest first and stops at the page's end, so a word in every document costs a
page, not a sort of all of them; the total is counted up to TOTAL_CAP (beyond it the answer says
"more than", `total_exact` false: counting a million matches would cost more than the page).
"""

from sqlalchemy import select

from engine.search import postgres, segment, sqlite
from engine.search.index import INSTANCES, backend

MAX_LIMIT = 100
TOTAL_CAP = 200


def catalogue(session, q: str | None, filters=(), limit=20, offset=0, tags=None) -> dict:
    """{"ids": the page's document ids in order, "total", "total_exact", "phrases": the parsed query};
    `filters` are SQL conditions on the catalogue's rows (`index.DOCUMENTS.c`), `tags` the values
    some of its fields must equal (`index.TAGS`: category, year, validity, publicity). `total` is
    exact up to TOTAL_CAP; above it `total` is TOTAL_CAP and `total_exact` false."""
    connection = session.connection()
    db = backend(connection)
    limit, offset = max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))
    phrases = segment.parse(q or "")
    if (q or "").strip() and not phrases:  # only punctuation: nothing can match
        return {"ids": [], "total": 0, "total_exact": True, "phrases": []}
    filters, tags = list(filters), {k: v for k, v in (tags or {}).items() if v is not None}
    with db.index_only(connection):
        if not phrases:
            everything = db.matching(None, None, tags=tags)
            ids = db.newest(connection, filters, everything, limit, offset)
            counted = db.count(connection, filters, everything, TOTAL_CAP + 1)
        else:
            # Counted first: how many match says how to read them (`newest`'s `few`).
            body, head = ("body", db.query_text(phrases, "body")), ("head", db.query_text(phrases, "head"))
            counted = db.count(connection, filters, db.matching(*body, tags=tags), TOTAL_CAP + 1)
            in_title = db.matching(*head, tags=tags)
            few = counted <= TOTAL_CAP or db.count(connection, filters, in_title, TOTAL_CAP + 1) <= TOTAL_CAP
            in_title = db.newest(connection, filters, in_title, offset + limit, 0, few=few)
            ids = in_title[offset:]
            if len(ids) < limit:  # the title matches end on this page: the text matches follow
                rest = db.matching(*body, without=head, tags=tags)
                ids += db.newest(connection, filters, rest, limit - len(ids), max(0, offset - len(in_title)),
                                 few=counted <= TOTAL_CAP)
    return {"ids": ids, "total": min(counted, TOTAL_CAP), "total_exact": counted <= TOTAL_CAP,
            "phrases": phrases}


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

