"""Work-plan lookups for a caller: plans, tasks and lead units, by the rule in `engine.access`
(the office sees everything; a department the tasks it leads or assists). Every lookup in
`workplan` goes through here.
"""

from sqlalchemy import select

from engine import access
from engine.errors import Forbidden, NotFound
from engine.models import WorkPlan, WorkPlanTask, WorkPlanUnit

is_office = access.is_gongkai_office
visible_task_ids = access.workplan_task_ids


def require_office(actor) -> None:
    if not is_office(actor):
        raise Forbidden("仅政务公开办可以进行此操作 (the 政务公开 office only)")


def plan_for(session, actor, plan_id: int) -> WorkPlan:
    plan = session.get(WorkPlan, plan_id)
    if plan is None:
        raise NotFound("没有该工作要点 (no such plan)")
    ids = visible_task_ids(actor)
    if ids is not None and session.scalar(
            select(WorkPlanTask.id).where(WorkPlanTask.plan_id == plan_id, WorkPlanTask.id.in_(ids)).limit(1)) is None:
        raise NotFound("没有该工作要点 (no such plan)")
    return plan


def task_for(session, actor, task_id: int) -> WorkPlanTask:
    task = session.get(WorkPlanTask, access.as_id(task_id))
    if task is None or not access.may_see_workplan_task(session, actor, task.id):
        raise NotFound("没有该任务 (no such task)")
    return task


def lead_unit_for(session, actor, task_id: int, department_id=None) -> WorkPlanUnit:
    """The lead unit of `task_id` the actor reports for (their own department) or, for the office,
    the one of `department_id` (or the only one)."""
    task_for(session, actor, task_id)
    query = select(WorkPlanUnit).where(WorkPlanUnit.task_id == task_id, WorkPlanUnit.kind == "lead")
    if not is_office(actor):
        query = query.where(WorkPlanUnit.department_id == actor.department_id)
    elif department_id is not None:
        query = query.where(WorkPlanUnit.department_id == department_id)
    found = session.scalars(query.order_by(WorkPlanUnit.id)).all()
    if not found:
        raise Forbidden("本单位不是该任务的牵头单位 (your department does not lead this task)")
    return found[0]
