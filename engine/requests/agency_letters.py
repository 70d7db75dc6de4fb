"""What an agency's letters name besides the agency: the remedy bodies (复议机关 and the court, Art.
51) and the 信访 channel an Art. 39 letter points to. Each agency has its own, the installation's
settings being the default.

Under the 行政复议法 (revised 2023, in force 2024-01-01) a county department's 复议机关 is the county
people's government (相对集中复议), not its superior department; vertically managed agencies (海关,
金融, 外汇, 税务, 国家安全) go to their superior. So a department agency defaults to the
`department_reconsideration_body` setting (the county government) and the installation itself to
`reconsideration_body` (its own superior); either may be set per agency here.
"""

from engine import access, agencies, agency_settings, audit, clock
from engine.db import reading, transaction
from engine.errors import Invalid, NotFound
from engine.models import AgencySetting

KEY = "agency_letters"  # an agency's own values: agency_letters:<department id>, the installation's agency_letters
BODIES = ("reconsideration_body", "litigation_court")
FIELDS = (*BODIES, "petition_channel")


def _key(agency: dict) -> str:
    return f"{KEY}:{agency['department_id']}" if agency["department_id"] else KEY


def defaults(session, agency: dict) -> dict:
    """The installation's values for `agency` (a department agency's 复议机关 is the government's)."""
    values = agency_settings.load(session)
    body = values["department_reconsideration_body"] if agency["department_id"] else values["reconsideration_body"]
    return {"reconsideration_body": body, "litigation_court": values["litigation_court"],
            "petition_channel": values["petition_channel"]}


def for_agency(session, agency: dict) -> dict:
    """The values `agency`'s letters name: its own where set, else the installation's."""
    row = session.get(AgencySetting, _key(agency))
    own = ((row.value or {}).get("value") or {}) if row else {}
    return {**defaults(session, agency), **{k: v for k, v in own.items() if k in FIELDS}}


def _agency(session, value) -> dict:
    agency = agencies.named(session, value if value not in (None, "") else agencies.ROOT)
    if agency is None:
        raise NotFound("没有这个机关 (no such agency: root, or the id of a department with its own agency name)")
    return agency


def view(actor, value=None) -> dict:
    """An agency's letter settings with the defaults they override (its staff and the admin)."""
    with reading() as s:
        agency = _agency(s, value)
        access.require(access.may_read_agency_settings(s, actor, agency["department_id"]),
                       "只能查看本机关的设置 (only your own agency's)")
        row = s.get(AgencySetting, _key(agency))
        own = ((row.value or {}).get("value") or {}) if row else {}
        return {"agency": agency["name"], "agency_key": agencies.key_of(agency), **for_agency(s, agency),
                "own": sorted(own), "defaults": defaults(s, agency)}


def save(actor, value, data) -> dict:
    """Set (or, with an empty value, clear back to the default) an agency's values (admin)."""
    access.require_admin(actor)
    clean = check(data)
    with transaction() as s:
        agency = _agency(s, value)
        row = s.get(AgencySetting, _key(agency)) or AgencySetting(key=_key(agency))
        own = {**((row.value or {}).get("value") or {}), **clean}
        row.value = {"value": {k: v for k, v in own.items() if v}}
        row.updated_by, row.updated_at = actor.username, clock.now()
        s.add(row)
        audit.record(s, "agency_letters_changed", actor=actor, agency=agency["name"], keys=sorted(clean))
    return view(actor, value)


def check(data) -> dict:
    """Bodies need a name and an address (the letter gives both); the channel is plain text."""
    if not isinstance(data, dict):
        raise Invalid("请求体必须是对象 (body must be an object)")
    errors, out = {}, {}
    for key in set(data) - set(FIELDS):
        errors[key] = ["未知字段 (unknown field)"]
    for key in BODIES:
        if key not in data:
            continue
        body = data[key] or {}
        name, address = (str(body.get(k) or "").strip() if isinstance(body, dict) else "" for k in ("name", "address"))
        if bool(name) != bool(address):
            errors[key] = ["请同时填写机关名称和地址，或都留空以使用默认值 (name and address, or neither)"]
        out[key] = {"name": name[:100], "address": address[:200]} if name else None
    if "petition_channel" in data:
        text = str(data["petition_channel"] or "").strip()
        if len(text) > 300:
            errors["petition_channel"] = ["最多300字 (at most 300 characters)"]
        out["petition_channel"] = text or None
    if errors:
        raise Invalid("答复文书设置有误 (the letter settings have errors)", fields=errors)
    return out
