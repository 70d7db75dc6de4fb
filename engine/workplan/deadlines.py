"""Task deadlines: written in the plan ("7月底前"), or computed from a DMN row and the day an event
happened (财政专项扶贫资金分配使用方案: 60 working days after the people's congress session ends).

A rule task's deadline follows the plan's congress date and the row: changing either recomputes the
open tasks and moves their reminder and escalation timers through the engine's transition path.
"""

import re
from datetime import date

from sqlalchemy import select, update

from engine import audit, calendar, clock
from engine.db import transaction
from engine.errors import Invalid
from engine.models import HumanTask, ProcessInstance, WorkPlan, WorkPlanTask, WorkPlanUnit
from engine.workflow import hooks, state, timers, transition
from engine.workflow.projection import parse_when
from engine.workplan import access, rules, units

# Rules a task's deadline may follow: the DMN row's input, what it is called, what it counts from.
TASK_RULES = {"poverty_fund_plan": "财政专项扶贫资金分配使用方案"}
_RECOGNISED = {"poverty_fund_plan": re.compile(r"扶贫资金[^。；;，,]{0,6}?(?:分配|使用)[^。；;，,]{0,6}?方案")}
DUE_STEPS = ("report",)  # the user tasks whose due time is the task's deadline (dueAt = due_on)


def recognise(text: str) -> str | None:
    """The rule a task's text names, if any (the office confirms or removes it in the preview)."""
    return next((kind for kind, pattern in _RECOGNISED.items() if pattern.search(text or "")), None)


def check_rule(value, field="rule") -> str | None:
    if value in (None, ""):
        return None
    if value not in TASK_RULES:
        raise Invalid("时限规则有误 (unknown deadline rule)", fields={field: [f"one of: {', '.join(TASK_RULES)}"]})
    return value


def describe(kind: str | None, session=None) -> str | None:
    """The rule in words from its current DMN row: 财政专项扶贫资金分配使用方案：人代会结束后60个工作日内."""
    if kind is None:
        return None
    row = rules.lookup(kind, session)
    unit = "个工作日" if row.get("unit") == "working" else "天"
    return f"{TASK_RULES[kind]}：人代会结束后{row['days']}{unit}内"


def due_on(rule, congress_ends_on, deadline_text, year, session=None) -> tuple[date | None, bool]:
    """(the deadline, whether the task is ongoing): from the rule when there is one (no day until
    the congress date is recorded), else from the plan's words."""
    if rule is not None:
        return (rules.due_after(rule, congress_ends_on, session) if congress_ends_on else None), False
    return units.due_on(deadline_text, year)


def effective(due: date | None, year: int) -> date:
    # 长期坚持, or a rule still waiting for its date: the year's end is when the office takes stock.
    return due or date(year, 12, 31)


def set_congress_date(actor, plan_id: int, value) -> dict:
    """Record the day this year's 人代会 ended (or clear it); rule tasks' deadlines follow."""
    access.require_office(actor)
    day = calendar.parse_day(value, "congress_ends_on")
    with transaction() as s:
        plan = access.plan_for(s, actor, plan_id)
        plan.congress_ends_on = day
        moved = recompute(s, plan)
        audit.record(s, "workplan_congress_date", actor=actor, plan_id=plan.id,
                     congress_ends_on=day.isoformat() if day else None, moved=moved)
        return {"id": plan.id, "congress_ends_on": day, "moved": moved,
                "overdue": overdue_rule_tasks(s, plan)}


def overdue_rule_tasks(session, plan) -> list[dict]:
    """Open rule tasks whose computed deadline has already passed: their escalation (督办) goes out
    at once, so the office is told which ones when it records the date."""
    today = clock.today()
    rows = session.scalars(select(WorkPlanTask).where(
        WorkPlanTask.plan_id == plan.id, WorkPlanTask.rule.is_not(None), WorkPlanTask.status != "done",
        WorkPlanTask.due_on < today).order_by(WorkPlanTask.id))
    return [{"id": t.id, "task": t.text[:80], "due_on": t.due_on} for t in rows]


def set_task_rule(actor, task_id: int, value) -> dict:
    """Mark a task as following a deadline rule (or unmark it: its deadline is the plan's words again)."""
    access.require_office(actor)
    rule = check_rule(value)
    with transaction() as s:
        task = access.task_for(s, actor, task_id)
        if task.status == "done":
            raise Invalid("该任务已办结，不能再调整时限 (the task is done)", fields={"rule": ["task done"]})
        task.rule = rule
        moved = recompute(s, s.get(WorkPlan, task.plan_id), [task])
        audit.record(s, "workplan_task_rule", actor=actor, task_id=task.id, rule=rule)
        return {"id": task.id, "rule": rule, "rule_text": describe(rule, s),
                "due_on": task.due_on, "moved": moved}


def recompute(session, plan, tasks=None) -> int:
    """Give the plan's open rule tasks (or `tasks`) their deadline anew; return how many moved."""
    if tasks is None:
        tasks = session.scalars(select(WorkPlanTask).where(WorkPlanTask.plan_id == plan.id,
                                                           WorkPlanTask.rule.is_not(None))).all()
    moved = 0
    for task in tasks:
        if task.status == "done":
            continue
        due, ongoing = due_on(task.rule, plan.congress_ends_on, task.deadline_text, plan.year, session)
        if (due, ongoing) != (task.due_on, task.ongoing):
            task.due_on, task.ongoing = due, ongoing
            move(session, task, effective(due, plan.year))
            moved += 1
    return moved


def move(session, task, due: date) -> None:
    """Move the deadline of the task's open lead units: the waiting timers are re-evaluated from
    the new `due_on` in one transition each, which re-projects and reschedules them."""
    iso = due.isoformat()
    instance_ids = session.scalars(
        select(WorkPlanUnit.instance_id).join(ProcessInstance, ProcessInstance.id == WorkPlanUnit.instance_id)
        .where(WorkPlanUnit.task_id == task.id, WorkPlanUnit.kind == "lead", WorkPlanUnit.status != "done",
               ProcessInstance.status.not_in(state.ENDED))).all()
    for instance_id in instance_ids:
        transition.run(session, instance_id, lambda _row, wf: timers.set_waiting_data(wf, "due_on", iso))
        session.execute(update(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open",
                                                HumanTask.bpmn_id.in_(DUE_STEPS)).values(due_at=parse_when(iso)))


@hooks.after_decision_saved(rules.FILE)
def table_changed(session, _actor) -> None:
    """The office edited the rows: every plan with a congress date recomputes its rule tasks."""
    session.flush()
    for plan in session.scalars(select(WorkPlan).where(WorkPlan.congress_ends_on.is_not(None))).all():
        recompute(session, plan)
