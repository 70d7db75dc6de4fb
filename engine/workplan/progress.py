"""Where each task stands: done, on time, late, at risk, silent this period — per task, per
department and per section — and the year-end summary the office edits into the annual report.
"""

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, select

from engine import clock
from engine.calendar import SHANGHAI
from engine.db import reading
from engine.models import (
    Department,
    HumanTask,
    User,
    WorkPlan,
    WorkPlanNotice,
    WorkPlanReport,
    WorkPlanSection,
    WorkPlanTask,
    WorkPlanUnit,
)
from engine.workplan import STATUS_NAMES, access, deadlines, evidence, operations

AT_RISK_DAYS = 15  # a deadline this close with the task still open is flagged
FLAGS = ("done", "on_time", "late", "at_risk", "no_report")
FLAG_NAMES = {"done": "已完成", "on_time": "按时完成", "late": "逾期", "at_risk": "临近时限", "no_report": "本期未报送"}


def tasks_of(session, actor, plan) -> list[WorkPlanTask]:
    query = select(WorkPlanTask).where(WorkPlanTask.plan_id == plan.id).order_by(WorkPlanTask.position)
    ids = access.visible_task_ids(actor)
    if ids is not None:
        query = query.where(WorkPlanTask.id.in_(ids))
    return list(session.scalars(query))


def _names(session) -> dict[int, str]:
    return dict(session.execute(select(Department.id, Department.name)).all())


def unit_flags(unit, due, last_report_on, period, today, issued_on) -> set[str]:
    """The dashboard's flags for one lead unit whose deadline is `due` (the day its timers use:
    a 长期坚持 task is taken stock of at the year's end, as its escalation is).

    A report is owed for a period only if the task was issued before it began: the first report
    falls due at the start of the next period (`plans.first_report_at`).
    """
    if unit.status == "done":
        return {"done", "on_time"} if unit.completed_on is None or unit.completed_on <= due else {"done", "late"}
    flags = set()
    if due < today:
        flags.add("late")
    elif due <= today + timedelta(days=AT_RISK_DAYS):
        flags.add("at_risk")
    if issued_on < period and (last_report_on is None or last_report_on < period):
        flags.add("no_report")
    return flags


def _issued_on(plan) -> date:
    return plan.created_at.astimezone(SHANGHAI).date()


def _last_reports(session, unit_ids) -> dict:
    if not unit_ids:
        return {}
    rows = session.execute(select(WorkPlanReport.unit_id, func.max(WorkPlanReport.submitted_at))
                           .where(WorkPlanReport.unit_id.in_(unit_ids)).group_by(WorkPlanReport.unit_id)).all()
    return {unit_id: at.astimezone(SHANGHAI).date() for unit_id, at in rows}


