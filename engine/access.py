"""Who may see or act on a task, an instance, a document, a request, a work-plan task, or in an
agency's name (its annual report, its requests, its guide): one function per question, and no
role check anywhere else in the product (a test greps for them).

Each rule is written twice, side by side so they change together: in Python for one row
(`may_see_document(session, actor, doc)`) and as a SQL clause for lists (`document_clause(actor)`,
executed with `params(actor)`). Every lookup uses them — including ids that arrive in form data.

One refusal policy for every resource: what the caller may not see does not exist for them
(`NotFound`, 404: its existence is not revealed); what they see but may not do is refused
(`Forbidden`, 403) — `visible` and `require` below.
"""

from sqlalchemy import bindparam, exists, false, or_, select, true

from engine.errors import Forbidden, Invalid, NotFound
from engine.models import (
    Department,
    Document,
    HumanTask,
    InformationRequest,
    ProcessInstance,
    PublishedAuditRun,
    WorkPlanUnit,
)

# Staff who read every document of their department; a drafter reads the ones they drafted.
DOCUMENT_STAFF = {"dept_reviewer", "secrecy_reviewer", "leader", "publisher"}
# The intake office's staff read every request it received; the handling department's, those it handles.
REQUEST_INTAKE = {"publisher", "leader", "secrecy_reviewer"}
REQUEST_HANDLERS = {"drafter", "dept_reviewer", "leader", "publisher"}

# The caller, as bind parameters: statements are built once per shape and run with `params(actor)`.
ME, DEPT, ROLES = bindparam("me"), bindparam("dept"), bindparam("roles", expanding=True)


def params(actor) -> dict:
    return {"me": actor.id, "dept": actor.department_id, "roles": sorted(actor.role_keys) or [""]}


def visible(row, allowed: bool, message: str):
    """`row` when it exists and the caller may see it; otherwise NotFound, the same either way."""
    if row is None or not allowed:
        raise NotFound(message)
    return row


def require(allowed: bool, message: str) -> None:
    """Refuse (Forbidden) what the caller sees but may not do."""
    if not allowed:
        raise Forbidden(message)


def refusal(seen: bool, message: str, missing: str):
    """The error for an action refused on a row: NotFound (`missing`) when the caller may not even see
    it, else Forbidden (`message`)."""
    return Forbidden(message) if seen else NotFound(missing)


def require_admin(actor) -> None:
    require(is_admin(actor), "需要管理员权限 (admin only)")


def is_admin(actor) -> bool:
    """Admins see every row of every kind and act everywhere."""
    return actor is not None and actor.is_admin


def holds_role(user, role: str, department_id: int | None = None) -> bool:
    """Does `user` hold `role` (in `department_id`, when one is given)? Who a role's task or
    notification reaches; the base of `may_act_on_task`."""
    return user.has_role(role) and (department_id is None or user.department_id == department_id)


