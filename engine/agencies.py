"""Agency identity: which 行政机关 speaks for a department on its letters, catalogue and report.

A department with an agency name is its own administrative organ; an internal office (no agency
name) speaks with its parent's identity, and the top of the tree with the installation's own
(GONGKAI_AGENCY_NAME and the `agency_code` / `agency_kind` settings).
"""

from sqlalchemy import select

from engine import access, agency_settings, audit, letter_style, users
from engine.agency_settings import AGENCY_CODE as CODE
from engine.agency_settings import AGENCY_KINDS as KINDS
from engine.config import current
from engine.db import reading, transaction
from engine.errors import Invalid, NotFound
from engine.models import Department, Role, User, user_roles

MAX_DEPTH = 20  # a longer parent chain can only be a cycle that slipped in
# Who takes a request addressed to an agency (Art. 4: its 政府信息公开工作机构's 公开专员): without an
# active one in the receiving department, a request would wait on a task nobody can take.
INTAKE_ROLE = "publisher"
ROOT = "root"  # how a URL or a form names the installation's own agency (a department's is its id)


def identity(session, department_id: int | None) -> dict:
    """The agency whose name a department's documents and letters carry: {name, code, kind, department_id}."""
    agency_id = access.agency_of(session, department_id)
    if agency_id is None:
        return root(session)
    dept = session.get(Department, agency_id)
    return {"name": dept.agency_name, "code": dept.agency_code or _root_code(session),
            "kind": dept.agency_kind or "department", "department_id": dept.id}


def root(session) -> dict:
    """The installation's own agency (the top of every department tree)."""
    values = agency_settings.load(session)
    return {"name": current().agency_name, "code": values["agency_code"], "kind": values["agency_kind"],
            "department_id": None}


def speakers(session, agency_id: int | None) -> list[int]:
    """The departments that speak as an agency (its department id, None for the installation): the
    agency itself and the internal offices under it, not the sub-departments with their own name."""
    rows = {d.id: d for d in session.scalars(select(Department))}

    def speaks_as(dept):
        for _ in range(MAX_DEPTH):
            if dept.agency_name or dept.parent_id not in rows:
                return dept.id if dept.agency_name else None
            dept = rows[dept.parent_id]
        return None

    return sorted(d.id for d in rows.values() if speaks_as(d) == agency_id)


def all_agencies(session) -> list[dict]:
    """The installation's agency first, then every department that is its own agency, by name."""
    own = session.scalars(select(Department).where(Department.agency_name.is_not(None)).order_by(Department.name))
    return [root(session), *(identity(session, d.id) for d in own)]


def named(session, value) -> dict | None:
    """The agency `value` names: "root" the installation's, a department id one with its own agency
    name; None for anything else (an internal office is not an agency one can address)."""
    text = str(value).strip()
    if text == ROOT:
        return root(session)
    dept = session.get(Department, int(text)) if text.isdigit() and 0 < int(text) < 2**63 else None
    return identity(session, dept.id) if dept is not None and dept.agency_name else None


def key_of(agency: dict) -> str:
    """How a URL or form names `agency` (see `named`)."""
    return str(agency["department_id"] or ROOT)


def public_list(requests_only: bool = False) -> list[dict]:
    """The agencies the public may address (a guide, a catalogue filter; a request only where
    `takes_requests`, and with `requests_only` only those): `key` is what a URL or form passes
    ("root" or the department id), the installation's first."""
    with reading() as s:
        listed = [{"key": key_of(a), "id": a["department_id"], "name": a["name"], "kind": a["kind"],
                   "takes_requests": takes_requests(s, a)} for a in all_agencies(s)]
    return [a for a in listed if a["takes_requests"] or not requests_only]


def configured_intake(session) -> int | None:
    """The installation's 政府信息公开工作机构 (the `intake_department` setting), which receives its requests."""
    name = agency_settings.load(session)["intake_department"]
    return session.scalar(select(Department.id).where(Department.name == name))


def intake_of(session, agency: dict) -> int | None:
    """The department that receives the requests addressed to `agency`."""
    return agency["department_id"] or configured_intake(session)


def has_active(session, role: str, department_id: int | None) -> bool:
    """Does an active user hold `role` in the department?"""
    return department_id is not None and session.scalar(
        select(User.id).join(user_roles, user_roles.c.user_id == User.id).join(Role, Role.id == user_roles.c.role_id)
        .where(User.active.is_(True), Role.key == role, User.department_id == department_id).limit(1)) is not None


def takes_requests(session, agency: dict) -> bool:
    """Can `agency` take a request now: an active 公开专员 in the department that receives it."""
    return has_active(session, INTAKE_ROLE, intake_of(session, agency))


def missing_intake(session, agency: dict) -> str | None:
    """Why `agency` cannot take a request (None when it can), naming what an admin must add."""
    if takes_requests(session, agency):
        return None
    dept = session.get(Department, intake_of(session, agency)) if intake_of(session, agency) else None
    where = dept.name if dept is not None else "政府信息公开工作机构"
    return (f"{agency['name']}暂不能受理申请：{where}没有在岗的公开专员（publisher）。"
            f"请先为{where}添加公开专员 (no active publisher in {where})")


