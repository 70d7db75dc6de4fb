"""Human tasks: the inbox queries, claim, release, delegate and complete.

Who may see or act on a task is `engine.access`'s rule on the `human_task` row: its role and
department, a named assignee, or the claimant. Completing validates the form, runs domain hooks,
and advances the instance in the same transaction; a second, simultaneous completion gets Conflict.
"""

from functools import lru_cache
from types import SimpleNamespace
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Integer, bindparam, func, or_, select, update

from engine import access, audit, clock, forms, users
from engine.db import reading, transaction
from engine.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from engine.models import HumanTask, User
from engine.search import query as search_query
from engine.workflow import hooks, projection, state, transition

MAX_LIMIT = 200


# The inbox statements are built once per shape (scope, filters present, sort) with bind
# parameters for the caller and the values: building a statement costs more than running it.
# "actionable" is what the caller can work on now: theirs and what they may claim (the inbox landing).
SCOPES = ("actionable", "mine", "available", "completed", "overdue", "all")
_FILTERS = ("instance_id", "document_id", "request_id", "process_key", "name")


def _available_clause():
    return (HumanTask.status == "open") & HumanTask.claimed_by.is_(None) & access.task_actor_clause()


def _scope_clause(scope: str, is_admin: bool):
    me = bindparam("me")
    if scope == "mine":
        return (HumanTask.status == "open") & (HumanTask.claimed_by == me)
    if scope == "available":
        return _available_clause()
    if scope == "completed":
        return (HumanTask.completed_by == me) & (HumanTask.status == "completed")
    if scope == "overdue":
        return (HumanTask.status == "open") & (HumanTask.due_at < bindparam("now")) & or_(
            HumanTask.claimed_by == me, _available_clause())
    if scope == "all" and is_admin:
        return HumanTask.status == "open"
    return (HumanTask.status == "open") & or_(HumanTask.claimed_by == me, _available_clause())


@lru_cache(maxsize=256)
def _statements(scope, is_admin, filters, has_q, overdue, has_due_before, sort, dialect="sqlite"):
    where = [_scope_clause(scope, is_admin)]
    where += [getattr(HumanTask, name) == bindparam(name) for name in filters]
    if overdue:
        where.append(HumanTask.due_at < bindparam("now"))
    if has_due_before:
        where.append(HumanTask.due_at <= bindparam("due_before"))
    if has_q:
        # The staff's index (engine/search): every term in the instance's title or its document's
        # title or number, as the catalogue finds them.
        where.append(HumanTask.instance_id.in_(search_query.instance_ids(dialect)))
    order = {"due": (HumanTask.due_at.is_(None), HumanTask.due_at.asc(), HumanTask.id.desc()),
             "oldest": (HumanTask.id.asc(),)}.get(sort, (HumanTask.id.desc(),))
    items = (select(*HumanTask.__table__.columns).where(*where).order_by(*order)
             .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))
    return items, select(func.count()).select_from(HumanTask).where(*where)


def _params(actor, **values) -> dict:
    return {**access.params(actor), "now": clock.now(), **values}


def list_for(actor, scope="mine", *, instance_id=None, document_id=None, request_id=None, overdue=None,
             q=None, process_key=None, name=None, due_before=None, sort="newest", limit=50, offset=0) -> dict:
    """Return {"items", "total"} of the tasks in `scope` for `actor`; reads `human_task` only."""
    if scope not in SCOPES:
        raise Invalid("scope 只能是 actionable、mine、available、completed、overdue 或 all", fields={"scope": ["invalid"]})
    limit, offset = max(1, min(int(limit or 50), MAX_LIMIT)), int(offset or 0)
    given = {"instance_id": instance_id, "document_id": document_id, "request_id": request_id,
             "process_key": process_key, "name": name}
    filters = tuple(k for k in _FILTERS if given[k] not in (None, ""))
    with reading() as s:
        dialect = s.connection().dialect.name
        terms = search_query.staff_terms(dialect, q) if q and q.strip() else None
        if q and q.strip() and terms is None:
            return {"items": [], "total": 0}  # only punctuation: nothing can match
        items_stmt, count_stmt = _statements(scope, access.is_admin(actor), filters, terms is not None, bool(overdue),
                                             bool(due_before), sort, dialect)
        params = _params(actor, limit=limit, offset=offset, due_before=due_before, q_staff=terms,
                         **{k: given[k] for k in filters})
        # Core rows on the connection, not ORM objects: the inbox is read more than anything else.
        items = [as_dict(r) for r in s.connection().execute(items_stmt, params)]
        if offset == 0 and len(items) < limit:
            return {"items": items, "total": len(items)}  # the page holds everything: no count needed
        return {"items": items, "total": s.connection().scalar(count_stmt, params)}


