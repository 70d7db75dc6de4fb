"""Project a workflow's waiting work into tables: human tasks, outbox rows and timers.

Called at the end of every transition, inside its transaction. The inbox reads `human_task`, the
workers read `outbox` and the scheduler reads `timer`; none of them ever deserializes a workflow.
"""

import json
from datetime import date, datetime, time, timezone

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, insert, select, update

from engine import calendar, clock, users
from engine.calendar import SHANGHAI as TZ
from engine.models import HumanTask, Outbox, Timer, User
from engine.workflow.spiff import AsyncServiceTask
from engine.workflow.validation import form_key_of

SHANGHAI_END_OF_DAY = time(23, 59, 59)


def sync(session, row, workflow, is_new=False) -> tuple[list[int], list[datetime], int]:
    """Bring the projections in line with `workflow`; return new outbox ids, timer due times and
    how many human tasks it created."""
    new_tasks = _sync_human_tasks(session, row, workflow, is_new)
    new_outbox = _sync_outbox(session, row, workflow)
    due_times = _sync_timers(session, row, workflow) if _has_timers(workflow) else []
    return new_outbox, due_times, new_tasks


def _has_timers(workflow) -> bool:
    # Most steps of most diagrams have no timer at all: skip the timer table for them. A timer may
    # sit in any sub-process, behind an event-based gateway or inside a multiple event.
    spec = workflow.spec
    cached = getattr(spec, "_gongkai_has_timers", None)
    if cached is None:
        specs = [spec, *workflow.subprocess_specs.values()]
        cached = any(_timer_definition(getattr(t, "event_definition", None)) is not None
                     for s in specs for t in s.task_specs.values())
        spec._gongkai_has_timers = cached
    return cached


def _timer_definition(definition):
    """The timer of an event definition: itself, or the timer inside a multiple event."""
    if isinstance(definition, TimerEventDefinition):
        return definition
    for inner in getattr(definition, "event_definitions", None) or []:
        if isinstance(inner, TimerEventDefinition):
            return inner
    return None


def status_of(workflow, has_incident=False) -> str:
    if workflow.is_completed():
        return "completed"
    if has_incident:
        return "error"
    if workflow.get_tasks(state=TaskState.READY | TaskState.STARTED):
        return "running"
    return "waiting"


_OPEN_TASKS = select(HumanTask.id, HumanTask.task_guid).where(
    HumanTask.instance_id == bindparam("instance_id"), HumanTask.status == "open")
_INSERT_TASKS = insert(HumanTask.__table__).inline()  # no RETURNING: the new ids are not needed here


