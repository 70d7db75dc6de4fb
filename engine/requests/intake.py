"""File information requests (online by the public, or registered by staff) and read them.

The public gets a request number and an access code; the code is stored only as a hash and the
status lookup shows status and dates, nothing else. Staff read requests through `access.request_for`,
which decides who may see what (the intake office, the handling department, admins).
"""

import hashlib
import hmac
import secrets

from sqlalchemy import select

from engine import access, agencies, audit, calendar, clock, sealed, storage
from engine.db import reading, transaction
from engine.errors import Forbidden, Invalid, NotFound
from engine.models import Document, HumanTask, InformationRequest, ReplyLetter
from engine.requests import (
    APPLICANT_TYPES,
    CHANNELS,
    DELIVERIES,
    FORMS,
    ID_TYPES,
    LEGAL_PERSON_SUBTYPES,
    OUTCOME_NAMES,
    PROCESS_KEY,
    REASON_NAMES,
    REQUEST_KINDS,
    STATUS_NAMES,
    conversion,
    deadlines,
    letters,
    notices,
    pauses,
    replies,
    report_publication,
)
from engine.search import query as search_query
from engine.workflow import instances

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read out and typed


def _text(data, key, errors, limit, required=True):
    value = str(data.get(key) or "").strip()
    if required and not value:
        errors[key] = ["此项必填 (required)"]
    elif len(value) > limit:
        errors[key] = [f"不超过 {limit} 字 (at most {limit} characters)"]
    return value


def _one_of(value, allowed, key, errors, required=True):
    if value in (None, "") and not required:
        return None
    if value not in allowed:
        errors[key] = [f"应为以下之一 (one of): {', '.join(allowed)}"]
    return value


APPLICANT_KEYS = ("name", "id_number", "contact", "type", "subtype", "id_type", "address", "postcode",
                  "legal_representative", "contact_person")


def _applicant_details(applicant, kind, errors) -> dict:
    """Art. 29's 申请表 beyond name and contact: ID type, address, postcode; for an organisation its
    法定代表人 and 联系人 (both required: the agency must know who speaks for it)."""
    organisation = kind == "legal_person"
    postcode = _text(applicant, "postcode", errors, 6, required=False)
    if postcode and not (postcode.isdigit() and len(postcode) == 6):
        errors["postcode"] = ["邮政编码应为6位数字 (six digits)"]
    return {"applicant_subtype": _one_of(applicant.get("subtype"), LEGAL_PERSON_SUBTYPES, "subtype", errors)
            if organisation else None,
            "applicant_id_type": _one_of(applicant.get("id_type"), ID_TYPES, "id_type", errors, required=False),
            "applicant_address": _text(applicant, "address", errors, 300, required=False) or None,
            "applicant_postcode": postcode or None,
            "applicant_legal_rep": _text(applicant, "legal_representative", errors, 100, required=organisation) or None,
            "applicant_contact_person": _text(applicant, "contact_person", errors, 100, required=organisation) or None}


AGENCY_ERROR = "没有这个行政机关：应为 root 或独立行政机关的部门编号，内设机构不单独受理 (root, or the id of an agency)"


def _addressee(session, value, errors) -> dict | None:
    """The 行政机关 a request is addressed to (Art. 27): none given, the installation's."""
    if value in (None, ""):
        return None
    agency = agencies.named(session, value)
    if agency is None:
        errors["agency"] = [AGENCY_ERROR]
    return agency


