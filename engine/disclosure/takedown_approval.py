"""Hooks of `document_takedown`: the approval of taking down a document still in force (a 规范性文件).
The approver (分管领导 or 主要负责人, as `publication_approval.dmn` says for the category) signs a review
record; approved, the document is taken down in the same transaction, in the requester's name with
the approver named; refused, it stays published and the history says so.
"""

from engine import audit, clock, storage
from engine.disclosure import reviews, takedown
from engine.errors import Conflict
from engine.models import Document
from engine.workflow import hooks

hooks.requires(takedown.APPROVAL_KEY, {"approve_takedown": "publication_approval",
                                       "approve_takedown_head": "publication_approval", "end_decided": None})


@hooks.before_complete(takedown.APPROVAL_KEY)
def decide(c: hooks.Completion) -> None:
    doc = c.session.get(Document, c.instance.document_id, with_for_update=True)
    asked, decision = c.spiff_task.data, c.data.get("decision")
    reviews.append(c.session, doc.id, task_id=c.human_task.id, stage="takedown_approval", reviewer=c.actor,
                   role=c.human_task.role, decision=decision or "", opinion=c.data.get("opinion"), ground=None,
                   content_sha256=doc.original_sha256 or storage.put_text(""), at=clock.now(),
                   channels=doc.channels or [], attribute=doc.attribute)
    if decision != "approve":
        audit.record(c.session, "take_down_refused", actor=c.actor, document_id=doc.id, instance_id=c.instance.id,
                     opinion=c.data.get("opinion"))
        return
    if doc.status != "published":
        raise Conflict("该文件已不在公开状态，无须撤下 (no longer published)")
    takedown.remove(c.session, doc, asked.get("requested_by") or c.actor,
                        f"{asked.get('reason')}（经{c.actor.display_name or c.actor.username}审批同意）")
