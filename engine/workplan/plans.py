"""Import a plan (a preview first, then the office's corrected rows) and read it back per viewer.

Creating a plan writes its section tree, its tasks, one unit row per lead or assisting department,
and starts one `workplan_task` instance per lead department, all in one transaction.
"""

import logging
import re
from datetime import date, datetime, time

from sqlalchemy import select

from engine import audit, calendar, clock, queue, users
from engine.calendar import SHANGHAI
from engine.db import after_commit, reading, transaction
from engine.errors import Invalid
from engine.models import Department, User, WorkPlan, WorkPlanSection, WorkPlanTask, WorkPlanUnit
from engine.workflow import instances
from engine.workplan import CYCLES, PROCESS_KEY, access, deadlines, parse, progress, units

MAX_ROWS = 1000
INLINE_STARTS = 20  # lead units started within the creating request; the rest in a worker
START_JOB = "workers.jobs.start_workplan"
log = logging.getLogger(__name__)


def directory(session) -> units.Directory:
    return units.Directory(session.scalars(select(Department.name).order_by(Department.id)))


def preview(actor, *, text=None, filename=None, data=None, rows=None, year=None, congress_ends_on=None) -> dict:
    """Parse an uploaded plan or pasted text into rows for the office to correct; nothing is saved.

    Each row carries its deadline as it would be created (`due_on`, the rule it follows) and whether
    that day has passed, so the office decides about those rows before anything escalates. Given
    `rows` (the preview as corrected), only the deadlines are worked out again.
    """
    access.require_office(actor)
    congress = calendar.parse_day(congress_ends_on, "congress_ends_on")
    if rows is not None:
        year = _preview_year(year, "")
        with reading() as s:
            return {"rows": [_with_deadline(s, _checked_preview_row(i, r), year, congress) for i, r in enumerate(rows)],
                    "year": year}
    title = ""
    if data is not None:
        parsed = parse.read_file(filename, data)
    elif isinstance(text, str) and text.strip():
        parsed, title = parse.from_text(text), parse.title_of(text)
    else:
        raise Invalid("请上传文件或粘贴工作要点全文 (upload a file or paste the text)",
                      fields={"text": ["required"]})
    if not parsed:
        raise Invalid("没有识别出任务，请检查内容 (no tasks found)", fields={"text": ["no tasks found"]})
    year = _preview_year(year, text or filename or "")
    with reading() as s:
        out = parse.preview(parsed, directory(s))
        for row in out["rows"]:
            row["rule"] = deadlines.recognise(row["task"])
            _with_deadline(s, row, year, congress)
        return {**out, "year": year, "title": title}


def _preview_year(value, source) -> int:
    if value not in (None, ""):
        if isinstance(value, bool) or not str(value).isdigit() or not 2000 <= int(value) <= 2100:
            raise Invalid("年度应为2000至2100之间的整数", fields={"year": ["a year between 2000 and 2100"]})
        return int(value)
    found = re.search(r"(20\d\d)年", source)
    return int(found.group(1)) if found else clock.today().year


def _checked_preview_row(index, row) -> dict:
    if not isinstance(row, dict) or not isinstance(row.get("task", ""), str):
        raise Invalid("每行应为对象 (each row must be an object)", fields={f"rows[{index}]": ["not an object"]})
    deadlines.check_rule(row.get("rule"), f"rows[{index}].rule")
    return row


def _with_deadline(session, row, year, congress) -> dict:
    """Add the deadline the row would get: its day, its rule in words, whether it has passed."""
    due, _ongoing = deadlines.due_on(row.get("rule"), congress, str(row.get("deadline") or ""), year, session)
    row["due_on"] = due.isoformat() if due else None
    row["rule_text"] = deadlines.describe(row.get("rule"), session)
    row["deadline_passed"] = deadlines.effective(due, year) < clock.today()
    row.setdefault("overdue_choice", None)
    return row


