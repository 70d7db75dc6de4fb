"""Load and save a workflow: state JSON without the spec, guarded by an optimistic lock.

`load` takes a row lock where the database has them (PostgreSQL); `save` bumps `lock_version`
with a conditional UPDATE, so a transition that lost a race can never overwrite the winner.
"""

import json
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from engine import clock
from engine.errors import Conflict, NotFound
from engine.models import ProcessInstance
from engine.workflow.definitions import spec_for
from engine.workflow.spiff import SERIALIZER, SERIALIZER_VERSION, script_engine

ENDED = ("completed", "cancelled")  # statuses no transition leaves


def new_workflow(version) -> BpmnWorkflow:
    spec, subs = spec_for(version.id)
    return BpmnWorkflow(spec, subs, script_engine=script_engine())


def dump(workflow: BpmnWorkflow) -> str:
    """Serialize the state of `workflow` without its spec (stored once per version)."""
    dct = SERIALIZER.to_dict(workflow)
    dct.pop("spec", None)
    dct.pop("subprocess_specs", None)
    return json.dumps(dct, separators=(",", ":"))


def restore(row: ProcessInstance) -> BpmnWorkflow:
    if row.serializer_version != SERIALIZER_VERSION:
        raise Conflict(f"实例状态格式 {row.serializer_version} 需要迁移 (state needs migration)")
    spec, subs = spec_for(row.version_id)
    dct = json.loads(row.state_json)
    converter = SERIALIZER.registry
    workflow = BpmnWorkflow(spec, subs, script_engine=script_engine(), deserializing=True)
    _restore_into(workflow, dct, converter)
    workflow.script_engine = script_engine()
    return workflow


def _restore_into(workflow, dct, registry):
    # Spiff's converter would rebuild the spec from the dict on every load; we already hold the
    # parsed spec, so we replay only the state half of BpmnWorkflowConverter.from_dict.
    conv = registry.convert_from_dict["BpmnWorkflow"].args[0].__self__  # the converter (pinned 3.2.0)
    workflow.tasks = conv.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
    workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
    conv.set_default_attributes(workflow, dct)
    conv.subprocesses_from_dict(dct["subprocesses"], workflow)
    workflow.bpmn_events = registry.restore(dct.pop("bpmn_events", []))


# The statements of every transition, built once (building one costs more than running it).
_SELECT = (select(ProcessInstance).where(ProcessInstance.id == bindparam("instance_id"))
           .options(lazyload(ProcessInstance.version)))  # the cached spec is all a transition needs
_SELECT_FOR_UPDATE = _SELECT.with_for_update(of=ProcessInstance)
_TABLE = ProcessInstance.__table__
_SAVE = (update(_TABLE)
         .where(_TABLE.c.id == bindparam("b_id"), _TABLE.c.lock_version == bindparam("b_lock_version"))
         .values({c: bindparam(c) for c in ("state_json", "serializer_version", "lock_version", "status",
                                            "updated_at", "title", "completed_at")}))


def load(session, instance_id: int, lock: bool = True) -> tuple[ProcessInstance, BpmnWorkflow]:
    row = session.scalar(_SELECT_FOR_UPDATE if lock else _SELECT, {"instance_id": instance_id})
    if row is None:
        raise NotFound("流程实例不存在 (no such process instance)")
    return row, restore(row)


def save(session, row: ProcessInstance, workflow: BpmnWorkflow, status: str) -> None:
    """Write the new state; raise Conflict when another transition saved first."""
    save_json(session, row, dump(workflow), status)


def save_json(session, row: ProcessInstance, state_json: str, status: str) -> None:
    """Write an already serialized state (a failed transition keeps the last good one)."""
    now = clock.now()
    values = {
        "state_json": state_json, "serializer_version": SERIALIZER_VERSION,
        "lock_version": row.lock_version + 1, "status": status, "updated_at": now, "title": row.title,
        "completed_at": row.completed_at or (now if status in ENDED else None),
    }
    result = session.connection().execute(_SAVE, {**values, "b_id": row.id, "b_lock_version": row.lock_version})
    if result.rowcount != 1:
        raise Conflict("该流程已被他人更新，请刷新后重试 (someone else changed this process; reload)")
    for key, value in values.items():
        # The row already holds these values: record them as loaded, or the ORM writes them again.
        set_committed_value(row, key, value)
