"""Supervision records (监督保障): what the Regulations ask an agency and its supervisor to keep,
counted in the annual report instead of typed into it.

- Art. 44 ¶2: an applicant may suggest that information they requested be published proactively;
  the agency records the suggestion (with the request) and answers it (adopted or declined).
- Art. 46: 考核 (the government's assessment of disclosure work) and 社会评议 (public evaluation).
- Art. 47: 责任追究 — who was held to account, and how many people.
- Art. 51: a complaint (投诉) or a report (举报) to the supervising office, recorded and handled.

Who: the admin and the 政务公开办 (gongkai_office, the supervising office) for every agency; an
agency's publishers for their own (its staff's leaders read them). Each record belongs to an agency
(0 for the installation's own), as the annual report does.
"""

from datetime import date

from sqlalchemy import select

from engine import access, agencies, audit, calendar, clock
from engine.db import reading, transaction
from engine.errors import Conflict, Forbidden, Invalid, NotFound
from engine.models import InformationRequest, SupervisionRecord

KINDS = {"suggestion": "申请人建议主动公开（第四十四条）", "assessment": "考核（第四十六条）",
         "social_review": "社会评议（第四十六条）", "accountability": "责任追究（第四十七条）",
         "complaint": "投诉（第五十一条）", "report": "举报（第五十一条）"}
OUTCOMES = {"suggestion": {"adopted": "采纳，纳入主动公开", "declined": "不予采纳"},
            "complaint": {"upheld": "属实，已责令改正", "rejected": "不属实"},
            "report": {"upheld": "属实，已责令改正", "rejected": "不属实"}}


def _agency_key(agency: dict) -> int:
    return agency["department_id"] or 0


def may_record(session, actor, agency: dict) -> bool:
    return access.may_record_supervision(session, actor, agency["department_id"])


def may_read(session, actor, agency: dict) -> bool:
    return access.may_read_supervision(session, actor, agency["department_id"])


def _agency(session, actor, value) -> dict:
    agency = agencies.named(session, value) if value not in (None, "") else agencies.identity(session, actor.department_id)
    if agency is None:
        raise Invalid("没有这个机关 (no such agency)", fields={"agency": ["root, or the id of an agency"]})
    return agency


def view(session, row: SupervisionRecord) -> dict:
    return {"id": row.id, "agency_id": row.agency_id or None, "kind": row.kind, "kind_name": KINDS[row.kind],
            "received_on": row.received_on, "party": row.party, "subject": row.subject,
            "request_id": row.request_id, "persons": row.persons, "status": row.status, "result": row.result,
            "outcome": row.outcome, "outcome_name": OUTCOMES.get(row.kind, {}).get(row.outcome or ""),
            "handled_on": row.handled_on, "handled_by": row.handled_by,
            "created_by": row.created_by, "created_at": row.created_at}


def list_for(actor, agency=None, year=None, kind=None) -> dict:
    """An agency's records (the caller's own by default), newest first, optionally of a year and kind."""
    with reading() as s:
        owner = _agency(s, actor, agency)
        if not may_read(s, actor, owner):
            raise Forbidden("只能查看本机关的监督记录 (only your own agency's records)")
        query = select(SupervisionRecord).where(SupervisionRecord.agency_id == _agency_key(owner))
        if year:
            if not 2000 <= int(year) <= 2100:
                raise Invalid("年份有误 (a year between 2000 and 2100)", fields={"year": ["2000–2100"]})
            query = query.where(SupervisionRecord.received_on.between(date(int(year), 1, 1), date(int(year), 12, 31)))
        if kind:
            query = query.where(SupervisionRecord.kind == kind)
        rows = s.scalars(query.order_by(SupervisionRecord.received_on.desc(), SupervisionRecord.id.desc()).limit(500))
        return {"agency": owner["name"], "agency_key": agencies.key_of(owner), "items": [view(s, r) for r in rows]}


def add(actor, data: dict) -> dict:
    """Record a suggestion, an assessment, an evaluation, an accountability decision, a complaint or a report."""
    if not isinstance(data, dict):
        raise Invalid("请求体必须是对象 (body must be an object)")
    with transaction() as s:
        owner = _agency(s, actor, data.get("agency"))
        if not may_record(s, actor, owner):
            raise Forbidden("只有管理员、政务公开办和本机关的公开专员可以登记监督记录 (admin, office, the agency's publisher)")
        clean = _clean(s, actor, owner, data)
        row = SupervisionRecord(agency_id=_agency_key(owner), status="open", created_by=actor.username, **clean)
        s.add(row)
        s.flush()
        audit.record(s, "supervision_recorded", actor=actor, request_id=row.request_id, record_id=row.id,
                     kind=row.kind, agency=owner["name"])
        return view(s, row)