def _root_code(session) -> str:
    return root(session)["code"]


def for_user(session, user_id: int | None) -> dict:
    user = session.get(User, user_id) if user_id else None
    return identity(session, user.department_id if user else None)


def for_request(session, req) -> dict:
    """The 行政机关 in whose name a request is answered (and counted): the receiving department's agency."""
    return identity(session, req.intake_department_id or req.department_id)


def name_for_request(session, req) -> str:
    return for_request(session, req)["name"]


def department_name(session, department_id) -> str | None:
    return session.scalar(select(Department.name).where(Department.id == department_id)) if department_id else None


def view(session, dept: Department) -> dict:
    parent = session.get(Department, dept.parent_id) if dept.parent_id else None
    return {"id": dept.id, "name": dept.name, "agency_name": dept.agency_name, "agency_code": dept.agency_code,
            "agency_kind": dept.agency_kind, "parent": parent.name if parent else None,
            "own_agency": bool(dept.agency_name), "speaks_as": identity(session, dept.id)["name"]}


def list_all(actor) -> list[dict]:
    access.require_admin(actor)
    with reading() as s:
        return [view(s, d) for d in s.scalars(select(Department).order_by(Department.name))]


def update_department(actor, department_id: int, changes: dict) -> dict:
    """Set a department's identity (admin): its own agency name/code/kind, or none and a parent."""
    access.require_admin(actor)
    if not isinstance(changes, dict):
        raise Invalid("请求体必须是对象 (body must be an object)")
    with transaction() as s:
        dept = s.get(Department, department_id)
        if dept is None:
            raise NotFound("部门不存在 (no such department)")
        for key, value in _clean(s, dept, changes).items():
            setattr(dept, key, value)
        audit.record(s, "department_identity_changed", actor=actor, department=dept.name, keys=sorted(changes))
        s.flush()
        return view(s, dept)


def _clean(session, dept, changes) -> dict:
    out, errors = {}, {}
    for key in set(changes) - {"agency_name", "agency_code", "agency_kind", "parent"}:
        errors[key] = ["未知字段 (unknown field)"]
    if "agency_name" in changes:
        name = str(changes["agency_name"] or "").strip()
        if len(name) > 100:
            errors["agency_name"] = ["机关名称最多100字 (at most 100 characters)"]
        out["agency_name"] = name or None  # empty: an internal office speaking as its parent
    if "agency_code" in changes:
        code = str(changes["agency_code"] or "").strip()
        if code and not CODE.match(code):
            errors["agency_code"] = ["机关代码只能包含字母、数字、点和连字符，最多40位 (letters, digits, . and -)"]
        out["agency_code"] = code or None
    if "agency_kind" in changes:
        if changes["agency_kind"] not in (None, "", *KINDS):
            errors["agency_kind"] = [f"应为以下之一 (one of): {', '.join(KINDS)}"]
        out["agency_kind"] = changes["agency_kind"] or None
    if "parent" in changes:
        out["parent_id"] = _parent(session, dept, changes["parent"], errors)
    if out.get("agency_name") and not dept.agency_name and not has_active(session, INTAKE_ROLE, dept.id):
        # Its own agency receives its own requests (Art. 27): someone there must take them.
        errors["agency_name"] = [f"{dept.name}没有在岗的公开专员（publisher），设为独立机关后其收到的政府信息公开申请"
                                 f"将无人办理。请先在用户管理中为{dept.name}添加公开专员 (no active publisher in {dept.name})"]
    if errors:
        raise Invalid("部门设置有误 (the department settings have errors)", fields=errors)
    return out


def _parent(session, dept, value, errors):
    try:
        parent_id = users.department_id_for(session, value)
    except Invalid:
        errors["parent"] = ["没有这个部门 (no such department)"]
        return None
    ancestor, depth = parent_id, 0
    while ancestor is not None and depth < MAX_DEPTH:
        if ancestor == dept.id:
            errors["parent"] = ["上级部门不能是本部门或其下级 (a department cannot be its own ancestor)"]
            return None
        ancestor, depth = session.scalar(select(Department.parent_id).where(Department.id == ancestor)), depth + 1
    return parent_id


def letter_styles(actor) -> list[dict]:
    """Each agency with its letter house style (admin): {key, name, style}."""
    access.require_admin(actor)
    with reading() as s:
        saved = agency_settings.load(s)["letter_style"]
        return [{"key": key_of(a), "name": a["name"], "style": letter_style.style_of(saved, key_of(a))}
                for a in all_agencies(s)]


def set_letter_style(actor, agency_key: str, values: dict) -> dict:
    """Save one agency's letter house style (admin): its 发文机关代字 and how 成文日期 is written."""
    access.require_admin(actor)
    with reading() as s:
        if named(s, agency_key) is None:
            raise NotFound("机关不存在 (no such agency)")
        saved = dict(agency_settings.load(s)["letter_style"])
    saved[str(agency_key)] = letter_style.check(values)
    agency_settings.update(actor, {"letter_style": saved})
    return saved[str(agency_key)]
