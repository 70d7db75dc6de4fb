"""Hooks binding the BPMN process `disclosure_review` to documents.

Before a task completes: a review writes its signed record (一事一审), a revision updates the
document, a confirmation fixes the redacted version. After every transition the document's status,
attribute, deadline and return count are mirrored from the process, in the same transaction.
"""


from SpiffWorkflow.util.task import TaskState

from engine import calendar, clock, sealed, storage
from engine.db import reading
from engine.disclosure import PROCESS_KEY, documents, file_redaction, redaction, reviews
from engine.errors import Invalid
from engine.models import Document
from engine.search import index as search
from engine.workflow import hooks

APPROVAL_STAGES = {"approve_publication", "approve_publication_head"}  # publication_approval.dmn's row says which
REVIEW_STAGES = {"dept_review", "secrecy_review", "leader_signoff", "re_review", "confirm_redaction", *APPROVAL_STAGES}
STATUS_BY_STEP = (  # first match wins: what the document is waiting for
    ("revise", "returned"), ("dept_review", "dept_review"), ("secrecy_review", "secrecy_review"),
    ("leader_signoff", "awaiting_signoff"), ("approve_publication", "awaiting_approval"),
    ("approve_publication_head", "awaiting_approval"), ("re_review", "re_review"), ("deidentify", "deidentifying"),
    ("confirm_redaction", "confirming_redaction"), ("publish", "publishing"), ("wait_re_review", "withheld"),
)
END_STATUS = {"end_published": "published", "end_on_request": "on_request"}
MIRRORED = ("attribute", "attribute_ground", "attribute_reason", "return_reason")
# The diagram-to-code contract: the steps above, by id, with the forms their hooks read.
hooks.requires(PROCESS_KEY, {
    "revise": "document_revise", "dept_review": "review_document", "secrecy_review": "review_document",
    "leader_signoff": "signoff", "re_review": "re_review", "confirm_redaction": "confirm_redaction",
    **dict.fromkeys(APPROVAL_STAGES, "publication_approval"), "approval_level": None,
    "deidentify": None, "publish": None, "wait_re_review": None, **dict.fromkeys(END_STATUS),
})


@hooks.before_complete(PROCESS_KEY)
def before_complete(c: hooks.Completion) -> None:
    doc = c.session.get(Document, c.instance.document_id)
    stage = c.human_task.bpmn_id
    if stage == "revise":
        _revise(c, doc)
    elif stage in REVIEW_STAGES:
        _review(c, doc, stage)


def _revise(c, doc):
    clean = documents.clean_submission(c.data)
    before = c.spiff_task.data
    if clean["formed_on"] == before.get("formed_on") and not c.data.get("formed_time") and before.get("formed_at"):
        clean["formed_at"] = before["formed_at"]  # a revision made later that day must not move an hour deadline
    documents.apply_fields(doc, clean, c.session)
    doc.updated_at = clock.now()
    search.follow_instance(c.session, c.instance.id, c.instance.title, doc.title, doc.doc_number)
    c.data.clear()
    c.data.update({k: v for k, v in documents.task_data(doc, clean).items() if k != "returns"})


def _review(c, doc, stage):
    decision = c.data.get("decision")
    if decision == "withhold" and not c.data.get("attribute_ground"):
        raise Invalid("不予公开须选择法定依据 (withholding needs a ground)", fields={"attribute_ground": ["required"]})
    if stage == "confirm_redaction":
        # The confirmer signs every published field's redacted version (title, number, body,
        # interpretation): refused while any of them has not been through de-identification.
        reviewed = redaction.confirm(doc, file_redaction.require_confirmed(c.session, doc))
        doc.redaction_confirmed_by, doc.redaction_confirmed_at = c.actor.username, clock.now()
    else:
        reviewed = doc.original_sha256
    reviews.append(c.session, doc.id, task_id=c.human_task.id, stage=stage, reviewer=c.actor,
                   role=c.human_task.role, decision=decision or "", opinion=c.data.get("opinion"),
                   ground=c.data.get("attribute_ground"), content_sha256=reviewed or storage.put_text(""),
                   at=clock.now(), channels=doc.channels or [], attribute=_reviewed_attribute(doc, decision))


def _reviewed_attribute(doc, decision) -> str | None:
    return "withheld" if decision == "withhold" else doc.attribute


@hooks.after_transition(PROCESS_KEY)
def mirror_status(session, row, workflow) -> None:
    doc = session.get(Document, row.document_id)
    if doc is None:
        return
    ended = hooks.reached_end(workflow, END_STATUS)
    data = dict(ended.data) if ended is not None else _latest_data(workflow)
    for key in MIRRORED:
        if key in data:
            setattr(doc, key, data[key])
    doc.returns = int(data.get("returns") or 0)
    if data.get("publish_by"):
        doc.publish_by = calendar.parse_day(data["publish_by"], "publish_by")
    was = doc.status
    doc.status = END_STATUS[ended.task_spec.bpmn_id] if ended is not None else _status(workflow, doc.status)
    doc.updated_at = clock.now()
    if "published" in (was, doc.status) and was != doc.status:
        search.follow_document(session, doc)  # in the catalogue's search from the same commit


def _latest_data(workflow) -> dict:
    # The main path's data: a user task's, before any reminder branch's (a copy taken earlier).
    waiting = workflow.get_tasks(state=TaskState.READY | TaskState.STARTED | TaskState.WAITING)
    waiting.sort(key=lambda t: not t.task_spec.manual)
    task = waiting[0] if waiting else workflow.last_task
    return dict(task.data) if task is not None else dict(workflow.data)


def _status(workflow, current: str) -> str:
    waiting = {t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.READY | TaskState.STARTED | TaskState.WAITING)}
    return next((status for step, status in STATUS_BY_STEP if step in waiting), current)


@hooks.after_cancel(PROCESS_KEY)
def withdraw(session, row, reason) -> None:
    doc = session.get(Document, row.document_id)
    if doc is not None and doc.status != "published":  # a published document stays in the catalogue
        doc.status, doc.updated_at = "withdrawn", clock.now()


@hooks.form_data(PROCESS_KEY)
def form_values(human_task) -> dict:
    """Show the stored body and interpretation in the drafter's revision form."""
    if human_task.bpmn_id != "revise" or human_task.document_id is None:
        return {}
    with reading() as s:
        doc = s.get(Document, human_task.document_id)
        return {"body": sealed.get_text(doc.original_sha256, s), "summary": doc.summary or "",
                "interpretation": sealed.get_text(doc.interpretation_sha256, s)}
