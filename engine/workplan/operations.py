"""The `workplan_supervision_notice` service operation: the 督办单 sent after a missed deadline."""

from sqlalchemy import func, select

from engine.calendar import today_in_china
from engine.config import current
from engine.db import reading, transaction
from engine.errors import NotFound
from engine.models import Department, WorkPlan, WorkPlanNotice, WorkPlanTask, WorkPlanUnit
from engine.requests import letters
from engine.workflow.operations import operation
from engine.workplan import access


@operation("workplan_supervision_notice")
def supervision_notice(ctx) -> dict:
    """Issue the 督办单 to the lead department; idempotent: one letter per service-task job."""
    key = f"outbox:{ctx.outbox_id}"
    with transaction() as s:
        existing = s.scalar(select(WorkPlanNotice).where(WorkPlanNotice.dedupe_key == key))
        if existing is not None:
            return {"notice_id": existing.id, "number": existing.number}
        unit = s.get(WorkPlanUnit, int(ctx.params["unit_id"]))
        task, today = s.get(WorkPlanTask, unit.task_id), today_in_china()
        plan, dept = s.get(WorkPlan, task.plan_id), s.get(Department, unit.department_id)
        issued = s.scalar(select(func.count()).select_from(WorkPlanNotice)) or 0
        number = f"督办〔{today.year}〕{issued + 1}号"
        s.add(WorkPlanNotice(unit_id=unit.id, number=number, dedupe_key=key,
                             text=letter(number, dept.name, plan, task, today, current().agency_name)))
        unit.supervised_on = today
        s.flush()
        return {"number": number}


def letter(number, department, plan, task, today, agency) -> str:
    """The 督办单's text, laid out like the other letters (agency, title, number; body; signature):
    who, which task, which deadline passed, and by when to answer."""
    due = task.due_on.strftime("%Y年%m月%d日") if task.due_on else f"{plan.year}年年底"
    return "\n".join([
        f"{agency}（政务公开办）", "政务公开工作督办单", f"（{number}）", "", f"{department}：",
        f"    根据《{plan.title}》，你单位牵头的以下任务已超过完成时限（{due}），至今未办结："
        f"“{task.text[:300]}”",
        "    请于收到本督办单之日起5个工作日内落实，并通过系统报送办理情况及佐证材料。",
        "", f"{agency}（政务公开办）", today.strftime("%Y年%m月%d日")])


def notice_docx(actor, notice_id: int) -> tuple[str, bytes]:
    """The 督办单 as a Word document to print, sign and seal, for whoever may see its task."""
    with reading() as s:
        notice = s.get(WorkPlanNotice, notice_id)
        unit = s.get(WorkPlanUnit, notice.unit_id) if notice is not None else None
        if unit is None:
            raise NotFound("没有该督办单 (no such supervision notice)")
        access.task_for(s, actor, unit.task_id)
        return f"{notice.number}.docx", letters.to_docx(notice.text)
