"""Notifications to staff: the `notify` service operation and reading one's notifications."""

from sqlalchemy import func, select, update

from engine import access, clock
from engine.db import reading, transaction
from engine.models import Notification, User
from engine.workflow.operations import operation


@operation("notify")
def notify(ctx) -> dict:
    """Notify the users holding `role` in the instance's department (or one `username`).

    Params: role, message, optional username. Idempotent: one notification per user per task.
    """
    role, username = ctx.params.get("role"), ctx.params.get("username")
    message = str(ctx.params.get("message") or "您有新的待办事项")
    with transaction() as s:
        recipients = _recipients(s, role, username, ctx.department_id)
        for user in recipients:
            key = f"outbox:{ctx.outbox_id}:{user.id}"
            if s.scalar(select(Notification.id).where(Notification.dedupe_key == key)) is None:
                s.add(Notification(user_id=user.id, instance_id=ctx.instance_id, message=message,
                                   kind=str(ctx.params.get("kind") or "info"), dedupe_key=key))
        return {"notified": sorted(u.username for u in recipients)}


def _recipients(session, role, username, department_id) -> list[User]:
    if username:
        return list(session.scalars(select(User).where(User.username == username, User.active.is_(True))))
    users = session.scalars(select(User).where(User.active.is_(True))).all()
    return [u for u in users if access.holds_role(u, role, department_id)]


def for_user(actor, unread_only=False, limit=50) -> list[dict]:
    with reading() as s:
        query = select(Notification).where(Notification.user_id == actor.id)
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        rows = s.scalars(query.order_by(Notification.id.desc()).limit(limit))
        return [{"id": n.id, "message": n.message, "kind": n.kind, "instance_id": n.instance_id,
                 "created_at": n.created_at.isoformat(), "read": n.read_at is not None} for n in rows]


def unread_count(actor) -> int:
    with reading() as s:
        return s.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == actor.id, Notification.read_at.is_(None)))


def mark_all_read(actor) -> int:
    """Mark the actor's unread notifications read; return how many there were."""
    with transaction() as s:
        result = s.execute(update(Notification.__table__).where(
            Notification.user_id == actor.id, Notification.read_at.is_(None)).values(read_at=clock.now()))
        return result.rowcount