def as_id(value) -> int | None:
    """A row id from a URL, form data or a body; None when it cannot name a row (so: not found)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


BOUND = {"document": "服务任务只能处理本流程关联的文件 (a service task works on its own instance's document)",
         "request": "服务任务只能处理本流程关联的申请 (a service task works on its own instance's request)"}


def bound_id(bound, given, kind: str) -> int:
    """The document or request a service task works on: its instance's own. A diagram's parameter
    may repeat that id but never point the task at another one, whose reader nobody checked."""
    other = as_id(given) if given not in (None, "") else None
    if bound is None or (other is not None and other != bound):
        raise Invalid(BOUND[kind], fields={f"{kind}_id": [str(given)]})
    return bound


# Tasks ---------------------------------------------------------------------------------------

def may_act_on_task(actor, task) -> bool:
    """May `actor` claim and complete `task` (before anyone claimed it)?"""
    if task.assignee_id is not None:
        return task.assignee_id == actor.id
    return holds_role(actor, task.role, task.department_id)


def may_delegate_to(other, task) -> bool:
    """May a task be handed to `other`: a colleague with its role in its department (`holds_role`)."""
    return holds_role(other, task.role, task.department_id)


def may_release(actor, task) -> bool:
    """Only the claimer (or an admin) gives a claimed task back."""
    return task.claimed_by == actor.id or is_admin(actor)


def may_start(actor, starter_roles) -> bool:
    """An API caller starts a process when the definition names one of their roles (admins always)."""
    return is_admin(actor) or bool(set(starter_roles or []) & actor.role_keys)


def task_actor_clause():
    """`may_act_on_task` as SQL."""
    return or_(HumanTask.assignee_id == ME,
               HumanTask.assignee_id.is_(None) & HumanTask.role.in_(ROLES)
               & or_(HumanTask.department_id == DEPT, HumanTask.department_id.is_(None)))


def may_see_task(actor, task) -> bool:
    return (actor.is_admin or may_act_on_task(actor, task) or task.claimed_by == actor.id
            or task.completed_by == actor.id)


def task_for(session, actor, task_id) -> HumanTask:
    """Return the task if `actor` may see it (`may_see_task`); NotFound otherwise."""
    number = as_id(task_id)
    task = session.get(HumanTask, number) if number is not None else None
    return visible(task, task is not None and may_see_task(actor, task), "任务不存在 (no such task)")


def task_clause(actor):
    """`may_see_task` as SQL."""
    if actor.is_admin:
        return true()
    return or_(HumanTask.claimed_by == ME, HumanTask.completed_by == ME, task_actor_clause())


def _sees_a_task(actor, column):
    """SQL: the caller may see a task whose `column` (instance, document or request id) matches."""
    return exists(select(HumanTask.id).where(column, task_clause(actor)))


def sees_a_task(session, actor, *, instance_id=None, document_id=None, request_id=None) -> bool:
    """Is a task of this instance, document or request given to `actor` (so they need to read it)?"""
    column = (HumanTask.instance_id == instance_id if instance_id is not None else
              HumanTask.document_id == document_id if document_id is not None else
              HumanTask.request_id == request_id)
    return bool(session.scalar(select(_sees_a_task(actor, column)), params(actor)))


# Documents -----------------------------------------------------------------------------------

def may_see_document(session, actor, doc: Document) -> bool:
    """Admins; its drafter; document staff of its department; whoever is given one of its tasks."""
    if actor is None:
        return False
    if actor.is_admin or doc.drafter_id == actor.id:
        return True
    if actor.role_keys & DOCUMENT_STAFF and doc.department_id == actor.department_id:
        return True
    return sees_a_task(session, actor, document_id=doc.id)


def document_for(session, actor, document_id) -> Document:
    """Return the document if `actor` may see it (`may_see_document`); NotFound otherwise."""
    number = as_id(document_id)
    doc = session.get(Document, number) if number is not None else None
    return visible(doc, doc is not None and may_see_document(session, actor, doc), "文件不存在 (no such document)")


def may_submit_document(actor) -> bool:
    return actor.has_role("drafter")


def may_import_historical(actor) -> bool:
    """清理历年文件: drafters for their department, admins for any."""
    return actor.has_role("drafter") or is_admin(actor)


def may_confirm_redaction(actor, task) -> bool:
    """Editing findings while a document waits for its redaction to be confirmed: a publisher holding
    the task, or any publisher of it while nobody holds it."""
    return actor.has_role("publisher") and task.claimed_by in (None, actor.id)


def sees_technical_detail(actor) -> bool:
    """Element ids and engine states on a progress view: for admins, who edit the diagrams."""
    return is_admin(actor)


def may_take_down(actor, doc: Document) -> bool:
    """Taking a published document down (撤下), or re-publishing it re-redacted, is for its department's
    publisher (公开专员) and admins: whoever confirmed its publication, not its drafter or reviewers."""
    return actor is not None and (actor.is_admin or (actor.has_role("publisher")
                                                     and doc.department_id == actor.department_id))


def take_down_clause(actor):
    """`may_take_down` as SQL: the published documents whose re-redaction this actor answers for."""
    if actor.is_admin:
        return true()
    return Document.department_id == DEPT if actor.has_role("publisher") else false()


def document_clause(actor):
    """`may_see_document` as SQL (run with `params(actor)`)."""
    if actor.is_admin:
        return true()
    staff = Document.department_id == DEPT if actor.role_keys & DOCUMENT_STAFF else false()
    return or_(Document.drafter_id == ME, staff, _sees_a_task(actor, HumanTask.document_id == Document.id))


# Requests ------------------------------------------------------------------------------------

def may_see_request(session, actor, req: InformationRequest) -> bool:
    """Admins; the intake office's staff; the handling department's; whoever is given one of its tasks."""
    if actor is None:
        return False
    if actor.is_admin:
        return True
    if actor.department_id == req.intake_department_id and actor.role_keys & REQUEST_INTAKE:
        return True
    if req.department_id is not None and actor.department_id == req.department_id \
            and actor.role_keys & REQUEST_HANDLERS:
        return True
    return sees_a_task(session, actor, request_id=req.id)


def request_for(session, actor, request_id, lock=False) -> InformationRequest:
    """Return the request if `actor` may see it (`may_see_request`); NotFound otherwise."""
    query = select(InformationRequest).where(InformationRequest.id == as_id(request_id))
    req = session.scalar(query.with_for_update() if lock else query)
    return visible(req, req is not None and may_see_request(session, actor, req), "申请不存在 (no such request)")


# The agency's 公开专员 handle what is not a task of the procedure: registering a request, recording a
# correction received, issuing and delivering notices, converting requests into proactive disclosure,
# re-checking what was published. Admins do everything they do.
REQUEST_OFFICERS = {"publisher"}


def may_handle_requests(actor) -> bool:
    return is_admin(actor) or bool(actor.role_keys & REQUEST_OFFICERS)


def may_audit_published(actor) -> bool:
    return may_handle_requests(actor)


def may_see_audit_run(actor, run) -> bool:
    return is_admin(actor) or run.requested_by == actor.username


def audit_run_clause(actor):
    """`may_see_audit_run` as SQL."""
    return true() if is_admin(actor) else PublishedAuditRun.requested_by == actor.username


def may_search_register(actor) -> bool:
    """The register of on-request and withheld documents: staff who may handle a request."""
    return is_admin(actor) or bool(actor.role_keys & (REQUEST_INTAKE | REQUEST_HANDLERS))


def request_clause(actor):
    """`may_see_request` as SQL (run with `params(actor)`)."""
    if actor.is_admin:
        return true()
    intake = InformationRequest.intake_department_id == DEPT if actor.role_keys & REQUEST_INTAKE else false()
    handling = InformationRequest.department_id == DEPT if actor.role_keys & REQUEST_HANDLERS else false()
    return or_(intake, handling, _sees_a_task(actor, HumanTask.request_id == InformationRequest.id))


# Instances -----------------------------------------------------------------------------------

def instance_for(session, actor, instance_id) -> ProcessInstance:
    """Return the instance if `actor` may see it (`may_see_instance`); NotFound otherwise."""
    number = as_id(instance_id)
    row = session.get(ProcessInstance, number) if number is not None else None
    return visible(row, row is not None and may_see_instance(session, actor, row),
                   "流程实例不存在 (no such process instance)")


def may_see_instance(session, actor, row) -> bool:
    """An instance of a document or a request is seen exactly by who may see that document or
    request (its history holds their opinions and grounds). Any other instance: admins, its
    starter, its department, and whoever is given one of its tasks."""
    if actor is None:
        return False
    if row.document_id is not None:
        doc = session.get(Document, row.document_id)
        return doc is not None and may_see_document(session, actor, doc)
    if row.request_id is not None:
        req = session.get(InformationRequest, row.request_id)
        return req is not None and may_see_request(session, actor, req)
    if actor.is_admin or row.started_by == actor.id:
        return True
    if row.department_id is not None and row.department_id == actor.department_id:
        return True
    return sees_a_task(session, actor, instance_id=row.id)


# The year's work plan: the 政务公开 office (and admins) see every task; a department sees the
# tasks it leads or assists (one WorkPlanUnit row each).
# The same office sees the tasks nobody can take and records supervision for any agency.
OFFICE_ROLE = "gongkai_office"


def is_gongkai_office(actor) -> bool:
    return actor is not None and (actor.is_admin or actor.has_role(OFFICE_ROLE))


def workplan_task_ids(actor):
    """The work-plan task ids `actor` may see, as a select (None: every one, for the office)."""
    if is_gongkai_office(actor):
        return None
    return select(WorkPlanUnit.task_id).where(WorkPlanUnit.department_id == (actor.department_id or -1))


def may_see_workplan_task(session, actor, task_id: int) -> bool:
    ids = workplan_task_ids(actor)
    return ids is None or session.scalar(
        select(WorkPlanUnit.id).where(WorkPlanUnit.task_id == task_id, WorkPlanUnit.task_id.in_(ids)).limit(1)
    ) is not None


# The annual report: each agency's own staff read it (publishers, leaders) and write it (publishers);
# admins read and write every agency's. An agency is named by its department id, None for the installation.
REPORT_READERS = {"publisher", "leader"}
REPORT_WRITERS = {"publisher"}


MAX_DEPTH = 20  # a longer parent chain can only be a cycle that slipped in


def agency_of(session, department_id: int | None) -> int | None:
    """The department id of the agency a department speaks as: the first with its own agency name up
    the tree (an internal office speaks as its parent); None for the installation's own agency."""
    dept = session.get(Department, department_id) if department_id else None
    for _ in range(MAX_DEPTH):
        if dept is None or dept.agency_name:
            break
        dept = session.get(Department, dept.parent_id) if dept.parent_id else None
    return dept.id if dept is not None and dept.agency_name else None