def _clean(session, actor, owner, data) -> dict:
    errors = {}
    kind = data.get("kind")
    if kind not in KINDS:
        errors["kind"] = [f"应为以下之一 (one of): {', '.join(KINDS)}"]
    received = calendar.parse_day(data.get("received_on"), "received_on", errors, required=True)
    if received and received > clock.today():
        errors["received_on"] = ["不能晚于今天 (not in the future)"]
    subject = str(data.get("subject") or "").strip()
    if not subject:
        errors["subject"] = ["请写明事项 (required)"]
    party = str(data.get("party") or "").strip()
    request_id = None
    if kind == "suggestion":  # Art. 44 ¶2: made by the applicant of a request to this agency
        req = _request(session, actor, owner, data.get("request_id"), errors)
        request_id, party = (req.id, party or req.applicant_name) if req is not None else (None, party)
    if not party:
        errors["party"] = ["请写明提出人、考核或评议组织者、被追究者 (required)"]
    persons = data.get("persons")
    if kind == "accountability" and (isinstance(persons, bool) or not isinstance(persons, int) or not 1 <= persons <= 10000):
        errors["persons"] = ["请填写被追究责任的人数 (1 or more)"]
    if errors:
        raise Invalid("监督记录有误 (the record has errors)", fields=errors)
    return {"kind": kind, "received_on": received, "subject": subject[:4000], "party": party[:200],
            "request_id": request_id, "persons": persons if kind == "accountability" else None}


def _request(session, actor, owner, value, errors) -> InformationRequest | None:
    rid = access.as_id(value)
    req = session.get(InformationRequest, rid) if rid else None
    if req is None or not access.may_see_request(session, actor, req) \
            or agencies.for_request(session, req)["department_id"] != owner["department_id"]:
        errors["request_id"] = ["请填写本机关收到的该申请人的申请编号 (a request to this agency)"]
        return None
    return req


def handle(actor, record_id: int, data: dict) -> dict:
    """Record how it was handled: the result, the day, and for a suggestion or complaint its outcome."""
    if not isinstance(data, dict):
        raise Invalid("请求体必须是对象 (body must be an object)")
    with transaction() as s:
        row = s.get(SupervisionRecord, access.as_id(record_id), with_for_update=True)
        owner = agencies.named(s, row.agency_id or agencies.ROOT) if row is not None else None
        if row is None or owner is None or not may_read(s, actor, owner):
            raise NotFound("监督记录不存在 (no such record)")
        if not may_record(s, actor, owner):
            raise Forbidden("只有管理员、政务公开办和本机关的公开专员可以办理 (admin, office, the agency's publisher)")
        if row.status == "handled":
            raise Conflict("该记录已办结 (already handled)")
        errors = {}
        on = calendar.parse_day(data.get("handled_on"), "handled_on", errors, required=True)
        if on and not row.received_on <= on <= clock.today():
            errors["handled_on"] = ["应在收到之日与今天之间 (between receipt and today)"]
        result = str(data.get("result") or "").strip()
        if not result:
            errors["result"] = ["请写明办理结果 (required)"]
        outcome = data.get("outcome") or None
        if row.kind in OUTCOMES and outcome not in OUTCOMES[row.kind]:
            errors["outcome"] = [f"应为以下之一 (one of): {', '.join(OUTCOMES[row.kind])}"]
        if errors:
            raise Invalid("办理结果有误 (the result has errors)", fields=errors)
        row.status, row.result, row.handled_on, row.handled_by = "handled", result[:4000], on, actor.username
        row.outcome = outcome if row.kind in OUTCOMES else None
        audit.record(s, "supervision_handled", actor=actor, request_id=row.request_id, record_id=row.id,
                     kind=row.kind, outcome=row.outcome)
        return view(s, row)


def counts(session, year: int, agency_key: int) -> dict:
    """The report's figures: per kind, received in the year and handled in it; suggestions adopted,
    complaints and reports found true, people held to account."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    out = {k: {"received": 0, "handled": 0, "adopted": 0, "upheld": 0, "persons": 0} for k in KINDS}
    for row in session.scalars(select(SupervisionRecord).where(SupervisionRecord.agency_id == agency_key)):
        slot = out[row.kind]
        if first <= row.received_on <= last:
            slot["received"] += 1
            slot["persons"] += row.persons or 0
        if row.handled_on and first <= row.handled_on <= last:
            slot["handled"] += 1
            slot["adopted"] += row.outcome == "adopted"
            slot["upheld"] += row.outcome == "upheld"
    return out


def report_lines(figures: dict | None) -> str:
    """The 监督保障 paragraph of the report's section one, from the counts (empty for an old snapshot)."""
    if not figures:
        return ""
    s, c, r = figures["suggestion"], figures["complaint"], figures["report"]
    return (f"监督保障：本年度收到申请人关于将政府信息纳入主动公开范围的建议{s['received']}件，办结{s['handled']}件，"
            f"其中采纳{s['adopted']}件；开展政府信息公开工作考核{figures['assessment']['received']}次、"
            f"社会评议{figures['social_review']['received']}次；责任追究{figures['accountability']['received']}起、"
            f"涉及{figures['accountability']['persons']}人；收到投诉{c['received']}件、举报{r['received']}件，"
            f"办结{c['handled'] + r['handled']}件，其中经查属实{c['upheld'] + r['upheld']}件。")
