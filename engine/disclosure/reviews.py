"""Review records: append-only, signed by a named reviewer, hash-chained per document.

Each record's hash covers its fields and the previous record's hash, so changing or deleting any
record breaks the chain from that point on; `verify` says where.
"""

import hashlib
import json

from sqlalchemy import func, select

from engine.models import ReviewRecord

GENESIS = "0" * 64


def _digest(fields: dict, prev_hash: str) -> str:
    payload = json.dumps({**fields, "prev_hash": prev_hash}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _fields(r: ReviewRecord) -> dict:
    return {"document_id": r.document_id, "seq": r.seq, "task_id": r.task_id, "stage": r.stage,
            "reviewer_id": r.reviewer_id, "reviewer_name": r.reviewer_name, "role": r.role,
            "decision": r.decision, "opinion": r.opinion, "ground": r.ground,
            "content_sha256": r.content_sha256, "created_at": r.created_at.isoformat(),
            **_approved_scope(r)}


def _approved_scope(r: ReviewRecord) -> dict:
    # Records written before channels and attribute were kept hash without them; leaving the keys
    # out when empty keeps those chains verifiable.
    scope = {"channels": list(r.channels or []), "attribute": r.attribute}
    return {k: v for k, v in scope.items() if v}


def append(session, document_id, *, task_id, stage, reviewer, role, decision, opinion, ground,
           content_sha256, at, channels=(), attribute=None) -> ReviewRecord:
    """Add the next record of `document_id`'s chain inside the caller's transaction."""
    last = session.scalar(select(ReviewRecord).where(ReviewRecord.document_id == document_id)
                          .order_by(ReviewRecord.seq.desc()).limit(1))
    record = ReviewRecord(document_id=document_id, seq=(last.seq + 1) if last else 1, task_id=task_id,
                          stage=stage, reviewer_id=reviewer.id, reviewer_name=reviewer.username, role=role,
                          decision=decision, opinion=opinion or "", ground=ground,
                          content_sha256=content_sha256, created_at=at, channels=list(channels),
                          attribute=attribute,
                          prev_hash=last.record_hash if last else GENESIS)
    record.record_hash = _digest(_fields(record), record.prev_hash)
    session.add(record)
    return record


def verify(session, document_id) -> dict:
    """Recompute the chain; return {intact, records, broken_at (seq or None)}."""
    records = session.scalars(select(ReviewRecord).where(ReviewRecord.document_id == document_id)
                              .order_by(ReviewRecord.seq)).all()
    prev = GENESIS
    for expected_seq, r in enumerate(records, start=1):
        if r.seq != expected_seq or r.prev_hash != prev or _digest(_fields(r), prev) != r.record_hash:
            return {"intact": False, "records": len(records), "broken_at": r.seq}
        prev = r.record_hash
    return {"intact": True, "records": len(records), "broken_at": None}


def as_dict(r: ReviewRecord) -> dict:
    return {**_fields(r), "channels": list(r.channels or []), "attribute": r.attribute,
            "prev_hash": r.prev_hash, "record_hash": r.record_hash}


def for_document(session, document_id) -> list[dict]:
    rows = session.scalars(select(ReviewRecord).where(ReviewRecord.document_id == document_id)
                           .order_by(ReviewRecord.seq))
    return [as_dict(r) for r in rows]


def count(session, document_id) -> int:
    return session.scalar(select(func.count()).select_from(ReviewRecord)
                          .where(ReviewRecord.document_id == document_id))