def clean_request(data: dict, staff: bool, session=None) -> dict:
    """Check an applicant's request (Art. 29); staff registrations also give channel and dates. With a
    session, `agency` (the addressee) is checked too and returned under that key."""
    if not isinstance(data, dict):
        raise Invalid("请求体必须是 JSON 对象 (body must be a JSON object)")
    errors = {}
    applicant = data.get("applicant") if isinstance(data.get("applicant"), dict) else {}
    out = {"applicant_name": _text(applicant, "name", errors, 200),
           "applicant_id_number": _text(applicant, "id_number", errors, 50),
           "applicant_contact": _text(applicant, "contact", errors, 300),
           "applicant_type": _one_of(applicant.get("type"), APPLICANT_TYPES, "type", errors)}
    out.update(_applicant_details(applicant, out["applicant_type"], errors))
    errors = {(f"applicant.{k}" if k in APPLICANT_KEYS else k): v for k, v in errors.items()}
    out["kind"] = _one_of(data.get("kind") or "disclosure", REQUEST_KINDS, "kind", errors)
    out["description"] = _text(data, "description", errors, 4000)
    out["form"] = _one_of(data.get("form"), FORMS, "form", errors)
    out["delivery"] = _one_of(data.get("delivery"), DELIVERIES, "delivery", errors)
    if staff:
        out["channel"] = _one_of(data.get("channel"), CHANNELS, "channel", errors)
        out["received_on"] = calendar.parse_day(data.get("received_on"), "received_on", errors, required=True)
        out["confirmed_on"] = calendar.parse_day(data.get("confirmed_on"), "confirmed_on", errors)
        for key in ("received_on", "confirmed_on"):
            if out[key] and out[key] > clock.today():
                errors[key] = ["日期不能晚于今天 (date in the future)"]
    if session is not None:
        out["agency"] = _addressee(session, data.get("agency"), errors)
    if errors:
        raise Invalid("申请内容有误 (the request has errors)", fields=errors)
    return out


def file_public(data: dict) -> dict:
    """File a request through the portal, addressed to `agency` (default: the installation's); returns
    the number, the access code (shown once), the dates and the agency that received it. An agency
    nobody there can take a request for is refused, never left to wait unseen."""
    code = new_code()
    with transaction() as s:
        clean = clean_request(data, staff=False, session=s)
        why = agencies.missing_intake(s, clean["agency"] or agencies.root(s))
        if why is not None:
            raise Invalid(why, fields={"agency": [why]})
        # Art. 31 (3): online requests count from the day both sides confirm. The portal confirms on the
        # spot by issuing the request number, so that day is the day of receipt.
        clean.update(channel="online", received_on=clock.today(), confirmed_on=clock.today())
        return _filed(s, create(s, None, clean, code), code)


def register(actor, data: dict) -> dict:
    """Register a request received in person, by post, fax or online (publisher: for their own agency;
    admin: for any, `agency` naming it)."""
    access.require(access.may_handle_requests(actor), "只有公开专员可以登记申请 (only publishers register requests)")
    code = new_code()
    with transaction() as s:
        clean = clean_request(data, staff=True, session=s)
        return _filed(s, create(s, actor, clean, code, backdate_reason=data.get("backdate_reason")), code)


def _filed(session, req, code) -> dict:
    return {"id": req.id, "request_no": req.request_no, "access_code": code, "agency": agencies.name_for_request(session, req),
            "received_on": req.receipt_on, "due_on": req.due_on}


