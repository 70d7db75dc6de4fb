"""What the request procedure's task forms show besides the task data: the material to the drafter
again, the applicant's e-mail to the delivery step, the fee methods a request allows (按量 only where
109号第五条 applies), the catalogue's matches to the drafter and what was found to the sign-off."""

from engine import delivery, sealed
from engine.config import current
from engine.db import reading
from engine.models import InformationRequest
from engine.requests import PROCESS_KEY, catalogue_check, fees, pauses
from engine.workflow import hooks


@hooks.form_data(PROCESS_KEY)
def form_values(human_task) -> dict:
    """Show the material to the drafter again when a reply comes back for changes; at a second review
    (after a correction), that the one correction allowed was already asked for; at delivery, the
    applicant's chosen way and e-mail address; offer the handler only the fee methods the request
    allows (按量 where 109号第五条 applies)."""
    if human_task.bpmn_id not in ("review_request", "handle", "draft_reply", "leader_signoff", "deliver_reply") \
            or human_task.request_id is None:
        return {}
    with reading() as s:
        req = s.get(InformationRequest, human_task.request_id)
        if req is None:
            return {}
        if human_task.bpmn_id == "handle":
            return {"fee_methods": [{"label": fees.METHOD_NAMES[m], "value": m} for m in fees.methods_for(req)]}
        if human_task.bpmn_id == "review_request":  # a second review: the one correction was asked for
            asked = any(p.reason == "correction" for p in pauses.of(s, req))
            return {"correction_requested": "yes"} if asked else {}
        if human_task.bpmn_id == "deliver_reply":
            return _delivery_defaults(req)
        if human_task.bpmn_id == "leader_signoff":  # what the drafter found in the catalogue, and why they replied so
            return {"catalogue_check_text": catalogue_check.for_reviewer(req)}
        found = catalogue_check.as_text(catalogue_check.matches(s, req))
        return {"catalogue_matches_text": found,
                **({"material": sealed.get_text(req.material_sha256, s)} if req.material_sha256 else {})}


def _delivery_defaults(req) -> dict:
    """The way the applicant asked to receive the reply (Art. 29), as the delivery step's choice."""
    found = delivery.EMAIL.search(req.applicant_contact or "")
    out = {"email_to": found.group(0)} if found else {}
    method = {"post": "post", "pickup": "pickup"}.get(req.delivery)
    if req.delivery == "email":
        method = "send_email" if current().smtp_url and found else "email"
    return {**out, "delivery_method": method} if method else out
