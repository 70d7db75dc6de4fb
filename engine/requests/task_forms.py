"""What the request procedure's task forms show besides the task data: the material to the drafter
again, the applicant's e-mail to the delivery step, the fee methods a request allows (按量 only where
109号第五条 applies), the catalogue's matches to the drafter and what was found to the sign-off."""

from engine import storage
from engine.db import reading
from engine.models import InformationRequest
from engine.requests import PROCESS_KEY, catalogue_check, fees, records
from engine.workflow import hooks


@hooks.form_data(PROCESS_KEY)
def form_values(human_task) -> dict:
    """Show the material to the drafter again when a reply comes back for changes; offer the
    applicant's e-mail address (from their contact details) to the delivery step; offer the handler
    only the fee methods the request allows (按量 where 109号第五条 applies)."""
    if human_task.bpmn_id not in ("handle", "draft_reply", "leader_signoff", "deliver_reply") \
            or human_task.request_id is None:
        return {}
    with reading() as s:
        req = s.get(InformationRequest, human_task.request_id)
        if req is None:
            return {}
        if human_task.bpmn_id == "handle":
            return {"fee_methods": [{"label": fees.METHOD_NAMES[m], "value": m} for m in fees.methods_for(req)]}
        if human_task.bpmn_id == "deliver_reply":
            found = records.EMAIL.search(req.applicant_contact or "")
            return {"email_to": found.group(0)} if found else {}
        if human_task.bpmn_id == "leader_signoff":  # what the drafter found in the catalogue, and why they replied so
            return {"catalogue_check_text": catalogue_check.for_reviewer(req)}
        found = catalogue_check.as_text(catalogue_check.matches(s, req))
        return {"catalogue_matches_text": found,
                **({"material": storage.get_text(req.material_sha256)} if req.material_sha256 else {})}