def create(actor, body: dict) -> dict:
    """Create the plan from corrected rows; the lead departments' instances start at once for a
    small plan, and in a worker for a large one (a district's plan starts hundreds)."""
    access.require_office(actor)
    if actor.department_id is None:  # the office's reviews are offered in its own department
        raise Invalid("您的账号未设置所属部门，无法作为政务公开办下达任务 (your account has no department)")
    year, title, rows, cycle = _plan_fields(body)
    congress = calendar.parse_day(body.get("congress_ends_on"), "congress_ends_on")
    with transaction() as s:
        _add_units(s, actor, body.get("new_units"))
        checked = _checked_rows(s, rows, year, congress)
        plan = WorkPlan(year=year, title=title, report_cycle=cycle, created_by=actor.id,
                        office_department_id=actor.department_id, congress_ends_on=congress)
        s.add(plan)
        s.flush()
        sections = {}
        for position, row in enumerate(checked):
            _add_task(s, plan, _section(s, plan, sections, row["section"]), position, row)
        audit.record(s, "workplan_created", actor=actor, plan_id=plan.id, tasks=len(checked))
        if _start_pending(s, plan, INLINE_STARTS)[1]:
            plan_id = plan.id
            after_commit(s, lambda: _enqueue_start(plan_id))
        return {"id": plan.id}


def start_pending(batch: int = INLINE_STARTS) -> int:
    """Start the instances of lead units not started yet, a batch per transaction (the job's and
    the periodic sweep's work: the unit rows are the truth, so a lost job loses nothing)."""
    started = 0
    while True:
        with transaction() as s:
            plan_id = s.scalar(_PENDING.with_only_columns(WorkPlanTask.plan_id).limit(1))
            if plan_id is None:
                return started
            count, _more = _start_pending(s, s.get(WorkPlan, plan_id), batch)
        if count == 0:  # another worker holds them
            return started
        started += count


# A lead unit marked done at import (completed before the plan came in) has no instance to start.
_PENDING = (select(WorkPlanUnit).join(WorkPlanTask, WorkPlanTask.id == WorkPlanUnit.task_id)
            .where(WorkPlanUnit.kind == "lead", WorkPlanUnit.instance_id.is_(None), WorkPlanUnit.status != "done"))


def _start_pending(session, plan, limit) -> tuple[int, bool]:
    """Start up to `limit` waiting lead units of `plan`: (how many started, whether more wait)."""
    creator = session.get(User, plan.created_by) if plan.created_by else None
    names = dict(session.execute(select(Department.id, Department.name)).all())
    units = session.scalars(_PENDING.where(WorkPlanTask.plan_id == plan.id).order_by(WorkPlanUnit.id)
                            .limit(limit + 1).with_for_update(skip_locked=True)).all()
    for unit in units[:limit]:
        task = session.get(WorkPlanTask, unit.task_id)
        unit.instance_id = _start(session, creator, plan, task, unit, names[unit.department_id]).id
    return len(units[:limit]), len(units) > limit


def _enqueue_start(plan_id: int) -> None:
    try:
        queue.queue().enqueue(START_JOB, plan_id, job_id=f"workplan-start-{plan_id}")
    except Exception:  # Redis down: the periodic sweep starts them
        log.exception("could not enqueue the start of plan %s", plan_id)


def _add_units(session, actor, names) -> None:
    """Add the units the office chose to create in the preview to the department list."""
    if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
        raise Invalid("新建单位应为名称列表 (new_units: a list of names)", fields={"new_units": ["not a list of names"]})
    known = directory(session)
    for name in {n.strip()[:100] for n in names or [] if n.strip()}:
        if known.match(name) is None:
            users.ensure_department(session, name)
            audit.record(session, "department_added", actor=actor, name=name, via="workplan_import")


def _plan_fields(body) -> tuple:
    if not isinstance(body, dict):
        raise Invalid("请求体应为对象 (body must be an object)", fields={"body": ["not an object"]})
    errors = {}
    year = body.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors["year"] = ["年度应为2000至2100之间的整数 (a year between 2000 and 2100)"]
    title = body.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        errors["title"] = ["请填写标题（不超过200字） (a title of at most 200 characters)"]
    rows = body.get("rows")
    if not isinstance(rows, list) or not rows or len(rows) > MAX_ROWS:
        errors["rows"] = [f"应为1至{MAX_ROWS}行任务 (1 to {MAX_ROWS} rows)"]
    cycle = body.get("report_cycle", "P1M")
    if cycle not in CYCLES:
        errors["report_cycle"] = ["报送周期应为 P1M（每月）或 P3M（每季度）"]
    if errors:
        raise Invalid("工作要点信息有误 (the plan has errors)", fields=errors)
    return year, title.strip(), rows, cycle


