"""Remember what a create request answered, so a retried or doubled POST creates nothing twice.

The first request with a key reserves it (a committed row, unique per caller and key), runs, and
stores its response; a repeat with the same body within 24 hours gets that response again, a
repeat with another body is refused, and a repeat that arrives while the first still runs waits
for it. A request that fails releases its key, so the client can try again with the same key.

The first write transaction of the request marks the key "committed" in that same transaction: if
the response is then lost (the connection dropped before it was stored), a repeat is refused
rather than creating the thing a second time.
"""

import time
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, event, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from engine import clock
from engine.db import reading, transaction
from engine.errors import Conflict, Invalid
from engine.models import IdempotencyKey

KEEP = timedelta(hours=24)
# A reservation older than this belongs to a request whose process died: the next one takes over.
ABANDONED = timedelta(minutes=2)
WAIT_SECONDS = 30.0
MAX_KEY_LENGTH = 200
_reserved: ContextVar = ContextVar("idempotency_reserved", default=None)


@dataclass(frozen=True)
class Stored:
    status: int
    headers: dict
    body: str


def begin(scope: str, key: str, fingerprint: str) -> Stored | None:
    """Reserve `key` for this request (None: go ahead) or return the response stored for it."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Invalid("Idempotency-Key 须为 1 到 200 个字符 (must be 1-200 characters)",
                      fields={"Idempotency-Key": ["须为 1 到 200 个字符 (1-200 characters)"]})
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        if _reserve(scope, key, fingerprint):
            _reserved.set((scope, key))
            return None
        stored = _stored(scope, key, fingerprint)
        if stored is not None:
            return stored
        if time.monotonic() > deadline:
            raise Conflict("使用同一 Idempotency-Key 的请求仍在处理 (a request with this key is still running)")
        time.sleep(0.05)


def _reserve(scope, key, fingerprint) -> bool:
    try:
        with transaction() as s:
            s.add(IdempotencyKey(scope=scope, key=key, fingerprint=fingerprint, status="pending",
                                 response_headers={}))
        return True
    except IntegrityError:
        return _take_over(scope, key, fingerprint)


def _take_over(scope, key, fingerprint) -> bool:
    # The row may be expired (older than KEEP) or abandoned mid-request: then it is ours again.
    with transaction() as s:
        row = s.scalar(select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
                       .with_for_update())
        if row is None:
            return False  # released meanwhile: the next round inserts
        age = clock.now() - row.created_at
        if age > KEEP or (row.status == "pending" and age > ABANDONED):
            row.fingerprint, row.status, row.created_at = fingerprint, "pending", clock.now()
            row.response_status, row.response_headers, row.response_body = None, {}, None
            return True
        return False


def _stored(scope, key, fingerprint) -> Stored | None:
    with reading() as s:
        row = s.scalar(select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key))
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise Invalid("该 Idempotency-Key 已用于另一个请求内容 (this key was used with a different request body)",
                      fields={"Idempotency-Key": ["已用于另一个请求内容，请换一个新的键 (use a new key)"]})
    if row.status == "committed" and clock.now() - row.created_at > ABANDONED:
        raise Conflict("该请求已处理，但未能保存其响应；请查看列表 (already done; its answer was lost: check the list)")
    if row.status != "done":
        return None
    return Stored(row.response_status, dict(row.response_headers or {}), row.response_body or "")


def finish(scope: str, key: str, stored: Stored) -> None:
    """Store the response the reserved request produced (tried again if the connection dropped)."""
    _reserved.set(None)
    for attempt in range(3):
        try:
            with transaction() as s:
                row = s.scalar(select(IdempotencyKey).where(IdempotencyKey.scope == scope,
                                                            IdempotencyKey.key == key))
                if row is not None:
                    row.status, row.response_status = "done", stored.status
                    row.response_headers, row.response_body = stored.headers, stored.body
            return
        except OperationalError:  # the pool replaced the dead connection: the next try gets a new one
            if attempt == 2:
                raise


@event.listens_for(Session, "after_flush")
def _mark_committed(session, _context):
    # Runs inside the request's first write transaction, so the mark commits with what it created.
    reserved = _reserved.get()
    if reserved is None:
        return
    _reserved.set(None)
    session.connection().execute(update(IdempotencyKey).where(
        IdempotencyKey.scope == reserved[0], IdempotencyKey.key == reserved[1],
        IdempotencyKey.status == "pending").values(status="committed"))


def release(scope: str, key: str) -> None:
    """Forget a reservation whose request failed, so that the same key may be sent again.

    A key whose request already committed its work stays: a repeat must not do it twice.
    """
    _reserved.set(None)
    with transaction() as s:
        s.execute(delete(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key,
                                               IdempotencyKey.status == "pending"))


def purge() -> int:
    """Delete keys older than 24 hours (periodic)."""
    with transaction() as s:
        return s.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < clock.now() - KEEP)).rowcount
