"""Run service tasks handed to workers through the outbox, with retries, incidents and a sweeper.

A job calls `run_outbox(id)`: it runs the operation outside any transaction, then resumes the
instance in one. Jobs are idempotent: a row that is no longer pending, or a task no longer
STARTED, is skipped. After the last failed try the instance shows an incident an admin can retry.
An instance's job that belongs to no task (a notice e-mailed at staff's request: `add_job`) takes
the same road — outbox row, retries, sweeper, incident, retry — and simply resumes nothing.
"""

import logging
from datetime import timedelta
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update

from engine import access, audit, clock, config, queue
from engine.db import after_commit, reading, transaction
from engine.errors import Conflict, NotFound
from engine.models import Incident, Outbox, ProcessInstance, Timer
from engine.workflow import operations, state, stranded, transition
from engine.workflow.operations import OperationContext

log = logging.getLogger(__name__)


JOB_PREFIX = "job:"  # the task_guid of an outbox row that belongs to no task


def add_job(session, instance_id: int, operation: str, params: dict, key: str, bpmn_id: str = "") -> int:
    """Hand an instance's job that no task waits for to the outbox; enqueued after commit. `key`
    names it uniquely within the instance (a second row with the same key is refused)."""
    row = Outbox(instance_id=instance_id, task_guid=f"{JOB_PREFIX}{key}"[:36], bpmn_id=bpmn_id[:100] or operation,
                 operation=operation, params=params, max_attempts=max(int(config.current().job_retries), 1))
    session.add(row)
    session.flush()
    after_commit(session, lambda oid=row.id: queue.enqueue_outbox(oid))
    return row.id


def _detached(row) -> bool:
    return row.task_guid.startswith(JOB_PREFIX)


def run_outbox(outbox_id: int) -> str:
    """Run one outbox row to completion; raise to let the queue retry. Returns what happened."""
    context = _context(outbox_id)
    if context is None:
        return "skipped"
    try:
        result = operations.get(context[0])(context[1])
        # A failure while resuming (a script after the task, a lost race) counts as a failed try
        # too: otherwise the row stays pending and the sweeper re-runs the operation forever.
        return resume(outbox_id, result if isinstance(result, dict) else {"result": result})
    except Exception as exc:
        record_failure(outbox_id, exc)
        raise


def _context(outbox_id):
    with reading() as s:
        row = s.get(Outbox, outbox_id)
        if row is None or row.status != "pending":
            return None
        instance = s.get(ProcessInstance, row.instance_id)
        data = {}
        if not _detached(row):
            task = state.restore(instance).get_task_from_id(UUID(row.task_guid))
            if task is None or task.state != TaskState.STARTED:
                return None
            data = dict(task.data)
        return row.operation, OperationContext(
            instance_id=row.instance_id, outbox_id=row.id, bpmn_id=row.bpmn_id, params=dict(row.params or {}),
            data=data, department_id=instance.department_id, document_id=instance.document_id,
            request_id=instance.request_id)


def resume(outbox_id: int, result: dict) -> str:
    """Complete the waiting service task with `result` and advance its instance."""
    with transaction() as s:
        row = s.scalar(select(Outbox).where(Outbox.id == outbox_id).with_for_update())
        if row is None or row.status != "pending":
            return "skipped"
        if _detached(row):  # nothing waits for it: the operation has recorded its own effect
            row.status, row.finished_at = "done", clock.now()
            return "done"
        instance, workflow = state.load(s, row.instance_id)
        task = workflow.get_task_from_id(UUID(row.task_guid))
        row.status, row.finished_at = "done", clock.now()
        if task is None or task.state != TaskState.STARTED:
            return "skipped"

        def change(_instance, _workflow):
            task.data[task.task_spec.result_variable] = result
            transition.step(task, task.complete)
            audit.record(s, "service_task_done", actor="worker", instance_id=instance.id,
                         document_id=instance.document_id, request_id=instance.request_id,
                         operation=row.operation, bpmn_id=row.bpmn_id)

        # A script failing after the task raises: the try counts as failed and is retried.
        outcome = transition.begin(s, instance, workflow, change)
        return "incident" if outcome.incident else "done"


def record_failure(outbox_id: int, exc: Exception) -> bool:
    """Count a failed try; after the last one open an incident. Returns True when it gave up."""
    with transaction() as s:
        row = s.scalar(select(Outbox).where(Outbox.id == outbox_id).with_for_update())
        if row is None or row.status != "pending":
            return True
        row.attempts += 1
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if isinstance(exc, WorkerLost):
            instance = s.get(ProcessInstance, row.instance_id)
            audit.record(s, "worker_lost", actor="worker", instance_id=row.instance_id,
                         document_id=instance.document_id, request_id=instance.request_id,
                         operation=row.operation, attempt=row.attempts)
        if row.attempts < row.max_attempts:
            return False
        row.status = "failed"
        what = operations.describe_failure(row.operation, row.params)
        s.add(Incident(instance_id=row.instance_id, outbox_id=row.id, bpmn_id=row.bpmn_id,
                       message=f"{what}：已尝试 {row.attempts} 次仍失败 ({row.operation}): {row.last_error}"))
        instance = s.get(ProcessInstance, row.instance_id)
        if instance.status not in state.ENDED:
            # An ended instance's job (a take-down notice) fails on its own: the incident is listed
            # and retried, but a completed procedure does not become active again.
            instance.status = "error"
        audit.record(s, "incident", actor="worker", instance_id=row.instance_id,
                     document_id=instance.document_id, request_id=instance.request_id,
                     operation=row.operation, error=row.last_error)
        return True