def counts_for(actor) -> dict:
    """Return the number of tasks in each inbox tab."""
    params = _params(actor)
    with reading() as s:
        return {scope: s.scalar(_statements(scope, access.is_admin(actor), (), False, False, False, "newest")[1], params)
                for scope in ("actionable", "mine", "available", "completed", "overdue")}


def as_dict(task: HumanTask) -> dict:
    return {
        "id": task.id, "name": task.name, "bpmn_id": task.bpmn_id, "instance_id": task.instance_id,
        "process_key": task.process_key, "document_id": task.document_id, "request_id": task.request_id,
        "role": task.role, "department": task.department_id, "claimed_by": task.claimed_by,
        "assignee": task.assignee_id, "created_at": task.created_at.isoformat(),
        "due_at": task.due_at.isoformat() if task.due_at else None, "form_key": task.form_key,
        "title": task.title, "doc_number": task.doc_number, "status": task.status,
        "completed_at": task.completed_at.isoformat() if task.completed_at else None,
        "completed_by": task.completed_by, "outcome": task.outcome,
    }


def get_for(actor, task_id: int) -> HumanTask:
    """Return the task if `actor` may see it; NotFound otherwise (`access.task_for`)."""
    with reading() as s:
        return access.task_for(s, actor, task_id)


def detail_for(actor, task_id: int) -> dict:
    """Return the task with its form schema and the data the form should show."""
    task = get_for(actor, task_id)
    out = as_dict(task)
    out["can_act"] = _why_not_actionable(actor, task) is None  # pages show the form editable
    out["form"] = forms.load(task.form_key) if forms.exists(task.form_key) else None
    with reading() as s:
        row, workflow = state.load(s, task.instance_id, lock=False)
        spiff_task = workflow.get_task_from_id(UUID(task.task_guid))
        data = dict(spiff_task.data) if spiff_task is not None else {}
        out["completed_bpmn_ids"] = projection.completed_bpmn_ids(workflow)
    out["data"] = {k: v for k, v in data.items() if not k.startswith("_")}
    out["form_data"] = initial_values(out["form"] or {}, data, hooks.extra_form_data(task))
    return out


def initial_values(schema: dict, data: dict, extra: dict) -> dict:
    """What a task's form opens with. An input starts empty unless its form declares that it edits a
    value of the process (`properties.prefill`: the drafter's own document being revised, the
    applicant's chosen delivery; from the data or a domain hook). Task data holds what earlier steps
    wrote — another person's decision and opinion under the same keys — and that is never offered
    as this person's answer. The other variables stay (form-js templates and conditions read them:
    the revise form shows `return_reason`); only the inputs are ever accepted back."""
    inputs = {c["key"]: c for c in forms.input_components(schema)}
    values = {k: v for k, v in data.items()
              if not k.startswith("_") and not isinstance(v, dict | list) and k not in inputs}
    offered = {**data, **extra}
    values.update({k: offered[k] for k, c in inputs.items() if k in offered and prefilled(c)})
    values.update({k: v for k, v in extra.items() if k not in inputs})
    values.update(_options(schema, extra))
    return values


def prefilled(component: dict) -> bool:
    """Does the form declare that `component` opens with the process's current value?"""
    return str((component.get("properties") or {}).get("prefill", "")).lower() == "true"


