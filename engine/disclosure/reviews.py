"""Review records: append-only, signed by a named reviewer, hash-chained per document.

Each record's hash covers its fields and the previous record's hash, so changing or deleting any
record breaks the chain from that point on; each record says which digest made it (SHA-256 before the
国密 suite, SM3 after: an old chain is continued, not rewritten), and the reviewer signs its hash with
the key held for them (SM2 in the 国密 suite). `verify` says which record fails and why.
"""

import json

from sqlalchemy import func, select

from engine import crypto, signing
from engine.models import ReviewRecord, SigningKey

GENESIS = "0" * 64


def _digest(fields: dict, prev_hash: str, algorithm: str = "sha256") -> str:
    payload = json.dumps({**fields, "prev_hash": prev_hash}, ensure_ascii=False, sort_keys=True)
    return crypto.digest(payload.encode("utf-8"), algorithm)


def _fields(r: ReviewRecord) -> dict:
    return {"document_id": r.document_id, "seq": r.seq, "task_id": r.task_id, "stage": r.stage,
            "reviewer_id": r.reviewer_id, "reviewer_name": r.reviewer_name, "role": r.role,
            "decision": r.decision, "opinion": r.opinion, "ground": r.ground,
            "content_sha256": r.content_sha256, "created_at": r.created_at.isoformat(),
            **_approved_scope(r), **_made_by(r)}


def _made_by(r: ReviewRecord) -> dict:
    # Records older than the 国密 suite hashed neither key: leaving them out keeps those chains true.
    made = {"hash_algorithm": r.hash_algorithm if r.hash_algorithm != "sha256" else None,
            "signing_key_id": r.signing_key_id}
    return {k: v for k, v in made.items() if v}


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
                          attribute=attribute, prev_hash=last.record_hash if last else GENESIS,
                          hash_algorithm=crypto.DIGESTS[crypto.suite(session)])
    key = signing.key_for(session, reviewer, crypto.SIGNATURES[crypto.suite(session)])
    record.signing_key_id = key.id
    record.record_hash = _digest(_fields(record), record.prev_hash, record.hash_algorithm)
    _key, record.signature = signing.sign(session, reviewer, record.record_hash.encode())
    session.add(record)
    return record


def verify(session, document_id) -> dict:
    """Recompute the chain and check each signature; return {intact, records, broken_at (seq or None),
    problem, checked: [{seq, hash_algorithm, signed, ok, problem}]}."""
    records = session.scalars(select(ReviewRecord).where(ReviewRecord.document_id == document_id)
                              .order_by(ReviewRecord.seq)).all()
    keys = {k.id: k for k in session.scalars(select(SigningKey).where(
        SigningKey.id.in_({r.signing_key_id for r in records if r.signing_key_id})))}
    prev, checked, broken = GENESIS, [], None
    for expected_seq, r in enumerate(records, start=1):
        problem = _problem(r, expected_seq, prev, keys.get(r.signing_key_id))
        checked.append({"seq": r.seq, "stage": r.stage, "reviewer": r.reviewer_name,
                        "hash_algorithm": r.hash_algorithm, "signed": r.signature is not None,
                        "ok": problem is None, "problem": problem})
        if problem and broken is None:  # a deleted record is named by its own number
            broken = (expected_seq if r.seq != expected_seq else r.seq, problem)
        prev = r.record_hash
    return {"intact": broken is None, "records": len(records), "broken_at": broken[0] if broken else None,
            "problem": broken[1] if broken else None, "checked": checked}


def _problem(r: ReviewRecord, expected_seq: int, prev: str, key) -> str | None:
    if r.seq != expected_seq:
        return f"第 {expected_seq} 条记录缺失 (record {expected_seq} is missing)"
    if r.prev_hash != prev:
        return "与前一条记录的哈希不相连 (does not chain to the record before it)"
    if r.hash_algorithm not in ("sha256", "sm3") or _digest(_fields(r), prev, r.hash_algorithm) != r.record_hash:
        return "记录内容与其哈希不符，已被改动 (the record was changed after it was written)"
    if r.signing_key_id is None or r.signature is None:
        legacy = r.signing_key_id is None and r.signature is None and r.hash_algorithm == "sha256"
        return None if legacy else "缺少审查人签名 (the reviewer's signature is missing)"
    if key is None or key.user_id != r.reviewer_id:
        return "签名密钥不属于该审查人 (the signing key is not the reviewer's)"
    if not crypto.verify(key.algorithm, key.public_pem, r.record_hash.encode(), r.signature or ""):
        return "审查人签名无效 (the reviewer's signature does not verify)"
    return None


def as_dict(r: ReviewRecord) -> dict:
    return {**_fields(r), "channels": list(r.channels or []), "attribute": r.attribute,
            "prev_hash": r.prev_hash, "record_hash": r.record_hash, "hash_algorithm": r.hash_algorithm,
            "signed": r.signature is not None}


def for_document(session, document_id) -> list[dict]:
    rows = session.scalars(select(ReviewRecord).where(ReviewRecord.document_id == document_id)
                           .order_by(ReviewRecord.seq))
    return [as_dict(r) for r in rows]


def count(session, document_id) -> int:
    return session.scalar(select(func.count()).select_from(ReviewRecord)
                          .where(ReviewRecord.document_id == document_id))
