"""What an operator watches: is the service healthy, and how much work waits where.

`health()` checks the database, Redis, the workers' heartbeats and the file store, each within a few seconds even
when one of them hangs; `snapshot()` counts the queue,
jobs, incidents, tasks, request deadlines and due timers. Counts come from the database and Redis,
never from one process's memory, so every web process reports the same figures.
"""

import logging
import threading
import time
from datetime import timedelta

from sqlalchemy import func, select, text

from engine import access, calendar, clock, queue, storage
from engine.db import reading
from engine.models import HumanTask, Incident, InformationRequest, Outbox, Timer

log = logging.getLogger(__name__)
NEAR_DEADLINE_WORKING_DAYS = 3
CLOSED_REQUESTS = ("replied", "closed", "withdrawn")
DURATION_WINDOW = timedelta(hours=1)
# A load balancer gives up after a few seconds: a check that hangs (a server that accepts the
# connection and never answers) is reported as down within this time instead of holding /healthz.
CHECK_SECONDS = 2.0


def health(timeout: float = CHECK_SECONDS) -> dict:
    """{"database", "redis", "workers", "storage": ok?}: each False with the reason in `problems`.

    The checks run side by side in threads of their own; one without an answer after `timeout`
    seconds is down. The clients' own timeouts end such a thread later (queue.ping, db's connect).
    """
    results: dict = {}
    checks = {"database": _database, "redis": _redis, "workers": _workers, "storage": _storage}
    threads = [threading.Thread(target=_run, args=(name, check, timeout, results), daemon=True,
                                name=f"gongkai-health-{name}") for name, check in checks.items()]
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    answered = dict(results)  # a check answering from now on is too late for this reply
    silent = (False, f"{timeout:g} 秒内没有回答 (no answer within {timeout:g} s)")
    outcome = {name: answered.get(name, silent) for name in checks}
    return {"ok": all(ok for ok, _ in outcome.values()), "checks": {name: ok for name, (ok, _) in outcome.items()},
            "problems": {name: problem for name, (_, problem) in outcome.items() if problem}}


def _run(name, check, timeout, results) -> None:
    try:
        ok = check(timeout)
        results[name] = (ok, None if ok else "没有心跳正常的 worker (no worker heartbeat)")
    except Exception as exc:  # any failure is the answer, not an error of the check
        results[name] = (False, f"{type(exc).__name__}: {exc}"[:300])


def _database(_timeout) -> bool:
    with reading() as s:
        return s.execute(text("SELECT 1")).scalar() == 1


def _redis(timeout) -> bool:
    return queue.ping(timeout)


def _workers(timeout) -> bool:
    return any(w["alive"] for w in queue.workers(timeout))


def _storage(_timeout) -> bool:
    storage.check()  # the data folder, or the object store's bucket (StorageError names it)
    return True


def workers_for(actor) -> dict:
    """The workers with their last heartbeat, and the jobs that needed more than one try (admins)."""
    access.require_admin(actor)
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
                .where(Outbox.status == "done", Outbox.finished_at > clock.now() - DURATION_WINDOW))],
            "open_incidents": s.scalar(select(func.count()).select_from(Incident).where(Incident.resolved_at.is_(None))),
            "tasks": s.execute(select(HumanTask.role, func.count(), func.count().filter(HumanTask.due_at < clock.now()))
                               .where(HumanTask.status == "open").group_by(HumanTask.role)).all(),
            "timers_due": s.scalar(select(func.count()).select_from(Timer)
                                   .where(Timer.status == "waiting", Timer.due_at < clock.now())),
            **_requests(s),
        }
    out["queue"] = _queue_counts()
    return out


def _requests(s) -> dict:
    today = clock.today()
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