def _sync_human_tasks(session, row, workflow, is_new=False):
    ready = {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    open_rows = [] if is_new else session.connection().execute(_OPEN_TASKS, {"instance_id": row.id}).all()
    withdrawn = [r.id for r in open_rows if r.task_guid not in ready]
    if withdrawn:
        # Withdrawn by the flow itself (an interrupting timer, a cancelled branch).
        session.execute(update(HumanTask.__table__).where(HumanTask.id.in_(withdrawn))
                        .values(status="cancelled", completed_at=clock.now()))
    known = {r.task_guid for r in open_rows}
    new = [_human_task(session, row, task) for guid, task in ready.items() if guid not in known]
    if new:
        session.connection().execute(_INSERT_TASKS, new)
    return len(new)


def refresh_open_tasks(session, row, workflow) -> None:
    """Re-read name, lane and form of open tasks from their (new) spec, after a migration."""
    ready = {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    for task_row in session.scalars(select(HumanTask).where(
            HumanTask.instance_id == row.id, HumanTask.status == "open")):
        task = ready.get(task_row.task_guid)
        if task is not None:
            spec = task.task_spec
            task_row.name, task_row.role = spec.bpmn_name or spec.bpmn_id, spec.lane or ""
            task_row.form_key = form_key_of(spec) or task_row.form_key


def _human_task(session, row, task) -> dict:
    spec = task.task_spec
    props = (spec.extensions or {}).get("properties", {})
    engine = task.workflow.script_engine
    return dict(
        instance_id=row.id, task_guid=str(task.id), bpmn_id=spec.bpmn_id,
        name=spec.bpmn_name or spec.bpmn_id, process_key=row.definition_key, role=spec.lane or "",
        department_id=_department(session, engine, task, props.get("department")) or row.department_id,
        form_key=form_key_of(spec),
        assignee_id=_assignee(session, engine, task, props.get("assignee")),
        title=row.title, doc_number=str(task.data.get("doc_number") or "") or None,
        document_id=row.document_id, request_id=row.request_id, status="open", created_at=clock.now(),
        due_at=_due_at(engine, task, props.get("dueAt")), due_provisional=False,
    )


def _assignee(session, engine, task, expression) -> int | None:
    if not expression:
        return None
    value = engine.evaluate(task, expression)
    if value in (None, ""):
        return None
    query = select(User).where(User.id == value) if isinstance(value, int) else \
        select(User).where(User.username == str(value))
    user = session.scalar(query)
    if user is None:
        return None
    if user.out_of_office and user.substitute_id:
        return user.substitute_id
    return user.id


def _department(session, engine, task, expression) -> int | None:
    # A step may route its task to another department than the instance's (会签 by 财政局):
    # the task's `department` property is an expression giving a department's name or id.
    if not expression:
        return None
    return users.department_id_for(session, engine.evaluate(task, expression))


def _due_at(engine, task, expression) -> datetime | None:
    if not expression:
        return None
    value = engine.evaluate(task, expression)
    return parse_when(value) if value else None


def parse_when(value) -> datetime:
    """Read a due date (ISO date = end of that day in China, or an ISO datetime) as aware UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, SHANGHAI_END_OF_DAY, TZ)
    elif len(str(value)) == 10:
        moment = datetime.combine(calendar.parse_day(value, "due"), SHANGHAI_END_OF_DAY, TZ)
    else:
        moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    return moment.astimezone(timezone.utc)


def _sync_outbox(session, row, workflow) -> list[int]:
    started = [t for t in workflow.get_tasks(state=TaskState.STARTED)
               if isinstance(t.task_spec, AsyncServiceTask)]
    if not started:
        return []
    existing = set(session.scalars(select(Outbox.task_guid).where(Outbox.instance_id == row.id)))
    created = []
    for task in started:
        if str(task.id) in existing:
            continue
        params = {k: v["value"] for k, v in task.task_spec.evaluate_params(task).items()}
        outbox = Outbox(instance_id=row.id, task_guid=str(task.id), bpmn_id=task.task_spec.bpmn_id,
                        operation=task.task_spec.operation_name, params=params,
                        max_attempts=int(task.task_spec.retries or 3))
        session.add(outbox)
        session.flush()
        created.append(outbox.id)
    return created


def _sync_timers(session, row, workflow) -> list[datetime]:
    waiting = {}
    for task in workflow.event_manager.tasks.values():
        timer = _timer_definition(task.task_spec.event_definition)
        if timer is not None:
            value = timer.details(task).value
            if value:
                waiting[str(task.id)] = (_timer_element(task.task_spec, timer), _timer_due(value))
    rows = {t.task_guid: t for t in session.scalars(select(Timer).where(Timer.instance_id == row.id))}
    for guid, timer in rows.items():
        if guid not in waiting and timer.status == "waiting":
            timer.status = "done"
    for guid, (bpmn_id, due) in waiting.items():
        timer = rows.get(guid)
        if timer is None:
            session.add(Timer(instance_id=row.id, task_guid=guid, bpmn_id=bpmn_id, due_at=due))
        else:
            timer.due_at, timer.status = due, "waiting"
    return [due for _bpmn_id, due in waiting.values()]


def _timer_element(spec, timer) -> str:
    # Behind an event-based gateway the gateway waits; the timer is one of the events after it.
    if spec.event_definition is timer:
        return spec.bpmn_id
    # Spiff moves the events' definitions into the gateway's, named after each event.
    return next((out.bpmn_id for out in spec.outputs if getattr(out, "bpmn_id", None)
                 and timer.name in (out.bpmn_id, getattr(out, "bpmn_name", None))), spec.bpmn_id)


def _timer_due(value) -> datetime:
    if isinstance(value, dict):  # a cycle timer reports its next occurrence
        value = value.get("next")
    return parse_when(TimerEventDefinition.get_datetime(value) if isinstance(value, str) else value)


def thrown_messages(workflow) -> list[tuple[str, dict, dict]]:
    """Messages a send task or throw event sent that no task of this instance caught:
    (name, correlation, payload) each, delivered to other instances by a job after commit."""
    out = []
    for event in workflow.get_events():
        definition = event.event_definition
        if isinstance(definition, MessageEventDefinition):
            correlation = {k: v for values in (event.correlations or {}).values() for k, v in values.items()}
            out.append((definition.name, correlation, _plain(event.payload)))
    return out


def _plain(payload) -> dict:
    # Task data may hold dates and other values a JSON job argument cannot carry.
    return json.loads(json.dumps(payload or {}, default=str))


def completed_bpmn_ids(workflow) -> list[str]:
    """Ids of the elements an instance has passed (for highlighting the diagram)."""
    return sorted({t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.COMPLETED)
                   if getattr(t.task_spec, "bpmn_id", None)})
