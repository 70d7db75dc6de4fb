"""Hooks binding the BPMN process `workplan_task` to reports, review and sign-off.

A liaison's report is written with its evidence in the same transaction as the step; the office's
review decides it (accept, return for more, or sign the task off as done — only when the report
asked for it, so completion always needs both sides).
"""

from sqlalchemy import select

from engine import clock
from engine.errors import Invalid
from engine.models import WorkPlanReport, WorkPlanTask, WorkPlanUnit
from engine.workflow import hooks
from engine.workplan import PROCESS_KEY, evidence


@hooks.before_complete(PROCESS_KEY)
def before_complete(c: hooks.Completion) -> None:
    step = STEPS.get(c.human_task.bpmn_id)
    if step is not None:
        unit = c.session.scalar(select(WorkPlanUnit).where(WorkPlanUnit.instance_id == c.instance.id))
        step(c, unit)


def _report(c, unit):
    items = evidence.from_form(c.session, c.data)
    report = WorkPlanReport(unit_id=unit.id, text=str(c.data.get("text") or "").strip(), evidence=items,
                            request_completion=bool(c.data.get("request_completion")),
                            submitted_by=c.actor.username, submitted_at=clock.now())
    c.session.add(report)
    c.session.flush()
    evidence.link(c.session, unit.task_id, [i["id"] for i in items if i["kind"] == "document"], c.actor.username)
    c.data["report_id"] = report.id


def _review(c, unit):
    report = c.session.scalar(select(WorkPlanReport).where(WorkPlanReport.unit_id == unit.id,
                                                           WorkPlanReport.decision == "pending")
                              .order_by(WorkPlanReport.id.desc()))
    decision, opinion = c.data.get("decision"), str(c.data.get("opinion") or "").strip()
    if decision == "complete" and not (report and report.request_completion):
        raise Invalid("牵头单位尚未申请销号，不能确认完成 (the department has not reported the task done)",
                      fields={"decision": ["该报告未申请销号"]})
    if decision == "return" and not opinion:
        raise Invalid("退回时请写明需要补充的内容 (say what is missing)", fields={"opinion": ["required"]})
    if report is not None:
        report.decision = {"accept": "accepted", "return": "returned", "complete": "completed"}[decision]
        report.opinion, report.reviewed_by, report.reviewed_at = opinion, c.actor.username, clock.now()
    if decision == "complete":
        _complete(c.session, unit)


def _complete(session, unit):
    unit.status, unit.completed_on = "done", clock.today()
    task = session.get(WorkPlanTask, unit.task_id)
    open_leads = session.scalar(select(WorkPlanUnit.id).where(
        WorkPlanUnit.task_id == task.id, WorkPlanUnit.kind == "lead", WorkPlanUnit.status != "done",
        WorkPlanUnit.id != unit.id).limit(1))
    if open_leads is None:  # the last lead department signed off: the task is done
        task.status, task.completed_on = "done", unit.completed_on


STEPS = {"report": _report, "review": _review}
