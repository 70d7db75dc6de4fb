"""Browser sessions kept on the server: started at login, ended by logout, by idle or absolute
expiry, and all at once when the password changes or the account is disabled.

The cookie carries a random key; the table keeps its sha256, so a copied cookie dies with its row.
Rows of ended and expired sessions are deleted by the workers' periodic `purge`.
"""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select, update

from engine import clock
from engine.db import reading, transaction
from engine.models import UserSession

IDLE = timedelta(hours=2)
ABSOLUTE = timedelta(hours=12)
# Writing last_seen on every page would make each read a write: once a minute is exact enough.
TOUCH_EVERY = timedelta(minutes=1)
# A purge deletes this many rows per transaction, and stops after so many rounds: the periodic
# thread never holds a long lock, and what is left goes at the next run.
PURGE_BATCH = 1000
PURGE_ROUNDS = 20


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user_id: int) -> str:
    """Open a session for the user; return the key the cookie carries."""
    key = secrets.token_urlsafe(32)
    with transaction() as s:
        s.add(UserSession(user_id=user_id, key_hash=_hash(key)))
    return key


def resume(key: str | None) -> int | None:
    """The user id of a live session; None for an unknown, ended or expired one (ended now)."""
    if not key or not isinstance(key, str):
        return None
    now = clock.now()
    with reading() as s:
        row = s.scalar(select(UserSession).where(UserSession.key_hash == _hash(key)))
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > IDLE or now - row.created_at > ABSOLUTE:
        _end(UserSession.id == row.id, "expired", now)
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        with transaction() as s:
            s.execute(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
    return row.user_id


def end(key: str | None, reason: str = "logout") -> None:
    if key and isinstance(key, str):
        _end(UserSession.key_hash == _hash(key), reason, clock.now())


def end_all(session, user_id: int, reason: str) -> int:
    """End every open session of a user inside the caller's transaction; return how many."""
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                       UserSession.ended_at.is_(None))
                             .values(ended_at=clock.now(), end_reason=reason))
    return result.rowcount


def _end(condition, reason: str, now) -> None:
    with transaction() as s:
        s.execute(update(UserSession).where(condition, UserSession.ended_at.is_(None))
                  .values(ended_at=now, end_reason=reason))


def purge(batch: int = PURGE_BATCH, rounds: int = PURGE_ROUNDS) -> int:
    """Delete the rows of ended and expired sessions (periodic), in batches; return how many went."""
    gone = 0
    for _ in range(rounds):
        now = clock.now()
        dead = or_(UserSession.ended_at.isnot(None), UserSession.last_seen_at < now - IDLE,
                   UserSession.created_at < now - ABSOLUTE)
        with transaction() as s:
            ids = s.scalars(select(UserSession.id).where(dead).order_by(UserSession.id).limit(batch)).all()
            if ids:
                s.execute(delete(UserSession).where(UserSession.id.in_(ids), dead))
        gone += len(ids)
        if len(ids) < batch:
            break
    return gone