def own_agency(session, actor) -> int | None:
    """The agency `actor` speaks as: their department's (`agency_of`)."""
    return agency_of(session, actor.department_id)


def reads_reports(actor) -> bool:
    """Holds a role that reads some agency's report and requests (the menu shows them)."""
    return is_admin(actor) or bool(actor.role_keys & REPORT_READERS)


def report_refusal(session, actor, agency_id: int | None, agency_name: str, write: bool) -> str | None:
    """Why `actor` may not read (or write) the agency's report; None when they may."""
    if (may_write_report if write else may_read_report)(session, actor, agency_id):
        return None
    verb = "编辑" if write else "查看"
    if not (is_admin(actor) or actor.role_keys & (REPORT_WRITERS if write else REPORT_READERS)):
        return ("只有公开专员和管理员可以编辑年度报告 (publishers and admins)" if write else
                "只有公开专员、领导和管理员可以查看年度报告 (publishers, leaders and admins)")
    return f"只能{verb}本机关的年度报告，不能{verb}{agency_name}的 (only your own agency's report)"


def may_read_report(session, actor, agency_id: int | None) -> bool:
    if actor is None:
        return False
    return actor.is_admin or bool(actor.role_keys & REPORT_READERS) and own_agency(session, actor) == agency_id


def may_write_report(session, actor, agency_id: int | None) -> bool:
    if actor is None:
        return False
    return actor.is_admin or bool(actor.role_keys & REPORT_WRITERS) and own_agency(session, actor) == agency_id


