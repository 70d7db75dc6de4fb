"""Tasks nobody can take: an open task with no active user who may act on it (its assignee is
disabled, or no active user holds its role in its department) opens an incident naming the task,
the role and the department, listed for the admin and the 政务公开办, and never waits unseen.

Checked in the transaction that creates a task (`open_for(session, instance_id)`) and by a periodic
sweep (`sweep`), which also catches a task stranded later — its last holder disabled or moved — and
resolves the incident once someone can take the task again or it is no longer open. Unlike a failed
job, a stranded task leaves its instance's status alone: the procedure is right, people are missing.
"""

from functools import lru_cache

from sqlalchemy import and_, bindparam, exists, or_, select

from engine import access, audit, clock, users
from engine.db import reading, transaction
from engine.errors import Conflict, Forbidden
from engine.models import Department, HumanTask, Incident, Role, User, user_roles


def _takers():
    """SQL: an active user may act on the task (`access.may_act_on_task` over the users table)."""
    holder = exists(select(User.id).join(user_roles, user_roles.c.user_id == User.id)
                    .join(Role, Role.id == user_roles.c.role_id)
                    .where(User.active.is_(True), Role.key == HumanTask.role,
                           or_(HumanTask.department_id.is_(None), User.department_id == HumanTask.department_id)))
    assignee = exists(select(User.id).where(User.id == HumanTask.assignee_id, User.active.is_(True)))
    return or_(and_(HumanTask.assignee_id.is_not(None), assignee), and_(HumanTask.assignee_id.is_(None), holder))


def _open_incident(task_id):
    return exists(select(Incident.id).where(Incident.human_task_id == task_id, Incident.resolved_at.is_(None)))


@lru_cache(maxsize=2)
def _stranded_ids(of_one_instance: bool):
    # Built once and run as a plain statement (a transition that creates a task asks this, and the
    # answer is nearly always none): the ORM's loading machinery cost more than the query.
    query = select(HumanTask.id).where(HumanTask.status == "open", ~_takers(), ~_open_incident(HumanTask.id))
    return query.where(HumanTask.instance_id == bindparam("instance_id")) if of_one_instance else query


def open_for(session, instance_id: int | None = None) -> int:
    """Open an incident for every open task (of `instance_id`, or all) nobody can take and none is
    open for yet; return how many were opened."""
    session.flush()  # what the ORM's own query did first: pending incidents and rows are seen
    ids = session.connection().execute(_stranded_ids(instance_id is not None), {"instance_id": instance_id}).scalars().all()
    if not ids:
        return 0
    opened = 0
    for task in session.scalars(select(HumanTask).where(HumanTask.id.in_(ids)).order_by(HumanTask.id)):
        message = describe(session, task)
        session.add(Incident(instance_id=task.instance_id, bpmn_id=task.bpmn_id, human_task_id=task.id,
                             message=message))
        audit.record(session, "task_stranded", actor="engine", instance_id=task.instance_id,
                     document_id=task.document_id, request_id=task.request_id, bpmn_id=task.bpmn_id, error=message)
        opened += 1
    return opened


def describe(session, task) -> str:
    """What is missing, in the words an admin acts on."""
    if task.assignee_id is not None:
        return f"任务“{task.name}”（{task.title or ''}）指定的办理人已停用，无人可办：请改派或启用该用户"
    role = session.scalar(select(Role.name).where(Role.key == task.role)) or users.BUILTIN_ROLES.get(task.role, task.role)
    dept = session.get(Department, task.department_id) if task.department_id else None
    where = dept.name if dept is not None else "任何部门"
    return (f"任务“{task.name}”（{task.title or ''}）无人可办：{where}没有在岗的{role}"
            f"（{task.role}）。请在用户管理中为{where}添加或启用该角色的用户 "
            f"(no active user holds role {task.role} in {where})")


def resolve(session) -> int:
    """Resolve the stranded-task incidents whose task someone can take again or that is closed."""
    takeable = select(HumanTask.id).where(HumanTask.status == "open", _takers())
    closed = select(HumanTask.id).where(HumanTask.status != "open")
    rows = session.scalars(select(Incident).where(Incident.human_task_id.is_not(None), Incident.resolved_at.is_(None),
                                                  or_(Incident.human_task_id.in_(takeable),
                                                      Incident.human_task_id.in_(closed))))
    done = 0
    for incident in rows:
        incident.resolved_at, incident.resolved_by = clock.now(), "system"
        audit.record(session, "task_takeable", actor="engine", instance_id=incident.instance_id,
                     bpmn_id=incident.bpmn_id, incident=incident.id)
        done += 1
    return done


def sweep() -> int:
    """The periodic check: open incidents for newly stranded tasks, resolve the ones taken care of."""
    with transaction() as s:
        return open_for(s) + resolve(s)


def retry(session, incident) -> None:
    """The admin's retry of a stranded-task incident: resolved when someone can now take the task,
    refused (saying what is still missing) otherwise."""
    task = session.get(HumanTask, incident.human_task_id)
    if task is not None and task.status == "open" and session.scalar(
            select(HumanTask.id).where(HumanTask.id == task.id, _takers())) is None:
        raise Conflict(describe(session, task))
    incident.resolved_at = clock.now()


def may_see(actor) -> bool:
    return access.is_gongkai_office(actor)


def list_for(actor) -> list[dict]:
    """The open stranded tasks, for the admin and the 政务公开办 (their dashboards)."""
    if not may_see(actor):
        raise Forbidden("只有管理员和政务公开办可以查看无人可办的任务 (admins and the 政务公开办)")
    with reading() as s:
        rows = s.execute(select(Incident, HumanTask).join(HumanTask, HumanTask.id == Incident.human_task_id)
                         .where(Incident.resolved_at.is_(None)).order_by(Incident.id)).all()
        names = users.department_names()
        return [{"incident_id": i.id, "task_id": t.id, "name": t.name, "role": t.role,
                 "department": names.get(t.department_id), "title": t.title, "request_id": t.request_id,
                 "document_id": t.document_id, "instance_id": t.instance_id, "message": i.message,
                 "since": i.created_at.isoformat()} for i, t in rows]