def period_start(cycle: str, today=None) -> date:
    """The first day of the current reporting period (a month, or a quarter for P3M)."""
    today = today or clock.today()
    months = 3 if cycle == "P3M" else 1
    return date(today.year, ((today.month - 1) // months) * months + 1, 1)


def task_dicts(session, plan, tasks) -> list[dict]:
    """Each task with its units and their flags, read in a few queries whatever the plan's size."""
    ids = [t.id for t in tasks]
    units = defaultdict(list)
    for unit in session.scalars(select(WorkPlanUnit).where(WorkPlanUnit.task_id.in_(ids)).order_by(WorkPlanUnit.id)):
        units[unit.task_id].append(unit)
    last = _last_reports(session, [u.id for group in units.values() for u in group])
    context = (_names(session), last, period_start(plan.report_cycle), clock.today(), plan)
    rule_texts = {rule: deadlines.describe(rule) for rule in {t.rule for t in tasks} if rule}
    return [{**_task_dict(task, units[task.id], *context), "rule_text": rule_texts.get(task.rule)} for task in tasks]


def task_dict(session, task) -> dict:
    return task_dicts(session, session.get(WorkPlan, task.plan_id), [task])[0]


def _task_dict(task, units, names, last, period, today, plan) -> dict:
    due, issued = deadlines.effective(task.due_on, plan.year), _issued_on(plan)
    leads = [{"unit_id": u.id, "department_id": u.department_id, "department": names.get(u.department_id),
              "status": u.status, "status_name": STATUS_NAMES.get(u.status, u.status),
              "completed_on": u.completed_on, "supervised_on": u.supervised_on,
              "instance_id": u.instance_id,
              "flags": sorted(unit_flags(u, due, last.get(u.id), period, today, issued))}
             for u in units if u.kind == "lead"]
    return {"id": task.id, "plan_id": task.plan_id, "section_id": task.section_id, "task": task.text,
            "lead_units": [x["department"] for x in leads],
            "assist_units": [names.get(u.department_id) for u in units if u.kind == "assist"],
            "deadline": task.deadline_text, "due_on": task.due_on, "ongoing": task.ongoing, "note": task.note,
            "rule": task.rule, "completion_note": task.completion_note,
            "status": task.status, "status_name": STATUS_NAMES.get(task.status, task.status),
            "completed_on": task.completed_on, "leads": leads}


def task_detail(actor, task_id: int) -> dict:
    """A task with its history: every report, the office's decisions, 督办单 and linked documents."""
    with reading() as s:
        task = access.task_for(s, actor, task_id)
        out = task_dict(s, task)
        unit_ids = [x["unit_id"] for x in out["leads"]]
        names = {x["unit_id"]: x["department"] for x in out["leads"]}
        reports = s.scalars(select(WorkPlanReport).where(WorkPlanReport.unit_id.in_(unit_ids))
                            .order_by(WorkPlanReport.submitted_at, WorkPlanReport.id)).all()
        people = dict(s.execute(select(User.username, User.display_name).where(
            User.username.in_({r.submitted_by for r in reports} | {r.reviewed_by for r in reports}))).all())
        out["reports"] = [{**report_dict(r, names), "submitted_by_name": people.get(r.submitted_by, r.submitted_by),
                           "reviewed_by_name": people.get(r.reviewed_by, r.reviewed_by)} for r in reports]
        notices = s.scalars(select(WorkPlanNotice).where(WorkPlanNotice.unit_id.in_(unit_ids))
                            .order_by(WorkPlanNotice.id)).all()
        out["notices"] = [operations.notice_dict(n, names.get(n.unit_id)) for n in notices]
        out["history"] = _history(s.get(WorkPlan, task.plan_id), out)
        out["documents"] = evidence.linked_documents(s, task.id)
        out["open_steps"] = _open_steps(s, out["leads"])
        out["may_report"] = any(x["department"] == _dept_name(s, actor) for x in out["leads"])
        out["may_review"] = access.is_office(actor)
        return out


def _history(plan, task) -> list[dict]:
    """The task's events in order: issued (or recorded done at import), each report and its
    review, each 督办单 issued and delivered. Days and times as ISO strings."""
    events = [{"at": plan.created_at.isoformat(), "event": "issued", "text": "任务下达"}]
    if task["completion_note"]:
        events.append({"at": plan.created_at.isoformat(), "event": "done_at_import",
                       "text": f"导入时已完成（{task['completed_on']}）：{task['completion_note']}"})
    for r in task["reports"]:
        events.append({"at": r["submitted_at"], "event": "report", "department": r["department"],
                       "text": f"{r['department']}报送工作进展" + ("并申请销号" if r["request_completion"] else "")})
        if r["reviewed_at"]:
            events.append({"at": r["reviewed_at"], "event": "review", "department": r["department"],
                           "text": f"政务公开办审核：{REVIEW_NAMES[r['decision']]}" + (f"（{r['opinion']}）" if r["opinion"] else "")})
    for n in task["notices"]:
        events.append({"at": n["issued_at"], "event": "notice", "department": n["department"],
                       "text": f"向{n['department']}发出督办单{n['number']}"})
        if n["delivered_on"]:
            events.append({"at": n["delivered_on"], "event": "notice_delivered", "department": n["department"],
                           "text": f"督办单{n['number']}已送达（{n['delivery_method_name']}，{n['delivered_on']}）"})
    # A delivery has a day and no time: it sorts after everything else of that day.
    return sorted(events, key=lambda e: e["at"] if "T" in e["at"] else e["at"] + "T~")


REVIEW_NAMES = {"pending": "待审核", "accepted": "认可本期进展", "returned": "退回补充", "completed": "确认完成"}


def _dept_name(session, actor):
    return session.get(Department, actor.department_id).name if actor.department_id else None


def _open_steps(session, leads) -> dict:
    ids = {x["instance_id"]: x["department"] for x in leads if x["instance_id"]}
    if not ids:
        return {}
    rows = session.execute(select(HumanTask.instance_id, HumanTask.bpmn_id).where(
        HumanTask.instance_id.in_(ids), HumanTask.status == "open")).all()
    out = defaultdict(list)
    for instance_id, bpmn_id in rows:
        out[ids[instance_id]].append(bpmn_id)
    return dict(out)


def report_dict(report, names) -> dict:
    return {"id": report.id, "department": names.get(report.unit_id), "text": report.text, "evidence": report.evidence,
            "request_completion": report.request_completion, "submitted_by": report.submitted_by,
            "submitted_at": report.submitted_at.isoformat(), "decision": report.decision, "opinion": report.opinion,
            "reviewed_by": report.reviewed_by, "reviewed_at": report.reviewed_at.isoformat() if report.reviewed_at else None}


def dashboard(actor, plan_id: int) -> dict:
    """Counts per department and per top-level section, over the lead units the actor may see."""
    with reading() as s:
        plan = access.plan_for(s, actor, plan_id)
        names, today, period = _names(s), clock.today(), period_start(plan.report_cycle)
        tasks = {t.id: t for t in tasks_of(s, actor, plan)}
        units = s.scalars(select(WorkPlanUnit).where(WorkPlanUnit.task_id.in_(tasks), WorkPlanUnit.kind == "lead")).all()
        if not access.is_office(actor):
            units = [u for u in units if u.department_id == actor.department_id] or units
        last, roots = _last_reports(s, [u.id for u in units]), _roots(s, plan.id)
        by_dept, by_section, per_task = defaultdict(_counter), defaultdict(_counter), defaultdict(list)
        undelivered = _undelivered(s, units)
        for unit in units:
            task = tasks[unit.task_id]
            flags = unit_flags(unit, deadlines.effective(task.due_on, plan.year), last.get(unit.id), period, today,
                               _issued_on(plan))
            per_task[task.id].append(flags)
            bucket = by_dept[names.get(unit.department_id)]
            bucket["undelivered_notices"] += undelivered.get(unit.id, 0)
            bucket["tasks"] += 1
            for flag in flags:
                bucket[flag] += 1
        # A section counts tasks, as the plan lists them, not lead units (a task led by three
        # departments is one task): done when every lead unit is, late when any is.
        for task_id, unit_flags_list in per_task.items():
            bucket = by_section[roots.get(tasks[task_id].section_id, "")]
            bucket["tasks"] += 1
            for flag in _task_flags(unit_flags_list):
                bucket[flag] += 1
        return {"plan_id": plan.id, "year": plan.year, "title": plan.title, "period_start": period,
                "congress_ends_on": plan.congress_ends_on, "undelivered_notices": sum(undelivered.values()),
                "departments": [{"department": k, **v} for k, v in sorted(by_dept.items(), key=lambda kv: str(kv[0]))],
                "sections": [{"section": k, **v} for k, v in by_section.items()],
                "reports": _recent_reports(s, units, tasks, names)}


RECENT_REPORTS = 10


def _recent_reports(session, units, tasks, names) -> list[dict]:
    """The latest reports filed on the plan (what the office looks at first), newest first."""
    by_id = {u.id: u for u in units}
    if not by_id:
        return []
    rows = session.scalars(select(WorkPlanReport).where(WorkPlanReport.unit_id.in_(by_id))
                           .order_by(WorkPlanReport.submitted_at.desc(), WorkPlanReport.id.desc()).limit(RECENT_REPORTS))
    return [{**report_dict(r, {u: names.get(by_id[u].department_id) for u in by_id}),
             "task_id": by_id[r.unit_id].task_id, "task": tasks[by_id[r.unit_id].task_id].text[:80]} for r in rows]


def _task_flags(flag_sets: list[set]) -> set:
    every = set.intersection(*flag_sets)
    return (every & {"done", "on_time"}) | (set.union(*flag_sets) & {"late", "at_risk", "no_report"})


def _counter():
    return dict.fromkeys(("tasks", *FLAGS, "undelivered_notices"), 0)


def _undelivered(session, units) -> dict[int, int]:
    """Per lead unit: its 督办单 whose delivery is not recorded yet."""
    if not units:
        return {}
    return dict(session.execute(select(WorkPlanNotice.unit_id, func.count()).where(
        WorkPlanNotice.unit_id.in_([u.id for u in units]), WorkPlanNotice.delivered_on.is_(None))
        .group_by(WorkPlanNotice.unit_id)).all())


def _roots(session, plan_id) -> dict:
    """Each section id → the title of its top-level section."""
    sections = {x.id: x for x in session.scalars(select(WorkPlanSection).where(WorkPlanSection.plan_id == plan_id))}
    out = {}
    for sid, section in sections.items():
        while section.parent_id is not None:
            section = sections[section.parent_id]
        out[sid] = section.title
    return out


def year_summary(actor, plan_id: int) -> dict:
    """A draft for the annual report's 一、总体情况: the year's tasks by section and department."""
    access.require_office(actor)
    board = dashboard(actor, plan_id)
    count = {k: sum(x[k] for x in board["sections"]) for k in ("tasks", "done", "on_time", "late")}
    units = sum(d["tasks"] for d in board["departments"])
    late_done = count["done"] - count["on_time"]
    open_late = count["late"] - late_done  # not done and past its deadline
    not_due = count["tasks"] - count["done"] - open_late  # not done, its deadline still ahead
    lines = [f"{board['year']}年，按照《{board['title']}》，全年共分解政务公开重点任务{count['tasks']}项"
             f"（落实到牵头单位{units}项次），已完成{count['done']}项，其中按时完成{count['on_time']}项"
             + (f"、逾期完成{late_done}项" if late_done else "") + "；"
             + (f"尚未完成{count['tasks'] - count['done']}项" if count["tasks"] > count["done"] else "全部完成")
             + (f"，其中已超过完成时限{open_late}项" if open_late > 0 else "")
             + (f"，未到完成时限{not_due}项" if not_due > 0 else "") + "。"]
    for section in board["sections"]:
        lines.append(f"在“{section['section'] or '其他'}”方面，{section['tasks']}项任务已完成{section['done']}项。")
    late = [d["department"] for d in board["departments"] if d["late"]]
    if late:
        lines.append(f"{'、'.join(late)}存在逾期任务，已发出督办单督促落实。")
    return {"plan_id": board["plan_id"], "year": board["year"], "text": "\n".join(lines), "dashboard": board}
