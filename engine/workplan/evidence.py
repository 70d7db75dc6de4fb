"""Evidence in a progress report: links to catalogue items (published documents) and web addresses.

A catalogue item cited as evidence is linked to the plan task it fulfils, so the task page lists the
published documents behind it and the office can see what each task produced.
"""

import re
from urllib.parse import urlparse

from sqlalchemy import select

from engine import audit
from engine.db import transaction
from engine.errors import Invalid
from engine.models import Document, WorkPlanLink
from engine.models.types import utcnow
from engine.workplan import access

MAX_ITEMS = 20


def from_form(session, data: dict) -> list[dict]:
    """The evidence list of a report form: `evidence_urls` (one per line) and `document_ids`."""
    items = [{"kind": "url", "url": url} for url in _urls(data.get("evidence_urls"))]
    for doc in _documents(session, data.get("document_ids")):
        items.append({"kind": "document", "id": doc.id, "title": doc.title, "doc_number": doc.doc_number})
    if len(items) > MAX_ITEMS:
        raise Invalid(f"佐证材料最多{MAX_ITEMS}项 (at most {MAX_ITEMS} items)", fields={"evidence_urls": ["too many"]})
    return items


def _urls(value) -> list[str]:
    urls = [line.strip() for line in str(value or "").splitlines() if line.strip()]
    bad = [u for u in urls if urlparse(u).scheme not in ("http", "https") or not urlparse(u).netloc]
    if bad:
        raise Invalid("佐证链接应为 http(s) 网址 (links must be http or https addresses)",
                      fields={"evidence_urls": [f"不是有效网址：{u[:100]}" for u in bad]})
    return urls


def _documents(session, value) -> list[Document]:
    text = str(value or "").strip()
    if not text:
        return []
    if not re.fullmatch(r"\d+([\s,，、]+\d+)*", text):
        raise Invalid("文件编号应为数字，多个用逗号分隔 (document numbers, comma separated)",
                      fields={"document_ids": ["not a list of numbers"]})
    ids = list(dict.fromkeys(int(x) for x in re.split(r"[\s,，、]+", text)))
    found = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids),
                                                                   Document.status == "published"))}
    missing = [i for i in ids if i not in found]
    if missing:  # only the public catalogue can be cited: nothing unpublished leaks through a report
        raise Invalid("只能引用已公开的文件 (only published documents can be cited)",
                      fields={"document_ids": [f"目录中没有已公开的文件 {i}" for i in missing]})
    return [found[i] for i in ids]


def link(session, task_id: int, document_ids, by: str) -> None:
    existing = set(session.scalars(select(WorkPlanLink.document_id).where(WorkPlanLink.task_id == task_id)))
    for doc_id in document_ids:
        if doc_id not in existing:
            session.add(WorkPlanLink(task_id=task_id, document_id=doc_id, linked_by=by, linked_at=utcnow()))
            existing.add(doc_id)


def link_document(actor, task_id: int, document_id) -> dict:
    """Link a catalogue item to the plan task it fulfils (the office, or a lead or assisting unit)."""
    with transaction() as s:
        access.task_for(s, actor, task_id)
        if not isinstance(document_id, int) or isinstance(document_id, bool):
            raise Invalid("请填写文件编号 (give a document id)", fields={"document_id": ["an integer"]})
        docs = _documents(s, str(document_id))
        link(s, task_id, [docs[0].id], actor.username)
        audit.record(s, "workplan_document_linked", actor=actor, document_id=docs[0].id, task_id=None,
                     plan_task_id=task_id)
        return {"task_id": task_id, "documents": linked_documents(s, task_id)}


def linked_documents(session, task_id: int) -> list[dict]:
    rows = session.execute(select(Document.id, Document.title, Document.doc_number, Document.published_at)
                           .join(WorkPlanLink, WorkPlanLink.document_id == Document.id)
                           .where(WorkPlanLink.task_id == task_id).order_by(WorkPlanLink.id)).all()
    return [{"id": r.id, "title": r.title, "doc_number": r.doc_number,
             "published_at": r.published_at.isoformat() if r.published_at else None} for r in rows]
