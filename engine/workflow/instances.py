"""Start, show and cancel process instances; running them is `transition`'s job.

Starting inserts the instance row and hands the new workflow to `transition.begin`, which runs it
to its first wait state under the transition budget in the caller's transaction.
"""

from sqlalchemy import insert, select, update
from sqlalchemy.orm import make_transient_to_detached

from engine import access, audit, clock, users
from engine.db import reading, transaction
from engine.errors import Conflict, Invalid
from engine.models import HumanTask, Incident, Outbox, ProcessInstance, Timer
from engine.search import index as search
from engine.workflow import hooks, projection, state, transition
from engine.workflow.definitions import startable_version

ACTIVE = ("running", "waiting", "error")
_INSERT = insert(ProcessInstance.__table__).returning(ProcessInstance.id)


def start(session, actor, key: str, data: dict | None = None, *, department_id=None,
          document_id=None, request_id=None, title=None, version=None) -> ProcessInstance:
    """Start the latest version of `key` (or the `version` given) inside the caller's transaction."""
    version = version or startable_version(session, key)
    workflow = state.new_workflow(version)
    data = dict(data or {})
    if actor is not None:
        data.setdefault("started_by", actor.username)
    workflow.data.update(data)
    workflow.get_tasks()[0].data.update(data)
    now = clock.now()
    values = dict(
        version_id=version.id, definition_key=key, status="running", state_json="{}",
        serializer_version=state.SERIALIZER_VERSION, lock_version=0,  # the first save makes it 1
        # The department the work belongs to: the caller's choice, the business data's, the starter's.
        department_id=department_id or users.department_id_for(session, data.get("department"))
        or getattr(actor, "department_id", None),
        started_by=getattr(actor, "id", None), document_id=document_id, request_id=request_id,
        title=title or data.get("title"), created_at=now, updated_at=now, completed_at=None,
    )
    # A plain INSERT, then the row joins the session as already persistent: the ORM's flush of
    # a new object costs more than the rest of starting the instance.
    row = ProcessInstance(id=session.connection().execute(_INSERT, values).scalar_one(), **values)
    make_transient_to_detached(row)
    session.add(row)
    search.follow_instance(session, row.id, row.title, data.get("doc_number"), new=True)
    audit.record(session, "instance_started", actor=actor, instance_id=row.id, document_id=document_id,
                 request_id=request_id, key=key, version=version.version)
    transition.begin(session, row, workflow, is_new=True)
    return row


def start_instance(actor, key: str, data: dict | None = None) -> ProcessInstance:
    """Start an instance for an API caller: admins, or a role the definition lets start it."""
    data = data or {}
    if not isinstance(data, dict):
        raise Invalid("data 必须是对象 (data must be an object)", fields={"data": ["not an object"]})
    with transaction() as s:
        version = startable_version(s, key)  # raises NotFound
        access.require(access.may_start(actor, version.starter_roles), "您无权发起此流程 (you may not start this process)")
        return start(s, actor, key, data, version=version)


def cancel(actor, instance_id: int, reason: str) -> dict:
    """Stop an instance for good (admins, with a reason): its open tasks, pending service tasks,
    timers and incidents end with it, and its domain records are told (a document is withdrawn)."""
    access.require_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写撤销原因 (give a reason)", fields={"reason": ["required"]})
    with transaction() as s:
        def change(row, workflow):
            if row.status in state.ENDED:
                raise Conflict("流程已结束，不能撤销 (the process has already ended)")
            workflow.cancel()
            now = clock.now()
            for table, open_status, values in (
                    (HumanTask, "open", {"status": "cancelled", "completed_at": now}),
                    (Outbox, "pending", {"status": "cancelled", "finished_at": now}),  # its job finds nothing to do
                    (Timer, "waiting", {"status": "done"})):
                s.execute(update(table).where(table.instance_id == row.id, table.status == open_status).values(values))
            s.execute(update(Incident).where(Incident.instance_id == row.id, Incident.resolved_at.is_(None))
                      .values(resolved_at=now, resolved_by=actor.username))
            hooks.run_after_cancel(s, row, reason)
            audit.record(s, "instance_cancelled", actor=actor, instance_id=row.id, document_id=row.document_id,
                         request_id=row.request_id, reason=reason)

        transition.end(s, instance_id, change, "cancelled")
        return {"id": instance_id, "status": "cancelled"}


def get_for(actor, instance_id: int, with_state: bool = True) -> dict:
    """Return an instance with its data and history, if `actor` may see it.

    `with_state=False` skips restoring the workflow (no `data`, no `completed_bpmn_ids`) for a
    caller that already holds them, such as the task page.
    """
    with reading() as s:
        row = access.instance_for(s, actor, instance_id)
        incidents = s.scalars(select(Incident).where(Incident.instance_id == row.id)).all()
        out = {
            "id": row.id, "status": row.status, "definition_key": row.definition_key,
            "version": row.version.version,
            "document_id": row.document_id, "request_id": row.request_id, "title": row.title,
            "created_at": row.created_at.isoformat(),
            "completed_at": row.completed_at.isoformat() if row.completed_at else None,
            "history": audit.history(s, instance_id=row.id),
            "incidents": [{"id": i.id, "bpmn_id": i.bpmn_id, "message": i.message,
                           "created_at": i.created_at.isoformat(),
                           "resolved_at": i.resolved_at.isoformat() if i.resolved_at else None}
                          for i in incidents],
            # Tries of each service task, so an admin sees a job that had to run again and why.
            "jobs": [{"bpmn_id": o.bpmn_id, "operation": o.operation, "status": o.status,
                      "attempts": o.attempts, "last_error": o.last_error}
                     for o in s.scalars(select(Outbox).where(Outbox.instance_id == row.id).order_by(Outbox.id))],
        }
        if with_state:
            workflow = state.restore(row)
            out.update(data=workflow.data | _last_data(workflow), completed_bpmn_ids=projection.completed_bpmn_ids(workflow))
        return out


def _last_data(workflow) -> dict:
    last = workflow.last_task
    return dict(last.data) if last is not None else {}
