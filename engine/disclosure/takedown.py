"""Taking a published document down (撤下): out of the catalogue, API, feed, search and the static
export folder, the webhook told, who/when/why recorded; a 公示 not before its minimum period.

Taking down is not repeal: 有效性 (有效/失效/废止) says whether a document is still in force and a
repealed one stays in the catalogue marked 废止; a document taken down is no longer public at all,
keeps its validity, its 索引号 (never given again) and its record, and its old address answers 410.

A document still in force whose category needs approval before publication (a 规范性文件: the row of
`publication_approval.dmn`) is not taken down by its publisher alone: the request starts
`document_takedown` (the same approver; `takedown_approval` takes it down on approval).
"""

import logging

from sqlalchemy import select

from engine import access, audit, calendar, clock
from engine.db import after_commit, reading, transaction
from engine.disclosure import documents, publication, publicity
from engine.errors import Conflict, Forbidden, Invalid
from engine.models import Document, ProcessInstance, Publication
from engine.search import index as search
from engine.workflow import decisions, instances, service_tasks, state
from engine.workplan import rules

log = logging.getLogger(__name__)
NOTICE_OPERATION = "notify_taken_down"  # engine/disclosure/operations.py
EXPORT_REMOVAL = "remove_static_export"  # engine/disclosure/operations.py
APPROVAL_KEY = "document_takedown"  # the approval of taking down a document in force (takedown_approval)
APPROVAL_TABLE = "publication_approval.dmn"
APPROVERS = ("leader", "head")
PENDING = "taking_down"  # a webhook publication whose channel has not yet been told


def take_down(actor, document_id, reason) -> dict:
    """Take a published document down for `reason` (its department's publisher, or an admin)."""
    reason = str(reason or "").strip()[:2000]
    with transaction() as s:
        doc = access.document_for(s, actor, document_id)
        if not access.may_take_down(actor, doc):
            raise Forbidden("只有本部门的公开专员或管理员可以撤下已公开的文件 (only the department's publisher takes it down)")
        s.refresh(doc, with_for_update=True)  # one of two take-downs (or the sweep) wins
        if doc.status == "taken_down":
            raise Conflict("该文件已撤下 (already taken down)")
        if doc.status != "published":
            raise Conflict("只能撤下已公开的文件 (only a published document can be taken down)")
        if doc.publicity:
            rules.check_withdrawal(calendar.as_date(doc.published_at), clock.today(), publicity.kind_for(doc.category))
        if not reason:
            raise Invalid("请填写撤下理由 (give the reason)", fields={"reason": ["请填写撤下理由 (required)"]})
        level = approval_needed(s, doc)
        if level is not None:
            return {**documents.summary(doc), "take_down": _ask_approval(s, doc, actor, reason, level)}
        remove(s, doc, actor, reason)
        return documents.summary(doc)


def approval_needed(session, doc: Document) -> str | None:
    """Who must approve taking `doc` down (leader, head), or None: only a document still in force whose
    category's row of publication_approval.dmn names an approver."""
    if doc.validity != "valid":
        return None
    row = decisions.first_row(APPROVAL_TABLE, doc.category, session) or {}
    return row.get("approval") if row.get("approval") in APPROVERS else None


def _ask_approval(session, doc, actor, reason: str, level: str) -> dict:
    pending = session.scalar(select(ProcessInstance.id).where(
        ProcessInstance.definition_key == APPROVAL_KEY, ProcessInstance.document_id == doc.id,
        ProcessInstance.status.not_in(state.ENDED)))
    if pending is not None:
        raise Conflict("撤下该文件已提请审批，请等待审批结果 (a take-down awaits approval)")
    row = instances.start(session, actor, APPROVAL_KEY, {
        "document_id": doc.id, "approval": level, "reason": reason, "requested_by": actor.username,
        "title": doc.published_title or doc.title}, document_id=doc.id, department_id=doc.department_id,
        title=f"撤下：{doc.published_title or doc.title}")
    audit.record(session, "take_down_requested", actor=actor, document_id=doc.id, instance_id=row.id,
                 approval=level, reason=reason)
    return {"pending": True, "approval": level, "instance_id": row.id}


