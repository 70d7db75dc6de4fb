"""一事一申请: a request asking for several unrelated things is split by the receiving agency's
publisher into requests of their own — each with its own number, access code, procedure and deadline —
while it is still being reviewed (before anyone handles it).

The day of receipt is carried over (Art. 31: the agency received them all that day), so each part's
20 working days count from it; the original keeps the first part. The applicant is told by a letter
(分件处理告知书) listing every part with its number and access code; the history of each request says
where it came from. Each part counts as a request of its own: in the annual report (新收) and in the
monthly count of 按件 charging (国办函〔2020〕109号第四条: 以合理的最小单位拆分计算件数).
"""

from sqlalchemy import update

from engine import access, agencies, audit, clock
from engine.db import transaction
from engine.errors import Conflict, Forbidden, Invalid
from engine.models import HumanTask, ProcessInstance
from engine.requests import intake, letters, notices

MAX_PARTS = 20
COPIED = ("applicant_name", "applicant_type", "applicant_subtype", "applicant_id_number", "applicant_contact",
          "applicant_id_type", "applicant_address", "applicant_postcode", "applicant_legal_rep",
          "applicant_contact_person", "kind", "form", "delivery", "channel", "received_on", "confirmed_on")


def _parts(body) -> list[str]:
    parts = body.get("parts") if isinstance(body, dict) else None
    if isinstance(parts, str):
        parts = parts.splitlines()
    parts = [str(p).strip() for p in parts or [] if str(p).strip()] if isinstance(parts, list | str) else []
    if not 2 <= len(parts) <= MAX_PARTS or any(len(p) > 4000 for p in parts):
        raise Invalid("请逐项写明拆分后的各件申请内容（至少两项，每项不超过4000字）",
                      fields={"parts": [f"2–{MAX_PARTS} 项，每项一行 (2 to {MAX_PARTS} parts, one per line)"]})
    return parts


def split(actor, request_id: int, body: dict) -> dict:
    """Split the request into `parts` (the first stays with it); returns the requests and the notice."""
    parts = _parts(body)
    with transaction() as s:
        req = access.request_for(s, actor, request_id, lock=True)
        if not access.may_act_for_agency(s, actor, agencies.for_request(s, req)["department_id"]):
            raise Forbidden("只有受理机关的公开专员可以拆分申请 (only the receiving agency's publisher)")
        if req.kind != "disclosure":
            raise Invalid("更正申请不拆分 (a correction request is not split)", fields={"parts": ["correction request"]})
        if req.status != "reviewing":
            raise Conflict("只能在审查申请环节拆分；已进入办理的申请不再拆分 (only while the request is being reviewed)")
        original, today = req.description, clock.today()
        req.description, req.updated_at = parts[0], clock.now()
        _retitle(s, req)
        created = [_part(s, actor, req, text, body.get("reason")) for text in parts[1:]]
        listed = [(req.request_no, None, parts[0]), *[(r.request_no, code, r.description) for r, code in created]]
        text = letters.split_notice(req, original, listed, agencies.name_for_request(s, req), today)
        notice = notices.issue(s, req, "split", text, recipient=req.applicant_name, by=actor,
                               data={"request_ids": [r.id for r, _code in created], "original": original})
        audit.record(s, "request_split", actor=actor, request_id=req.id, instance_id=req.instance_id, original=original,
                     into=[r.request_no for r, _code in created])
        return {"request": intake.summary(req), "parts": [intake.summary(r) for r, _code in created],
                "notice_id": notice.id}


def _part(session, actor, origin, text: str, reason):
    """A new request for one part: the applicant, channel and receipt of `origin`, its own number and code."""
    clean = {key: getattr(origin, key) for key in COPIED}
    clean["description"] = text
    code = intake.new_code()
    part = intake.create(session, actor, clean, code, backdate_reason=reason, intake=origin.intake_department_id)
    part.split_from_id = origin.id
    audit.record(session, "request_split_from", actor=actor, request_id=part.id, instance_id=part.instance_id,
                 origin=origin.request_no)
    return part, code


def _retitle(session, req) -> None:
    """The original's procedure and open steps show the part it keeps."""
    title = intake.title_of(req)
    session.execute(update(ProcessInstance).where(ProcessInstance.id == req.instance_id).values(title=title))
    session.execute(update(HumanTask).where(HumanTask.request_id == req.id, HumanTask.status == "open")
                    .values(title=title))
