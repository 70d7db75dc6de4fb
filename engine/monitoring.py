"""What an operator watches: is the service healthy, and how much work waits where.

`health()` checks the database, Redis and the workers' heartbeats; `snapshot()` counts the queue,
jobs, incidents, tasks, request deadlines and due timers. Counts come from the database and Redis,
never from one process's memory, so every web process reports the same figures.
"""

import logging
from datetime import timedelta

from sqlalchemy import func, select, text

from engine import calendar, queue, users
from engine.db import reading
from engine.models import HumanTask, Incident, InformationRequest, Outbox, Timer
from engine.models.types import utcnow

log = logging.getLogger(__name__)
NEAR_DEADLINE_WORKING_DAYS = 3
CLOSED_REQUESTS = ("replied", "closed", "withdrawn")
DURATION_WINDOW = timedelta(hours=1)


def health() -> dict:
    """{"database": ok?, "redis": ok?, "workers": ok?}: each False with the reason in `problems`."""
    checks, problems = {}, {}
    for name, check in (("database", _database), ("redis", _redis), ("workers", _workers)):
        try:
            checks[name] = check()
            if not checks[name]:
                problems[name] = "没有心跳正常的 worker (no worker heartbeat)"
        except Exception as exc:  # any failure is the answer, not an error of the check
            checks[name] = False
            problems[name] = f"{type(exc).__name__}: {exc}"[:300]
    return {"ok": all(checks.values()), "checks": checks, "problems": problems}


def _database() -> bool:
    with reading() as s:
        return s.execute(text("SELECT 1")).scalar() == 1


def _redis() -> bool:
    return bool(queue.redis().ping())


def _workers() -> bool:
    return any(w["alive"] for w in queue.workers())


def workers_for(actor) -> dict:
    """The workers with their last heartbeat, and the jobs that needed more than one try (admins)."""
    users.require_admin(actor)
    try:
        workers = queue.workers()
    except Exception as exc:  # Redis down: the page still opens and says why
        workers, error = [], f"{type(exc).__name__}: {exc}"
    else:
        error = None
    with reading() as s:
        retried = [{"outbox_id": o.id, "instance_id": o.instance_id, "bpmn_id": o.bpmn_id, "status": o.status,
                    "attempts": o.attempts, "last_error": o.last_error}
                   for o in s.scalars(select(Outbox).where(Outbox.attempts > 0, Outbox.status != "failed")
                                      .order_by(Outbox.id.desc()).limit(20))]
    return {"workers": workers, "error": error, "retried": retried}


def snapshot() -> dict:
    """The figures behind /metrics."""
    with reading() as s:
        out = {
            "outbox": s.execute(select(Outbox.operation, Outbox.status, func.count(), func.sum(Outbox.attempts))
                                .group_by(Outbox.operation, Outbox.status)).all(),
            "durations": [(op, (done - created).total_seconds()) for op, created, done in s.execute(
                select(Outbox.operation, Outbox.created_at, Outbox.finished_at)
                .where(Outbox.status == "done", Outbox.finished_at > utcnow() - DURATION_WINDOW))],
            "open_incidents": s.scalar(select(func.count()).select_from(Incident).where(Incident.resolved_at.is_(None))),
            "tasks": s.execute(select(HumanTask.role, func.count(), func.count().filter(HumanTask.due_at < utcnow()))
                               .where(HumanTask.status == "open").group_by(HumanTask.role)).all(),
            "timers_due": s.scalar(select(func.count()).select_from(Timer)
                                   .where(Timer.status == "waiting", Timer.due_at < utcnow())),
            **_requests(s),
        }
    out["queue"] = _queue_counts()
    return out


def _requests(s) -> dict:
    today = calendar.today_in_china()
    try:
        horizon = calendar.add_working_days(today, NEAR_DEADLINE_WORKING_DAYS)
    except NotImplementedError:  # no holiday table for that year yet: count calendar days
        horizon = today + timedelta(days=NEAR_DEADLINE_WORKING_DAYS + 2)
    open_with_due = (InformationRequest.status.notin_(CLOSED_REQUESTS), InformationRequest.due_on.isnot(None))
    return {
        "requests_near_deadline": s.scalar(select(func.count()).select_from(InformationRequest).where(
            *open_with_due, InformationRequest.due_on >= today, InformationRequest.due_on <= horizon)),
        "requests_overdue": s.scalar(select(func.count()).select_from(InformationRequest).where(
            *open_with_due, InformationRequest.due_on < today)),
    }


def _queue_counts() -> dict:
    try:
        q = queue.queue()
        return {"queued": q.count, "started": q.started_job_registry.count, "failed": q.failed_job_registry.count,
                "scheduled": q.scheduled_job_registry.count,
                "workers_alive": sum(w["alive"] for w in queue.workers())}
    except Exception:  # Redis down: /healthz says so; the metrics leave the queue out
        log.exception("could not read the queue")
        return {}
