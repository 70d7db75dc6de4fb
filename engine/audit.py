"""The audit trail: every claim, release, completion, deploy, migration, retry and login."""

from sqlalchemy import insert, or_, select

from engine import clock
from engine.models import AuditEvent

# Built once: constructing a statement costs several times more than executing it, and every
# transition writes one event. Parameters go in per call. `inline()`: nobody reads the new id, so
# no RETURNING for SQLAlchemy to add and unpack.
_INSERT = insert(AuditEvent.__table__).inline()


def record(session, action, actor=None, instance_id=None, task_id=None, document_id=None,
           request_id=None, **detail):
    """Add one audit event to `session` (committed with the caller's transaction)."""
    session.connection().execute(_INSERT, {
        "at": clock.now(), "action": action, "actor_id": getattr(actor, "id", None),
        "actor_name": getattr(actor, "username", None) or (actor if isinstance(actor, str) else None),
        "instance_id": instance_id, "task_id": task_id, "document_id": document_id,
        "request_id": request_id, "detail": detail,
    })


def history(session, instance_id=None, document_id=None, request_id=None, limit=500) -> list[dict]:
    """Return the events of an instance (and its document or request), oldest first."""
    clauses = []
    if instance_id is not None:
        clauses.append(AuditEvent.instance_id == instance_id)
    if document_id is not None:
        clauses.append(AuditEvent.document_id == document_id)
    if request_id is not None:
        clauses.append(AuditEvent.request_id == request_id)
    if not clauses:
        return []
    rows = session.scalars(select(AuditEvent).where(or_(*clauses)).order_by(AuditEvent.id).limit(limit))
    return [as_dict(e) for e in rows]


def as_dict(event: AuditEvent) -> dict:
    return {
        "at": event.at.isoformat(), "action": event.action, "actor": event.actor_name,
        "instance_id": event.instance_id, "task_id": event.task_id, "detail": event.detail or {},
    }