def retry_incident(actor, incident_id: int) -> dict:
    """Resolve an incident and run its service task again from a fresh count of tries."""
    access.require_admin(actor)
    with transaction() as s:
        incident = s.scalar(select(Incident).where(Incident.id == incident_id).with_for_update())
        if incident is None:
            raise NotFound("事件不存在 (no such incident)")
        if incident.resolved_at is not None:
            raise Conflict("该事件已处理 (incident already resolved)")
        if incident.human_task_id is not None:  # a task nobody could take: nothing to run again
            stranded.retry(s, incident)
            incident.resolved_by = actor.username
            audit.record(s, "retry", actor=actor, instance_id=incident.instance_id, incident=incident.id)
            return {"id": incident.id, "instance_id": incident.instance_id, "status": "resolved"}
        incident.resolved_at, incident.resolved_by = clock.now(), actor.username
        outbox = s.get(Outbox, incident.outbox_id) if incident.outbox_id else None
        instance = s.get(ProcessInstance, incident.instance_id)
        if outbox is not None:
            outbox.status, outbox.attempts, outbox.last_error = "pending", 0, None
            outbox.job_id = f"outbox-{outbox.id}-r{incident.id}"  # the id enqueue_outbox gives it
            after_commit(s, lambda oid=outbox.id, n=incident.id: queue.enqueue_outbox(oid, attempt=f"r{n}"))
        open_left = s.scalar(select(Incident.id).where(Incident.instance_id == instance.id,
                                                       Incident.resolved_at.is_(None), Incident.id != incident.id))
        if open_left is None and instance.status == "error":
            instance.status = "running"
        audit.record(s, "retry", actor=actor, instance_id=instance.id, document_id=instance.document_id,
                     request_id=instance.request_id, incident=incident.id)
        if outbox is None:  # a transition failed (a script, the budget): run the instance again
            s.flush()
            _rerun(s, instance)
        return {"id": incident.id, "instance_id": instance.id, "status": "retrying"}


def list_incidents(actor, open_only=True) -> list[dict]:
    access.require_admin(actor)
    with reading() as s:
        query = select(Incident).order_by(Incident.id.desc()).limit(500)
        if open_only:
            query = query.where(Incident.resolved_at.is_(None))
        return [{"id": i.id, "instance_id": i.instance_id, "bpmn_id": i.bpmn_id, "message": i.message,
                 "created_at": i.created_at.isoformat(),
                 "resolved_at": i.resolved_at.isoformat() if i.resolved_at else None} for i in s.scalars(query)]


class WorkerLost(Exception):
    """The worker running a job stopped beating (killed, machine lost): the try counts as failed."""


def sweep_outbox(grace_seconds: int | None = None) -> int:
    """Re-enqueue pending rows whose job vanished (Redis flushed) or whose worker died; return how many."""
    settings = config.current()
    grace = settings.sweep_grace if grace_seconds is None else grace_seconds
    cutoff = clock.now() - timedelta(seconds=grace)
    with reading() as s:
        pending = s.execute(select(Outbox.id, Outbox.job_id, Outbox.attempts)
                            .where(Outbox.status == "pending", Outbox.created_at < cutoff)).all()
    count = 0
    for outbox_id, job_id, attempts in pending:
        if _needs_job(outbox_id, job_id, attempts):
            new_id = queue.enqueue_outbox(outbox_id, attempt=f"s{int(clock.now().timestamp())}")
            _remember_job(outbox_id, new_id)
            count += 1
    return count


def _needs_job(outbox_id, job_id, attempts) -> bool:
    candidates = {job_id, *(f"outbox-{outbox_id}-{n}" for n in range(attempts + 1))} - {None}
    states = {candidate: queue.job_state(candidate) for candidate in candidates}
    if "alive" in states.values():
        return False
    orphaned = [candidate for candidate, found in states.items() if found == "orphaned"]
    for candidate, found in states.items():
        if found in ("orphaned", "stalled"):
            queue.discard(candidate)
    if orphaned:
        log.warning("outbox %s: worker of job %s stopped beating; running it again", outbox_id, orphaned)
        gave_up = record_failure(outbox_id, WorkerLost(
            f"执行任务的 worker 已停止心跳，任务重新执行 (the worker running job {orphaned[0]} died)"))
        return not gave_up
    return True


def _remember_job(outbox_id, job_id):
    with transaction() as s:
        row = s.get(Outbox, outbox_id)
        if row is not None:
            row.job_id, row.enqueued_at = job_id, clock.now()


def _rerun(session, instance) -> None:
    # The failed timers are re-armed; if the same step fails again, a new incident says so.
    session.execute(update(Timer).where(Timer.instance_id == instance.id, Timer.status == "failed")
                    .values(status="waiting"))
    transition.run(session, instance.id, lambda _row, wf: wf.refresh_timers(), on_error="incident")