def _options(schema: dict, given: dict) -> dict:
    """The option lists a form's selects read from its data (`valuesKey`): a select, not free
    text, for what the server only accepts from a list. A process's form-data hook may give the
    list for one task (the fee methods a request allows); the departments are known everywhere."""
    sources = {"departments": lambda: [{"label": n, "value": n} for n in sorted(users.department_names().values())]}
    return {key: given[key] if key in given else sources[key]() for key in forms.option_keys(schema)
            if key in given or key in sources}


# A task is locked and changed with plain statements (no ORM object): claim and complete are the
# most frequent writes of the product. The row comes back as a namespace with the same attributes.
_TASK_TABLE = HumanTask.__table__
_LOCK_TASK = select(*_TASK_TABLE.columns).where(_TASK_TABLE.c.id == bindparam("task_id")).with_for_update()


def lock_task(session, task_id) -> SimpleNamespace:
    row = session.connection().execute(_LOCK_TASK, {"task_id": task_id}).first()
    if row is None:
        raise NotFound("任务不存在 (no such task)")
    return SimpleNamespace(**row._mapping)


@lru_cache(maxsize=32)
def _update_statement(columns: tuple):
    return update(_TASK_TABLE).where(_TASK_TABLE.c.id == bindparam("b_id")).values(
        {c: bindparam(c) for c in columns})


def _change(session, task, **values) -> None:
    """Write `values` to the locked task's row and to the namespace the caller holds."""
    session.connection().execute(_update_statement(tuple(sorted(values))), {**values, "b_id": task.id})
    for key, value in values.items():
        setattr(task, key, value)


def _why_not_actionable(actor, task) -> DomainError | None:
    """Why `actor` may not claim-and-complete `task` now; None when they may."""
    if not access.may_see_task(actor, task):
        return NotFound("任务不存在 (no such task)")
    if task.status != "open":
        return Conflict("任务已办结 (task already completed)")
    if task.claimed_by not in (None, actor.id):
        return Conflict("任务已被他人认领 (task claimed by someone else)")
    if task.claimed_by is None and not access.may_act_on_task(actor, task):
        return Forbidden("这不是您的任务 (not your task)")
    return None


def _check_actionable(actor, task) -> None:
    problem = _why_not_actionable(actor, task)
    if problem is not None:
        raise problem


# Claiming is one conditional UPDATE: it takes the row only while it is open and unclaimed, so
# of two simultaneous claims the second finds nothing to update and learns why below.
_CLAIM = (update(_TASK_TABLE)
          .where(_TASK_TABLE.c.id == bindparam("task_id"), _TASK_TABLE.c.status == "open",
                 _TASK_TABLE.c.claimed_by.is_(None))
          .values(claimed_by=bindparam("me"), claimed_at=bindparam("now"))
          .returning(*_TASK_TABLE.columns))


def claim(actor, task_id: int) -> dict:
    with transaction() as s:
        row = s.connection().execute(_CLAIM, {"task_id": task_id, "me": actor.id, "now": clock.now()}).first()
        if row is None:  # missing, completed, claimed by another (or already by the actor)
            task = lock_task(s, task_id)
            _check_actionable(actor, task)
            return as_dict(task)
        task = SimpleNamespace(**row._mapping)
        if not access.may_act_on_task(actor, task):  # rolls the UPDATE back
            before = SimpleNamespace(**{**row._mapping, "claimed_by": None})  # as it was seen before this claim
            raise access.refusal(access.may_see_task(actor, before), "这不是您的任务 (not your task)",
                                 "任务不存在 (no such task)")
        audit.record(s, "claim", actor=actor, instance_id=task.instance_id, task_id=task.id,
                     document_id=task.document_id, request_id=task.request_id, task=task.name)
        return as_dict(task)