# Acting in an agency's name beyond its report: registering a request addressed to it and editing its
# 政府信息公开指南 (Art. 12). Its publishers do; admins do for every agency.
AGENCY_OFFICERS = {"publisher"}


def may_act_for_agency(session, actor, agency_id: int | None) -> bool:
    if actor is None:
        return False
    return actor.is_admin or bool(actor.role_keys & AGENCY_OFFICERS) and own_agency(session, actor) == agency_id


def is_agency_officer(actor) -> bool:
    """Holds the role that acts in an agency's name (its guide, its requests): the menu shows those."""
    return bool(actor.role_keys & AGENCY_OFFICERS)


def may_act_for_any_agency(actor) -> bool:
    """Registering a request for any agency, importing into or listing any department: admins (and
    the system itself, acting for nobody)."""
    return actor is None or is_admin(actor)


def may_read_agency_settings(session, actor, agency_id: int | None) -> bool:
    """An agency's letter settings: its own staff, and admins."""
    return is_admin(actor) or own_agency(session, actor) == agency_id


# Supervision records (监督记录): the 政务公开办 and admins record them for any agency, an agency's
# publishers for their own; its leaders read them too.
SUPERVISION_READERS = {"publisher", "leader"}


def may_record_supervision(session, actor, agency_id: int | None) -> bool:
    return is_gongkai_office(actor) or may_act_for_agency(session, actor, agency_id)


def may_read_supervision(session, actor, agency_id: int | None) -> bool:
    return may_record_supervision(session, actor, agency_id) or (
        bool(actor.role_keys & SUPERVISION_READERS) and own_agency(session, actor) == agency_id)


def opens_supervision(actor) -> bool:
    """The supervision page in the menu: the office and admins (every agency), an agency's officers."""
    return is_gongkai_office(actor) or is_agency_officer(actor)
