"""A department reports and the office reviews through the task's open BPMN step.

Both go through the one completion path (`tasks.complete`): the step's role and department decide
who may act, the hooks in `procedure` write the report and the decision.
"""

from sqlalchemy import select

from engine import access as engine_access
from engine.db import reading
from engine.errors import Conflict, Invalid
from engine.models import HumanTask
from engine.workflow import tasks
from engine.workplan import access, evidence


def _open_step(actor, task_id, bpmn_id, department_id=None) -> int:
    with reading() as s:
        unit = access.lead_unit_for(s, actor, task_id, department_id)
        step = s.scalar(select(HumanTask).where(HumanTask.instance_id == unit.instance_id,
                                                HumanTask.bpmn_id == bpmn_id, HumanTask.status == "open"))
        if step is None:
            waiting = "办公室审核" if bpmn_id == "report" else "牵头单位报送"
            raise Conflict(f"该任务当前不在此环节，正在等待{waiting} (the task is not waiting for this step)")
        # The work-plan task is seen (above); its step, given to a role, may not be this caller's: 403.
        who = "牵头单位的联络员" if bpmn_id == "report" else "政务公开办"
        engine_access.require(engine_access.may_act_on_task(actor, step) or step.claimed_by == actor.id,
                              f"只有{who}可以办理此环节 (this step is not yours)")
        return step.id


def submit_report(actor, task_id: int, data: dict, files=()) -> dict:
    """The actor's department reports progress on a task it leads (its liaison only), with
    evidence files [(name, bytes)] if any."""
    step = _open_step(actor, task_id, "report")
    token = evidence.uploading(evidence.store_uploads(files))
    try:
        return tasks.complete(actor, step, data)
    finally:
        evidence.done_uploading(token)


def review_report(actor, task_id: int, department_id, data: dict) -> dict:
    """The office accepts, returns or signs off the latest report of one lead department."""
    access.require_office(actor)
    if department_id is not None and (not isinstance(department_id, int) or isinstance(department_id, bool)):
        raise Invalid("department_id 应为单位编号 (a department id)", fields={"department_id": ["an integer"]})
    return tasks.complete(actor, _open_step(actor, task_id, "review", department_id), data)