def remove(session, doc: Document, actor, reason: str) -> None:
    """Take `doc` down everywhere inside the caller's transaction (after every check and approval)."""
    doc.status, doc.taken_down_at, doc.updated_at = "taken_down", clock.now(), clock.now()
    doc.taken_down_by, doc.taken_down_reason = getattr(actor, "username", None) or str(actor), reason
    search.follow_document(session, doc)  # out of the search in the same transaction
    notify = exported = False
    for pub in session.scalars(select(Publication).where(Publication.document_id == doc.id)):
        notify |= pub.channel == "webhook"
        exported |= pub.channel == "static_export"
        pub.status = PENDING if pub.channel == "webhook" else "taken_down"
    audit.record(session, "taken_down", actor=actor, document_id=doc.id, instance_id=doc.instance_id,
                 index_no=doc.index_no, reason=reason)
    after_commit(session, lambda: _remove_export_now(doc.id))
    if exported:
        # The export may sit in an object store that is unreachable just now: the same removal as
        # an outbox job too, retried and ending in an incident, so the copy cannot stay up unseen.
        service_tasks.add_job(session, doc.instance_id, EXPORT_REMOVAL,
                              {"document_id": doc.id, "index_no": doc.index_no, "title": doc.published_title or doc.title},
                              f"take-down-export-{doc.id}")
    if notify:
        # An outbox job of the document's (ended) instance: retries, the incident after the last
        # try, the admin's retry and the sweeper's recovery of a lost job, like a notice e-mail.
        # Every published document has an instance (created, converted or imported alike).
        service_tasks.add_job(session, doc.instance_id, NOTICE_OPERATION,
                              {"document_id": doc.id, "index_no": doc.index_no, "title": doc.published_title or doc.title},
                              f"take-down-{doc.id}")


def _remove_export_now(document_id: int) -> None:
    try:
        publication.remove_static_export(document_id)
    except Exception:  # the outbox job tries again
        log.warning("removing document %s from the static export failed; the job retries", document_id, exc_info=True)


def notify_channel(document_id: int) -> dict:
    """Tell the webhook the document was taken down (idempotent: a channel already told is not told
    again; raising counts a failed try)."""
    with reading() as s:
        doc = s.get(Document, document_id)
        pending = s.scalar(select(Publication.id).where(Publication.document_id == document_id,
                                                        Publication.channel == "webhook", Publication.status == PENDING))
        if doc is None or pending is None:
            return {"sent": False}
        # What the channel needs to remove its copy; the reason stays internal (it may name what leaked).
        body = {"event": "taken_down", "id": doc.id, "index_no": doc.index_no, "title": doc.published_title,
                "url": publication.public_url(doc.id), "taken_down_at": doc.taken_down_at.isoformat()}
    url, detail = publication.post_signed(body)
    with transaction() as s:
        pub = s.get(Publication, pending, with_for_update=True)
        if pub.status == PENDING:
            pub.status, pub.detail = "taken_down", {**(pub.detail or {}), "taken_down": detail}
            audit.record(s, "take_down_notified", actor="worker", document_id=document_id, channel="webhook", url=url)
    return {"sent": True}


def sweep_ended() -> int:
    """Take down every 公示 whose planned last day (公示期至) is over (the periodic list runs this)."""
    today = clock.today()
    with reading() as s:
        ids = list(s.scalars(select(Document.id).where(Document.status == "published", Document.publicity.is_(True),
                                                       Document.publicity_until < today)))
    done = 0
    for doc_id in ids:
        with transaction() as s:
            doc = s.get(Document, doc_id, with_for_update=True)
            ends = publicity.comes_down_on(doc) if doc.status == "published" else None
            if ends is None or ends > today:  # taken down meanwhile, or published late: the minimum first
                continue
            period = publicity.period(doc)
            remove(s, doc, "system", f"公示期满（{period['from']}至{period['to']}） (the publicity period ended)")
            done += 1
    return done