def _checked_rows(session, rows, year, congress) -> list[dict]:
    """Every row checked, units first, then deadlines; every row that blocks the plan is named at
    once, with its number, so the office fixes them in one pass instead of one refusal at a time."""
    known, checked, problems, fields = directory(session), {}, [], {}

    def attempt(index, check):
        try:
            return check()
        except Invalid as exc:
            problems.append({"element_id": f"rows[{index}]", "row": index + 1, "message": exc.message})
            fields.update(exc.fields or {})
            return None

    for index, row in enumerate(rows):
        checked[index] = attempt(index, lambda i=index, r=row: _row(session, known, i, r, year, congress))
    for index, out in checked.items():  # units first, then deadlines
        if out is not None and deadlines.effective(out["due_on"], year) < clock.today():
            attempt(index, lambda i=index, o=out: _past_deadline(o, rows[i], i, year))
    if problems:
        raise Invalid(f"有{len(problems)}行需要处理后才能创建：" + "；".join(p["message"] for p in problems[:5])
                      + ("……" if len(problems) > 5 else ""), fields=fields, details=problems)
    return list(checked.values())


def _row(session, known, index, row, year, congress) -> dict:
    where = f"rows[{index}]"
    if not isinstance(row, dict):
        raise Invalid("每行应为对象 (each row must be an object)", fields={where: ["not an object"]})
    task = row.get("task")
    if not isinstance(task, str) or not task.strip():
        raise Invalid(f"第{index + 1}行没有任务内容", fields={f"{where}.task": ["required"]})
    lead, lead_unknown = known.resolve(_names(row.get("lead_units"), f"{where}.lead_units"))
    assist, assist_unknown = known.resolve(_names(row.get("assist_units"), f"{where}.assist_units"))
    if lead_unknown or assist_unknown:
        raise Invalid(f"第{index + 1}行有未知单位：{'、'.join(lead_unknown + assist_unknown)}，请对应到已有单位或新建",
                      fields={f"{where}.lead_units": lead_unknown + assist_unknown})
    if not lead:
        raise Invalid(f"第{index + 1}行没有牵头单位，请填写或对应到已有单位",
                      fields={f"{where}.lead_units": ["required"]})
    deadline = str(row.get("deadline") or "").strip()[:100]
    rule = deadlines.check_rule(row.get("rule"), f"{where}.rule")
    due_on, ongoing = deadlines.due_on(rule, congress, deadline, year, session)
    out = {"task": task.strip(), "lead": lead, "assist": [a for a in assist if a not in lead],
           "deadline": deadline, "due_on": due_on, "ongoing": ongoing, "rule": rule,
           "note": str(row.get("note") or "")[:2000], "done_on": None, "completion_note": "",
           "section": [p.strip() for p in str(row.get("section") or "").split("/") if p.strip()]}
    return out


OVERDUE_CHOICES = {"escalate": "仍按原时限督办", "reschedule": "调整完成时限", "completed": "已完成"}


def _past_deadline(out, row, index, year) -> None:
    """A row whose deadline has passed is created only as the office chose in the preview:
    escalated at once, given a new deadline, or recorded as done before the plan came in."""
    where, today = f"rows[{index}]", clock.today()
    choice = row.get("overdue_choice")
    if choice not in OVERDUE_CHOICES:
        due = out["due_on"] or f"{year}年底"
        raise Invalid(f"第{index + 1}行完成时限（{due}）已过，请选择：仍按原时限督办、调整完成时限或标记为已完成",
                      fields={f"{where}.overdue_choice": [f"完成时限已过；one of: {', '.join(OVERDUE_CHOICES)}"]})
    if choice == "reschedule":
        new = calendar.parse_day(row.get("new_due_on"), f"{where}.new_due_on")
        if new is None or new < today:
            raise Invalid(f"第{index + 1}行请填写今天或以后的新完成时限",
                          fields={f"{where}.new_due_on": ["今天或以后的日期 (today or later)"]})
        original = out["deadline"] or "长期坚持"
        out.update(due_on=new, ongoing=False, rule=None, deadline=f"{new.year}年{new.month}月{new.day}日前",
                   note="；".join(x for x in (out["note"], f"原完成时限：{original}") if x)[:2000])
    elif choice == "completed":
        note = str(row.get("completion_note") or "").strip()
        if not note:
            raise Invalid(f"第{index + 1}行标记为已完成时请说明完成情况",
                          fields={f"{where}.completion_note": ["required"]})
        done_on = calendar.parse_day(row.get("completed_on"), f"{where}.completed_on")
        if done_on is not None and done_on > today:
            raise Invalid("完成日期不能晚于今天", fields={f"{where}.completed_on": ["not in the future"]})
        # Done before the plan was imported: on the day given, else by its deadline as the office says.
        out.update(done_on=done_on or deadlines.effective(out["due_on"], year), completion_note=note[:2000])


