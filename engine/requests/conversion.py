"""依申请转主动公开 (Art. 44): propose proactive disclosure of what several applicants ask for.

When a request arrives, requests of the last N months with a similar description are counted by
distinct applicant; at the threshold a `request_conversion` process offers the intake office's
publisher a task. Converting creates a proactive document in the handling department and starts
the disclosure procedure for it, with the publisher as its submitter (no drafter login needed).
"""

from datetime import timedelta

from sqlalchemy import select

from engine import access, agency_settings, audit, clock
from engine.disclosure import PROCESS_KEY as DISCLOSURE_KEY
from engine.disclosure import documents
from engine.errors import Invalid
from engine.models import ConversionProposal, Document, InformationRequest
from engine.requests import CONVERSION_KEY, deadlines, similarity
from engine.workflow import hooks, instances


def similar_requests(session, req, cfg) -> list[tuple[InformationRequest, float]]:
    since = req.receipt_on - timedelta(days=31 * cfg["conversion_window_months"])
    rows = session.scalars(select(InformationRequest).where(
        InformationRequest.id != req.id, InformationRequest.receipt_on >= since))
    scored = ((r, similarity.jaccard(req.description, r.description)) for r in rows
              if r.outcome != "not_processed")
    return [(r, score) for r, score in scored if score >= cfg["similarity_threshold"]]


def check(session, req) -> ConversionProposal | None:
    """Start a conversion proposal when enough distinct applicants asked for the same information."""
    cfg = agency_settings.load(session)
    matches = similar_requests(session, req, cfg)
    applicants = {req.applicant_id_number} | {r.applicant_id_number for r, _ in matches}
    if len(applicants) < cfg["conversion_threshold"]:
        return None
    ids = sorted({req.id, *(r.id for r, _ in matches)})
    proposed = {i for p in session.scalars(select(ConversionProposal)) for i in (p.request_ids or [])}
    if proposed & set(ids):
        return None  # already proposed for this information; the publisher has the task
    proposal = ConversionProposal(request_ids=ids, description=req.description,
                                  department_id=req.department_id or req.intake_department_id)
    session.add(proposal)
    session.flush()
    row = instances.start(session, None, CONVERSION_KEY, {
        "proposal_id": proposal.id, "title": f"依申请转主动公开：{req.description[:60]}",
        "request_nos": [r.request_no for r in [req, *(m for m, _ in matches)]], "applicants": len(applicants),
        "similar_descriptions": [m.description[:200] for m, _ in matches][:10],
        "decide_by": deadlines.add(clock.today(), 20).isoformat()},
        department_id=req.intake_department_id, request_id=req.id, title=f"依申请转主动公开：{req.description[:60]}")
    proposal.instance_id = row.id
    audit.record(session, "conversion_proposed", actor="system", request_id=req.id, instance_id=row.id,
                 requests=ids, applicants=len(applicants))
    return proposal


@hooks.before_complete(CONVERSION_KEY)
def decide(c: hooks.Completion) -> None:
    proposal = c.session.get(ConversionProposal, c.spiff_task.data.get("proposal_id"))
    if c.data.get("decision") != "convert":
        proposal.status = "declined"
        return
    doc = create_proactive(c.session, c.actor, {"title": c.data.get("title"), "category": c.data.get("category"),
                                                "body": c.data.get("body")}, proposal.department_id)
    proposal.status, proposal.document_id = "converted", doc.id
    c.data["document_id"] = doc.id
    c.data.pop("body", None)  # the text lives in a file, never in task data


def create_proactive(session, actor, data: dict, department_id) -> Document:
    """Create a proactive document in `department_id` and start its disclosure procedure."""
    if not access.may_handle_requests(actor):
        raise Invalid("只有公开专员可以转为主动公开 (publishers only)")
    clean = documents.clean_submission({**data, "attribute": "proactive", "formed_on": clock.today().isoformat(),
                                        "channels": ["catalogue"]})
    doc = Document(drafter_id=actor.id, department_id=department_id, status="submitted")
    documents.apply_fields(doc, clean, session)
    session.add(doc)
    session.flush()
    audit.record(session, "document_submitted", actor=actor, document_id=doc.id, title=doc.title,
                 source="依申请转主动公开")
    row = instances.start(session, actor, DISCLOSURE_KEY, documents.task_data(doc, clean), document_id=doc.id,
                          department_id=department_id, title=doc.title)
    doc.instance_id = row.id
    return doc
