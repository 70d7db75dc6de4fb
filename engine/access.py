"""Who may see or act on a task, an instance, a document, a request, a work-plan task, or in an
agency's name (its annual report, its requests, its guide): one function per question.

Each rule is written twice, side by side so they change together: in Python for one row
(`may_see_document(session, actor, doc)`) and as a SQL clause for lists (`document_clause(actor)`,
executed with `params(actor)`). Every lookup uses them — including ids that arrive in form data.
"""

from sqlalchemy import bindparam, exists, false, or_, select, true

from engine import agencies
from engine.errors import Forbidden, Invalid, NotFound
from engine.models import Document, HumanTask, InformationRequest, WorkPlanUnit

# Staff who read every document of their department; a drafter reads the ones they drafted.
DOCUMENT_STAFF = {"dept_reviewer", "secrecy_reviewer", "leader", "publisher"}
# The intake office's staff read every request it received; the handling department's, those it handles.
REQUEST_INTAKE = {"publisher", "leader", "secrecy_reviewer"}
REQUEST_HANDLERS = {"drafter", "dept_reviewer", "leader", "publisher"}

# The caller, as bind parameters: statements are built once per shape and run with `params(actor)`.
ME, DEPT, ROLES = bindparam("me"), bindparam("dept"), bindparam("roles", expanding=True)


def params(actor) -> dict:
    return {"me": actor.id, "dept": actor.department_id, "roles": sorted(actor.role_keys) or [""]}


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
    return actor.has_role(task.role) and (task.department_id is None or task.department_id == actor.department_id)


def task_actor_clause():
    """`may_act_on_task` as SQL."""
    return or_(HumanTask.assignee_id == ME,
               HumanTask.assignee_id.is_(None) & HumanTask.role.in_(ROLES)
               & or_(HumanTask.department_id == DEPT, HumanTask.department_id.is_(None)))


def may_see_task(actor, task) -> bool:
    return (actor.is_admin or may_act_on_task(actor, task) or task.claimed_by == actor.id
            or task.completed_by == actor.id)


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
    """Return the document if `actor` may see it (`may_see_document`); NotFound / Forbidden otherwise."""
    number = as_id(document_id)
    doc = session.get(Document, number) if number is not None else None
    if doc is None:
        raise NotFound("文件不存在 (no such document)")
    if not may_see_document(session, actor, doc):
        raise Forbidden("您无权查看此文件 (not your document)")
    return doc


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
    """Return the request if `actor` may see it (`may_see_request`); NotFound / Forbidden otherwise."""
    query = select(InformationRequest).where(InformationRequest.id == as_id(request_id))
    req = session.scalar(query.with_for_update() if lock else query)
    if req is None:
        raise NotFound("申请不存在 (no such request)")
    if not may_see_request(session, actor, req):
        raise Forbidden("您无权查看此申请 (not a request of your office or department)")
    return req


def request_clause(actor):
    """`may_see_request` as SQL (run with `params(actor)`)."""
    if actor.is_admin:
        return true()
    intake = InformationRequest.intake_department_id == DEPT if actor.role_keys & REQUEST_INTAKE else false()
    handling = InformationRequest.department_id == DEPT if actor.role_keys & REQUEST_HANDLERS else false()
    return or_(intake, handling, _sees_a_task(actor, HumanTask.request_id == InformationRequest.id))


# Instances -----------------------------------------------------------------------------------

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
WORKPLAN_OFFICE_ROLE = "gongkai_office"


def is_workplan_office(actor) -> bool:
    return actor is not None and (actor.is_admin or actor.has_role(WORKPLAN_OFFICE_ROLE))


def workplan_task_ids(actor):
    """The work-plan task ids `actor` may see, as a select (None: every one, for the office)."""
    if is_workplan_office(actor):
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


def own_agency(session, actor) -> int | None:
    """The agency `actor` speaks as: their department's (see `agencies.identity`)."""
    return agencies.identity(session, actor.department_id)["department_id"]


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
