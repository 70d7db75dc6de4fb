"""The `workplan_supervision_notice` service operation: the 督办单 sent after a missed deadline,
its Word file, and its delivery as the office records it (method and day, as for a request's notices)."""

from sqlalchemy import func, select

from engine import audit, clock, delivery, letter_style
from engine.calendar import SHANGHAI
from engine.config import current
from engine.db import reading, transaction
from engine.errors import NotFound
from engine.models import Department, WorkPlan, WorkPlanNotice, WorkPlanTask, WorkPlanUnit
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
        task, today = s.get(WorkPlanTask, unit.task_id), clock.today()
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


def _notice_for(session, actor, notice_id) -> tuple[WorkPlanNotice, WorkPlanUnit]:
    """The 督办单 and its lead unit, for whoever may see its task (else: no such notice)."""
    notice = session.get(WorkPlanNotice, notice_id)
    unit = session.get(WorkPlanUnit, notice.unit_id) if notice is not None else None
    if unit is None:
        raise NotFound("没有该督办单 (no such supervision notice)")
    access.task_for(session, actor, unit.task_id)
    return notice, unit


def notice_docx(actor, notice_id: int) -> tuple[str, bytes]:
    """The 督办单 as a Word document to print, sign and seal, for whoever may see its task."""
    with reading() as s:
        notice, _unit = _notice_for(s, actor, notice_id)
        return f"{notice.number}.docx", letter_style.render(notice.text)


def record_delivery(actor, notice_id: int, body: dict) -> dict:
    """The office records how and when the 督办单 reached the department: not before it was
    issued, not in the future. The department sees it on its task; it records nothing itself."""
    with transaction() as s:
        notice, unit = _notice_for(s, actor, notice_id)
        access.require_office(actor)
        body = body if isinstance(body, dict) else {}
        method = delivery.check_method(body.get("delivery_method"))
        on = delivery.check_date(body.get("delivered_on"), notice.issued_at.astimezone(SHANGHAI).date(),
                                 "不能早于督办单发出之日 (not before the notice was issued)")
        notice.delivery_method, notice.delivered_on, notice.delivered_by = method, on, actor.username
        audit.record(s, "workplan_notice_delivered", actor=actor, notice_id=notice.id, unit_id=unit.id,
                     task_id=unit.task_id, method=method, delivered_on=on.isoformat())
        return {**notice_dict(notice), "task_id": unit.task_id}


def notice_dict(notice, department=None) -> dict:
    return {"id": notice.id, "number": notice.number, "text": notice.text, "department": department,
            "issued_at": notice.issued_at.isoformat(), "docx_url": f"/api/workplans/notices/{notice.id}.docx",
            "delivery_method": notice.delivery_method,
            "delivery_method_name": delivery.METHOD_NAMES.get(notice.delivery_method),
            "delivered_on": notice.delivered_on.isoformat() if notice.delivered_on else None,
            "delivered_by": notice.delivered_by}
