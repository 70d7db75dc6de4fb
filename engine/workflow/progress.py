"""What the system is doing for one instance right now, for pages that poll: the step a worker
holds (and since when), and an unresolved incident told in plain words to the people who follow
the case, not only to the admin."""

from sqlalchemy import select

from engine import clock
from engine.models import Incident, Outbox

# Steps a person waits for, in words; reminders (`notify`) run beside the work and are not shown.
WORK_NAMES = {"deidentify": "去标识化处理", "publish": "发布", "email_reply": "发送答复邮件",
              "deidentify_reply": "答复材料去标识化处理",
              "notify_taken_down": "通知推送渠道撤下"}
QUIET = ("notify",)


def for_instance(session, instance_id, *, technical=False) -> dict:
    """{"working": {...} | None, "incident": {...} | None}; `technical` adds the error for admins."""
    if instance_id is None:
        return {"working": None, "incident": None}
    rows = session.scalars(select(Outbox).where(Outbox.instance_id == instance_id, Outbox.status == "pending",
                                                Outbox.operation.notin_(QUIET)).order_by(Outbox.id)).all()
    incident = session.scalar(select(Incident).where(Incident.instance_id == instance_id,
                                                     Incident.resolved_at.is_(None)).order_by(Incident.id.desc()))
    return {"working": _working(rows[0]) if rows else None,
            "incident": _incident(session, incident, technical) if incident else None}


def _name(operation: str) -> str:
    return WORK_NAMES.get(operation, "后台处理")


def _working(row) -> dict:
    return {"operation": row.operation, "name": _name(row.operation), "since": row.created_at.isoformat(),
            "seconds": max(0, int((clock.now() - row.created_at).total_seconds())), "attempts": row.attempts}


def _incident(session, incident, technical) -> dict:
    row = session.get(Outbox, incident.outbox_id) if incident.outbox_id else None
    name = _name(row.operation if row else "")
    out = {"id": incident.id, "since": incident.created_at.isoformat(),
           "message": f"系统在{name}时出错，已尝试 {row.attempts if row else 1} 次仍未成功，办理暂停。"
                      "该异常已列入管理员的待处理异常，管理员重试后会自动继续，您无需重新提交。"}
    if technical:
        out["detail"] = incident.message
    return out