def _names(value, field) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return units.split_mentions(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("单位应为名称列表 (units must be a list of names)", fields={field: ["not a list of names"]})
    return [v.strip() for v in value if v.strip()]


def _section(session, plan, cache, path) -> int | None:
    parent = None
    for depth in range(len(path)):
        key = tuple(path[:depth + 1])
        if key not in cache:
            section = WorkPlanSection(plan_id=plan.id, parent_id=parent, position=len(cache), title=path[depth][:300])
            session.add(section)
            session.flush()
            cache[key] = section.id
        parent = cache[key]
    return parent


def _add_task(session, plan, section_id, position, row) -> None:
    done = row["done_on"] is not None
    task = WorkPlanTask(plan_id=plan.id, section_id=section_id, position=position, text=row["task"],
                        deadline_text=row["deadline"], due_on=row["due_on"], ongoing=row["ongoing"], note=row["note"],
                        rule=row["rule"], status="done" if done else "in_progress", completed_on=row["done_on"],
                        completion_note=row["completion_note"])
    session.add(task)
    session.flush()
    for kind, names in (("lead", row["lead"]), ("assist", row["assist"])):
        for name in names:
            unit = WorkPlanUnit(task_id=task.id, department_id=users.department_id_for(session, name), kind=kind)
            if done and kind == "lead":
                unit.status, unit.completed_on = "done", row["done_on"]
            session.add(unit)
    session.flush()


def _start(session, actor, plan, task, unit, department):
    due = deadlines.effective(task.due_on, plan.year)
    office = session.get(Department, plan.office_department_id) if plan.office_department_id else None
    data = {"plan_id": plan.id, "task_id": task.id, "unit_id": unit.id, "department": department,
            "office_department": office.name if office else None, "due_on": due.isoformat(),
            "report_cycle": plan.report_cycle, "report_from": first_report_at(plan.report_cycle),
            "title": task.text[:60]}
    return instances.start(session, actor, PROCESS_KEY, data, department_id=unit.department_id, title=task.text[:200])


def first_report_at(cycle: str, today=None) -> str:
    """09:00 on the first day of the next period: when the first report falls due."""
    today = today or clock.today()
    months = 3 if cycle == "P3M" else 1
    start_month = ((today.month - 1) // months) * months + 1
    month_index = today.year * 12 + start_month - 1 + months
    first = date(month_index // 12, month_index % 12 + 1, 1)
    return datetime.combine(first, time(9), SHANGHAI).isoformat()


def list_for(actor) -> list[dict]:
    with reading() as s:
        plans = s.scalars(select(WorkPlan).order_by(WorkPlan.year.desc(), WorkPlan.id.desc())).all()
        out = []
        for plan in plans:
            tasks = progress.tasks_of(s, actor, plan)
            if tasks or access.is_office(actor):
                out.append({"id": plan.id, "year": plan.year, "title": plan.title, "tasks": len(tasks)})
        return out


def get_for(actor, plan_id: int) -> dict:
    """The plan with its section tree and the tasks the actor may see, each with its status."""
    with reading() as s:
        plan = access.plan_for(s, actor, plan_id)
        sections = s.scalars(select(WorkPlanSection).where(WorkPlanSection.plan_id == plan.id)
                             .order_by(WorkPlanSection.position)).all()
        return {"id": plan.id, "year": plan.year, "title": plan.title, "report_cycle": plan.report_cycle,
                "congress_ends_on": plan.congress_ends_on,
                "sections": [{"id": x.id, "parent_id": x.parent_id, "title": x.title} for x in sections],
                "tasks": progress.task_dicts(s, plan, progress.tasks_of(s, actor, plan))}