def release(actor, task_id: int) -> dict:
    with transaction() as s:
        task = lock_task(s, task_id)
        access.visible(task, access.may_see_task(actor, task), "任务不存在 (no such task)")
        if task.status != "open":
            raise Conflict("任务已办结 (task already completed)")
        access.require(access.may_release(actor, task),
                       "只能释放自己认领的任务 (you can release only your own claim)")
        _change(s, task, claimed_by=None, claimed_at=None)
        audit.record(s, "release", actor=actor, instance_id=task.instance_id, task_id=task.id,
                     document_id=task.document_id, request_id=task.request_id, task=task.name)
        return as_dict(task)


def delegate(actor, task_id: int, to_username: str, reason: str) -> dict:
    """Hand a task to a colleague with the same role in the same department, with a reason."""
    if not (reason or "").strip():
        raise Invalid("请填写转办原因 (give a reason)", fields={"reason": ["required"]})
    with transaction() as s:
        task = lock_task(s, task_id)
        _check_actionable(actor, task)
        other = s.scalar(select(User).where(User.username == (to_username or "")))
        if other is None or not other.active or other.id == actor.id:
            raise Invalid("请选择一位同事 (choose an active colleague)", fields={"to": ["invalid"]})
        if not access.may_delegate_to(other, task):
            raise Invalid("被转办人必须是本部门同一角色的同事 (same role and department required)",
                          fields={"to": ["wrong role or department"]})
        _change(s, task, claimed_by=other.id, claimed_at=clock.now(), assignee_id=other.id)
        audit.record(s, "delegate", actor=actor, instance_id=task.instance_id, task_id=task.id,
                     document_id=task.document_id, request_id=task.request_id, to=other.username,
                     reason=reason.strip(), task=task.name)
        return as_dict(task)


def complete(actor, task_id: int, data: dict | None) -> dict:
    """Complete a task with form data; 409 when someone else claimed or completed it first."""
    if data is not None and not isinstance(data, dict):
        raise Invalid("data 必须是对象 (data must be an object)", fields={"data": ["not an object"]})
    with transaction() as s:
        task = lock_task(s, task_id)
        _check_actionable(actor, task)
        failed = complete_locked(s, actor, task, data or {})
        result = as_dict(task)
    if failed:  # committed: the instance is in an incident, the task stays open
        raise Invalid(failed, details=[{"element_id": task.bpmn_id, "message": failed}])
    return result


def complete_locked(session, actor, task, data: dict) -> str | None:
    """Complete the locked human task `task` inside the caller's transaction: the one completion
    path (the inbox, the API, steps recorded for an applicant). `actor` may be None for the public.

    Validates the form, runs the domain hooks, runs the step and advances the instance. Returns
    None, or the message of the incident the instance failed into (the completion is then undone).
    """
    clean, errors = forms.validate_data(task.form_key, data)
    if errors:
        raise Invalid("表单填写有误 (the form has errors)", fields=errors)
    name = getattr(actor, "username", None) or "申请人"

    def change(row, workflow):
        spiff_task = workflow.get_task_from_id(UUID(task.task_guid))
        if spiff_task is None or spiff_task.state != TaskState.READY:
            raise Conflict("任务已不在等待处理 (task is no longer waiting)")
        hooks.run_before_complete(hooks.Completion(session, actor, task, row, spiff_task, clean))
        spiff_task.set_data(**clean, last_completed_by=name)
        transition.step(spiff_task, spiff_task.run)
        _change(session, task, status="completed", completed_at=clock.now(), completed_by=getattr(actor, "id", None),
                claimed_by=task.claimed_by or getattr(actor, "id", None),
                outcome=str(clean.get("decision") or "")[:50] or None)
        audit.record(session, "complete", actor=actor or name, instance_id=row.id, task_id=task.id,
                     document_id=task.document_id, request_id=task.request_id, task=task.name,
                     outcome=task.outcome, opinion=clean.get("opinion"))

    outcome = transition.run(session, task.instance_id, change)
    if outcome.incident:
        return (f"步骤「{task.name}」之后流程出错，已转为待处理事件 (the process failed after this step "
                f"and became an incident): {outcome.incident}")
    return None
