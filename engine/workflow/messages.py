"""Deliver a BPMN message: to the instances waiting for it, or by starting a message-start process.

`POST /api/messages` and the job a send task (or message throw event) enqueues both call `deliver`.
`correlation` picks the receivers: each key must equal the waiting step's data (or the instance's
`instance_id`, `document_id`, `request_id`); without it exactly one waiting instance may receive.
"""

from functools import lru_cache

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.util import BpmnEvent
from sqlalchemy import select

from engine import access, audit
from engine.db import reading, transaction
from engine.errors import Conflict, Invalid, NotFound
from engine.models import ProcessDefinition, ProcessInstance, ProcessVersion
from engine.workflow import instances, transition
from engine.workflow.definitions import spec_for

MAX_RECEIVERS = 200
_COLUMNS = ("instance_id", "document_id", "request_id")


def deliver(actor, name, correlation=None, data=None) -> dict:
    """Deliver message `name`; return {"delivered": [...], "started": [...]} instance ids.

    `actor` None is the system (a send task's job); people must be admins.
    """
    if actor is not None:
        access.require_admin(actor)
    name, correlation, data = _checked(name, correlation, data)
    delivered = [iid for iid in _waiting(name, correlation) if _deliver_to(iid, name, correlation, data)]
    started = [] if delivered else _start_by_message(actor, name, data)
    if not delivered and not started:
        raise NotFound(f"没有流程在等待消息「{name}」(no process is waiting for message '{name}'"
                       f"{' with this correlation' if correlation else ''})")
    return {"name": name, "delivered": delivered, "started": started}


def _checked(name, correlation, data):
    errors = {}
    if not isinstance(name, str) or not name.strip():
        errors["name"] = ["请填写消息名称 (the message name is required)"]
    if correlation is not None and not isinstance(correlation, dict):
        errors["correlation"] = ["必须是对象，如 {\"request_no\": \"…\"} (must be an object)"]
    if data is not None and not isinstance(data, dict):
        errors["data"] = ["必须是对象 (must be an object)"]
    if errors:
        raise Invalid("消息有误 (invalid message)", fields=errors)
    return name.strip(), dict(correlation or {}), dict(data or {})


def _waiting(name: str, correlation: dict) -> list[int]:
    """Ids of active instances whose version can catch `name`, narrowed by the id columns."""
    with reading() as s:
        versions = [v for v in s.scalars(select(ProcessInstance.version_id).distinct()
                                         .where(ProcessInstance.status.in_(("running", "waiting"))))
                    if name in caught_messages(v)]
        if not versions:
            return []
        query = select(ProcessInstance.id).where(ProcessInstance.version_id.in_(versions),
                                                 ProcessInstance.status.in_(("running", "waiting")))
        for key in _COLUMNS:
            if key in correlation:
                column = ProcessInstance.id if key == "instance_id" else getattr(ProcessInstance, key)
                query = query.where(column == _as_int(correlation[key], key))
        ids = list(s.scalars(query.order_by(ProcessInstance.id).limit(MAX_RECEIVERS + 1)))
    if not correlation and len(ids) > 1:
        raise Invalid(f"有 {len(ids)} 个流程可能在等待消息「{name}」，请用 correlation 指明接收者 "
                      "(several processes may wait for this message: say which with a correlation)",
                      fields={"correlation": ["required when several processes wait"]})
    return ids[:MAX_RECEIVERS]


def _as_int(value, key) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Invalid(f"{key} 必须是整数 (must be an integer)", fields={"correlation": [key]}) from None


@lru_cache(maxsize=512)
def caught_messages(version_id: int) -> frozenset:
    """Names of the messages any step of a version waits for (versions never change)."""
    spec, subs = spec_for(version_id)
    return frozenset(d.name for s in [spec, *subs.values()] for t in s.task_specs.values()
                     for d in _messages(getattr(t, "event_definition", None)))


def _messages(definition):
    if isinstance(definition, MessageEventDefinition):
        yield definition
    for inner in getattr(definition, "event_definitions", None) or []:
        yield from _messages(inner)


def _deliver_to(instance_id: int, name: str, correlation: dict, data: dict) -> bool:
    """Give the message to one instance if one of its steps waits for it and correlates."""
    try:
        with transaction() as s:
            received = []

            def change(row, workflow):
                received.extend(_catch(row, workflow, name, correlation, data))

            outcome = transition.run(s, instance_id, change, on_error="incident")
            if received or outcome.incident:
                audit.record(s, "message_received", actor="messages", instance_id=instance_id,
                             document_id=outcome.row.document_id, request_id=outcome.row.request_id,
                             message=name, bpmn_id=received[0] if received else None)
            return bool(received)
    except (Conflict, NotFound):
        return False  # it moved on or ended meanwhile


def _catch(row, workflow, name, correlation, data) -> list[str]:
    tasks = [t for t in workflow.event_manager.tasks.values()
             if any(d.name == name for d in _messages(t.task_spec.event_definition))
             and _correlates(row, t.data, correlation)]
    if not tasks:
        return []
    for task in tasks:
        task.data.update(data)  # what the message carries flows on from the step that caught it
    definition = next(_messages(tasks[0].task_spec.event_definition))
    workflow.catch(BpmnEvent(definition, payload=data, correlations=dict(workflow.correlations)))
    return [t.task_spec.bpmn_id for t in tasks]


def _correlates(row, task_data: dict, correlation: dict) -> bool:
    for key, expected in correlation.items():
        if key in _COLUMNS:
            actual = row.id if key == "instance_id" else getattr(row, key)
            if str(actual) != str(expected):
                return False
        elif task_data.get(key) != expected:
            return False
    return True


def _start_by_message(actor, name: str, data: dict) -> list[int]:
    """Start the latest version of every process whose start event is this message."""
    with reading() as s:
        latest = s.execute(select(ProcessDefinition.key, ProcessVersion.id)
                           .join(ProcessVersion, ProcessVersion.definition_id == ProcessDefinition.id)
                           .where(ProcessVersion.version == ProcessDefinition.latest_version)).all()
    started = []
    for key, version_id in latest:
        if name in _start_messages(version_id):
            with transaction() as s:
                row = instances.start(s, actor, key, data)
                transition.run(s, row.id, lambda r, wf: _catch(r, wf, name, {}, data), on_error="incident")
                started.append(row.id)
    return started


@lru_cache(maxsize=512)
def _start_messages(version_id: int) -> frozenset:
    spec, _subs = spec_for(version_id)
    return frozenset(d.name for t in spec.task_specs.values() if type(t).__name__ == "StartEvent"
                     for d in _messages(getattr(t, "event_definition", None)))