def new_code() -> str:
    """An access code for the applicant (shown once, stored only as a hash)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def create(s, actor, clean, code, backdate_reason=None, intake=None) -> InformationRequest:
    """Store a request and start its procedure; `intake` (the receiving department) when already known
    (a request split out of another keeps its agency), else from the addressee and the caller."""
    receipt = deadlines.receipt_date(clean["channel"], clean["received_on"], clean.get("confirmed_on"))
    agency = clean.pop("agency", None)
    intake = intake if intake is not None else _intake_for(s, actor, agency)
    # The agency's report of that year is frozen: a request backdated into it would silently falsify it.
    report_publication.reopen(s, receipt.year, actor, backdate_reason, agencies.identity(s, intake)["department_id"])
    req = InformationRequest(**clean, receipt_on=receipt, access_code_hash="", status="reviewing",
                             intake_department_id=intake, registered_by=getattr(actor, "id", None))
    s.add(req)
    s.flush()
    req.request_no = f"YSQ{receipt.year}{req.id:05d}"
    req.access_code_hash = _code_hash(req.request_no, code)
    reply_clock = pauses.refresh_clock(s, req)
    audit.record(s, "request_received", actor=actor or "申请人", request_id=req.id, channel=req.channel,
                 receipt_on=receipt.isoformat())
    row = instances.start(s, actor, PROCESS_KEY, {
        "request_id": req.id, "request_no": req.request_no, "title": title_of(req),
        "due_on": reply_clock.due_on.isoformat() if reply_clock.due_on else None,  # task data is JSON
        "correction_request_by": deadlines.correction_request_deadline(receipt).isoformat(),
        "review_decision": None, "decision": None, "outcome": None, "outcome_reason": None,
        "correction_due_on": None, "consultation_due_on": None, "fee_due_on": None,
        "third_party_answer": None}, department_id=intake, request_id=req.id, title=title_of(req))
    req.instance_id = row.id
    conversion.check(s, req)
    return req


def title_of(req) -> str:
    text = " ".join(req.description.split())
    return f"{req.request_no} {text[:60]}"


def _code_hash(request_no: str, code: str) -> str:
    return hashlib.sha256(f"{request_no}:{code.strip().upper()}".encode()).hexdigest()


def public_lookup(session, request_no: str, code: str) -> InformationRequest:
    """The request behind a number and access code; the same NotFound for a wrong number or code."""
    req = session.scalar(select(InformationRequest).where(InformationRequest.request_no == (request_no or "").strip()))
    if req is None or not hmac.compare_digest(req.access_code_hash, _code_hash(req.request_no, code or "")):
        raise NotFound("申请编号或查询码不正确 (wrong request number or access code)")
    return req


def public_status(request_no: str, code: str) -> dict:
    """What the applicant follows: status and dates; while a correction is awaited, the items to
    correct; once it arrived, the day it was received; at the end, the outcome and the reply letter
    (with whether it has an attachment). No applicant data, no staff names."""
    with reading() as s:
        req = public_lookup(s, request_no, code)
        correction = next((p for p in pauses.of(s, req) if p.reason == "correction"), None)
        ended = req.status in ("replied", "closed")
        letter = replies.latest_letter(s, req) if ended else None
        return {"request_no": req.request_no, "status": req.status, "status_name": STATUS_NAMES.get(req.status, req.status),
                "agency": agencies.name_for_request(s, req), "received_on": req.receipt_on, "due_on": req.due_on,
                "correction_due_on": req.correction_due_on if req.status == "awaiting_correction" else None,
                "correction_items": list(req.correction_items or []) if req.status == "awaiting_correction" else [],
                "correction_received_on": correction.ended_on if correction is not None else None,
                "replied_on": req.closed_on,
                "outcome_name": OUTCOME_NAMES.get(req.outcome or "") if ended else None,
                "letter": letter.text if letter is not None else None,
                "attachment": ended and replies.attachment(s, req) is not None}


def public_files(request_no: str, code: str, which: str) -> tuple[str, bytes]:
    """The applicant's copy of the reply letter (`letter`) or its attachment (`attachment`), once the
    request has ended."""
    with reading() as s:
        req = public_lookup(s, request_no, code)
        letter = replies.latest_letter(s, req)
        if req.status not in ("replied", "closed") or letter is None:
            raise NotFound("答复尚未作出 (no reply yet)")
        if which == "letter":
            return f"{req.request_no}-答复书.docx", letters.to_docx(letter.text, **replies.layout(s, req, letter))
        found = replies.attachment(s, req)
        if found is None:
            raise NotFound("该答复没有附件 (the reply has no attachment)")
        return found


def summary(req, department=None) -> dict:
    return {"id": req.id, "request_no": req.request_no, "status": req.status,
            "status_name": STATUS_NAMES.get(req.status, req.status), "outcome": req.outcome,
            "outcome_name": OUTCOME_NAMES.get(req.outcome or "", None), "outcome_reason": req.outcome_reason,
            "outcome_reason_name": REASON_NAMES.get(req.outcome_reason or "", None),
            "received_on": req.received_on, "receipt_on": req.receipt_on,
            "confirmed_on": req.confirmed_on, "channel": req.channel, "due_on": req.due_on,
            "due_provisional": req.due_provisional, "closed_on": req.closed_on,
            "description": req.description, "department_id": req.department_id, "department": department,
            "applicant": {"name": req.applicant_name, "type": req.applicant_type, "subtype": req.applicant_subtype,
                          "id_type": req.applicant_id_type, "id_number": req.applicant_id_number,
                          "contact": req.applicant_contact, "address": req.applicant_address,
                          "postcode": req.applicant_postcode, "legal_representative": req.applicant_legal_rep,
                          "contact_person": req.applicant_contact_person},
            "form": req.form, "delivery": req.delivery, "instance_id": req.instance_id, "kind": req.kind}


def detail_for(actor, request_id: int) -> dict:
    """The request page: the clock with its pauses, the reply letter, open tasks and history."""
    with reading() as s:
        req = access.request_for(s, actor, request_id)
        reply_clock = pauses.clock_of(s, req)
        letter = replies.latest_letter(s, req)
        tasks = s.scalars(select(HumanTask).where(HumanTask.request_id == req.id, HumanTask.status == "open"))
        return {**summary(req, agencies.department_name(s, req.department_id)), "agency": agencies.name_for_request(s, req),
                "due_on": reply_clock.due_on, "clock_start": reply_clock.clock_start,
                "paused_days": reply_clock.paused_days, "extension_days": req.extension_days or 0,
                "delay_days": req.delay_days or 0, "delay": notices.delay_options(s, actor, req, reply_clock.due_on),
                "reasons": notices.reasons_options(s, actor, req),
                "pauses": [{"reason": p.reason, "started_on": p.started_on, "ended_on": p.ended_on,
                            "note": p.note} for p in pauses.of(s, req)],
                "correction_items": req.correction_items or [], "correction_due_on": req.correction_due_on,
                "fee": req.fee or {}, "material": sealed.get_text(req.material_sha256, s) or None,
                "redacted_material": storage.get_text(req.redacted_sha256) or None,
                "reply_letter": _letter(letter), "consultations": notices.consultations(s, req),
                "notices": notices.for_request(s, req), "catalogue_check": req.catalogue_check or {},
                "split_from_id": req.split_from_id,
                "current_tasks": [{"id": t.id, "name": t.name, "bpmn_id": t.bpmn_id, "role": t.role,
                                   "due_at": t.due_at} for t in tasks],
                "history": audit.history(s, instance_id=req.instance_id, request_id=req.id)}


def _letter(letter: ReplyLetter | None) -> dict | None:
    if letter is None:
        return None
    return {"id": letter.id, "outcome": letter.outcome, "outcome_reason": letter.outcome_reason, "text": letter.text,
            "created_by": letter.created_by, "signed_by": letter.signed_by, "signed_at": letter.signed_at,
            "delivery_method": letter.delivery_method, "delivered_on": letter.delivered_on,
            "delivery_note": letter.delivery_note}


def list_for(actor, status=None, limit=50, offset=0) -> dict:
    with reading() as s:
        query = select(InformationRequest).where(access.request_clause(actor))
        if status:
            query = query.where(InformationRequest.status == status)
        query = query.order_by(InformationRequest.id.desc()).limit(min(int(limit), 200)).offset(int(offset))
        rows = s.scalars(query, access.params(actor))
        return {"items": [summary(r) for r in rows]}


def search_register(actor, q: str | None, limit=20) -> dict:
    """Search the register of on-request and withheld documents (for the handler looking for the
    information): only those the actor may see, as on their own page (`access.document_clause`)."""
    access.require(access.may_search_register(actor), "您无权检索目录 (staff only)")
    with reading() as s:
        query = select(Document).where(Document.status.in_(("on_request", "withheld")), access.document_clause(actor))
        params = access.params(actor)
        if q and q.strip():
            dialect = s.connection().dialect.name
            params["q_staff"] = search_query.staff_terms(dialect, q)
            if params["q_staff"] is None:
                return {"items": []}
            query = query.where(Document.instance_id.in_(search_query.instance_ids(dialect)))
        rows = s.scalars(query.order_by(Document.id.desc()).limit(min(int(limit), 100)), params)
        return {"items": [{"id": d.id, "title": d.title, "doc_number": d.doc_number, "attribute": d.attribute,
                           "attribute_ground": d.attribute_ground, "department_id": d.department_id,
                           "formed_on": d.formed_on} for d in rows]}


def _intake_for(session, actor, agency: dict | None = None) -> int | None:
    """The department that receives a request. Addressed to an agency (`agencies.named`): a department
    agency receives its own, the installation's go to the configured 政府信息公开工作机构; only an
    admin registers for any agency, a publisher for their own (`access.may_act_for_agency`).
    Without one, the configured office receives it, except that staff of another agency (a department
    that is its own 行政机关) register their agency's requests in their own department, so that each
    agency answers, and reports, its own."""
    if agency is not None and actor is not None and not access.may_act_for_agency(session, actor, agency["department_id"]):
        raise Forbidden(f"只能登记本机关收到的申请，不能登记{agency['name']}的 (only requests to your own agency)")
    if agency is not None and access.may_act_for_any_agency(actor):
        return agency["department_id"] or agencies.configured_intake(session)
    configured, own = agencies.configured_intake(session), getattr(actor, "department_id", None)
    if configured is None or own is None:
        return configured or own
    same = agencies.identity(session, own)["department_id"] == agencies.identity(session, configured)["department_id"]
    return configured if same else own
