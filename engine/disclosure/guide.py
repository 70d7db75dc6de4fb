"""The 政府信息公开指南 (Art. 12): each 行政机关 publishes its own guide, kept by the admin or that
agency's publisher (`access.may_act_for_agency`).

Stored as one agency setting per agency; every section Art. 12 names is required before saving (the
工作机构's name, address, hours, phone, fax and internet contact among them). Until one is saved, a
guide shows what the product itself knows (its categories, how the catalogue is ordered, where to
search and file requests, the department receiving requests) and leaves the contacts marked missing.
"""

from engine import access, agencies, audit, clock
from engine.db import reading, transaction
from engine.disclosure import CATEGORY_NAMES
from engine.errors import Forbidden, Invalid, NotFound
from engine.models import AgencySetting, Department

KEY = "disclosure_guide"  # the installation's; a department agency's is KEY:<its department id>
SECTIONS = (("classification", "分类"), ("arrangement", "编排体系"), ("obtaining", "获取方式"),
            ("work_office", "政府信息公开工作机构"), ("office_address", "办公地址"), ("office_hours", "办公时间"), ("phone", "联系电话"),
            ("fax", "传真号码"), ("internet", "互联网联系方式"))
MAX_CHARS = 4000


def _defaults(session, owner: dict) -> dict:
    office = session.get(Department, agencies.intake_of(session, owner)) if agencies.intake_of(session, owner) else None
    return {
        # Art. 12 asks for the 工作机构's name: by default the department that receives the agency's requests.
        "work_office": f"{owner['name']}政府信息公开工作机构：{office.name}" if office is not None else "",
        "classification": "本机关主动公开的政府信息分为：" + "、".join(CATEGORY_NAMES.values()) + "。",
        "arrangement": "政府信息按主题分类和基层政务公开标准目录编排，每条信息有唯一的索引号，"
                       "并标明发布机构、成文日期、发布日期和有效性。",
        "obtaining": "主动公开的政府信息可在本网站“主动公开目录”检索、查阅；依申请公开的，"
                     "可通过本网站“依申请公开”在线提交申请，也可以当面、信函或传真提交。",
    }


def agency_of(session, value=None) -> dict:
    """The agency whose guide `value` names ("root", a department agency's id; empty: the installation's)."""
    agency = agencies.root(session) if value in (None, "") else agencies.named(session, value)
    if agency is None:
        raise NotFound("没有这个机关：agency 应为 root 或有独立机关名称的部门编号 "
                       "(no such agency: root, or the id of a department with its own agency name)")
    return agency


def _key(agency: dict) -> str:
    return f"{KEY}:{agency['department_id']}" if agency["department_id"] else KEY


def load(agency=None, session=None) -> dict:
    """An agency's guide: its sections in Art. 12's order, who last saved it and whether it is complete."""
    if session is None:
        with reading() as s:
            return load(agency, s)
    owner = agency_of(session, agency)
    row = session.get(AgencySetting, _key(owner))
    saved = (row.value or {}).get("value") or {} if row else {}
    texts = {**_defaults(session, owner), **saved}
    sections = [{"key": key, "title": title, "text": texts.get(key) or ""} for key, title in SECTIONS]
    return {"agency": owner["name"], "agency_id": owner["department_id"], "agency_key": agencies.key_of(owner),
            "sections": sections,
            "complete": all(s["text"] for s in sections),
            "updated_at": row.updated_at.isoformat() if row else None, "updated_by": row.updated_by if row else None}


def for_editor(actor, agency=None) -> dict:
    """The guide `actor` edits: the named agency's, by default their own agency's (refused unless they
    may edit it)."""
    with reading() as s:
        owner = agency_of(s, agency) if agency not in (None, "") else agencies.identity(s, actor.department_id)
        _require_editor(s, actor, owner)
        return load(agencies.key_of(owner), s)


def _require_editor(session, actor, owner: dict) -> None:
    if not access.may_act_for_agency(session, actor, owner["department_id"]):
        raise Forbidden(f"只有管理员和本机关的公开专员可以编辑{owner['name']}的公开指南 (the admin or the agency's publisher)")


def check(data) -> dict:
    """Every section is required and plain text of at most MAX_CHARS characters."""
    if not isinstance(data, dict):
        raise Invalid("请求体必须是对象 (body must be an object)")
    errors, out = {}, {}
    for key, title in SECTIONS:
        text = data.get(key)
        text = text.strip() if isinstance(text, str) else ""
        if not text:
            errors[key] = [f"请填写{title} (required)"]
        elif len(text) > MAX_CHARS:
            errors[key] = [f"{title}最多{MAX_CHARS}字 (at most {MAX_CHARS} characters)"]
        out[key] = text
    for key in set(data) - {k for k, _t in SECTIONS}:
        errors[key] = ["未知栏目 (unknown section)"]
    if errors:
        raise Invalid("公开指南内容不完整 (the guide is incomplete)", fields=errors)
    return out


def save(actor, data, agency=None) -> dict:
    """Replace an agency's guide (the admin, or that agency's publisher)."""
    with transaction() as s:
        owner = agency_of(s, agency)
        _require_editor(s, actor, owner)
        clean = check(data)
        row = s.get(AgencySetting, _key(owner)) or AgencySetting(key=_key(owner))
        row.value, row.updated_by, row.updated_at = {"value": clean}, actor.username, clock.now()
        s.add(row)
        audit.record(s, "guide_saved", actor=actor, agency=owner["name"])
        s.flush()
        return load(agency, s)
