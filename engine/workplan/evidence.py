"""Evidence in a progress report: links to catalogue items (published documents) and web addresses.

A catalogue item cited as evidence is linked to the plan task it fulfils, so the task page lists the
published documents behind it and the office can see what each task produced.
"""

import re
from contextvars import ContextVar
from pathlib import PurePath
from urllib.parse import urlparse

from sqlalchemy import select

from engine import audit, clock, storage
from engine.db import reading, transaction
from engine.errors import Invalid, NotFound
from engine.models import Document, WorkPlanLink, WorkPlanReport, WorkPlanUnit
from engine.workplan import access

MAX_ITEMS = 20
MAX_FILE = 20 * 1024 * 1024
FILE_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".jpg", ".jpeg", ".png", ".txt"}
# Files uploaded with the report being submitted. They travel beside the form, never in task data,
# so no form data can point a report at a stored file its author did not upload.
_uploads: ContextVar[tuple] = ContextVar("workplan_uploads", default=())


def from_form(session, data: dict) -> list[dict]:
    """The evidence list of a report form: `evidence_urls` (one per line) and `document_ids`."""
    items = [{"kind": "url", "url": url} for url in _urls(data.get("evidence_urls"))]
    items += [{"kind": "file", **f} for f in _uploads.get()]
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
    """Published documents cited by number in the catalogue or by 索引号, several separated by commas."""
    tokens = list(dict.fromkeys(t for t in re.split(r"[\s,，、；;]+", str(value or "").strip()) if t))
    if not tokens:
        return []
    ids = [int(t) for t in tokens if t.isdigit() and len(t) < 10]
    numbers = [t for t in tokens if not (t.isdigit() and len(t) < 10)]
    published = Document.status == "published"
    by_id = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids), published))} if ids else {}
    by_no = ({d.index_no: d for d in session.scalars(select(Document).where(Document.index_no.in_(numbers), published))}
             if numbers else {})
    missing = [t for t in tokens if (by_id.get(int(t)) if t in map(str, ids) else by_no.get(t)) is None]
    if missing:  # only the public catalogue can be cited: nothing unpublished leaks through a report
        raise Invalid("只能引用已公开的文件：请填写目录中的文件编号或索引号",
                      fields={"document_ids": [f"目录中没有已公开的文件 {t[:80]}" for t in missing]})
    return list({d.id: d for d in (by_id.get(int(t)) if t in map(str, ids) else by_no[t] for t in tokens)}.values())


def link(session, task_id: int, document_ids, by: str) -> None:
    existing = set(session.scalars(select(WorkPlanLink.document_id).where(WorkPlanLink.task_id == task_id)))
    for doc_id in document_ids:
        if doc_id not in existing:
            session.add(WorkPlanLink(task_id=task_id, document_id=doc_id, linked_by=by, linked_at=clock.now()))
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


def store_uploads(files) -> list[dict]:
    """Check and store uploaded evidence files [(name, bytes)]; Invalid names the file at fault."""
    stored = []
    for name, content in files:
        name = PurePath(str(name or "")).name[:200]
        if PurePath(name).suffix.lower() not in FILE_TYPES:
            raise Invalid("佐证文件应为 PDF、Word、Excel、OFD、图片或文本 (file type not accepted)",
                          fields={"evidence_files": [f"不支持的文件类型：{name}"]})
        if not content or len(content) > MAX_FILE:
            raise Invalid("佐证文件不能为空，也不能超过20MB (empty or larger than 20 MB)",
                          fields={"evidence_files": [f"文件大小不符：{name}"]})
        stored.append({"name": name, "sha256": storage.put(content), "size": len(content)})
    return stored


def uploading(stored):
    """Make `stored` the files of the report submitted next in this context; returns a reset token."""
    return _uploads.set(tuple(stored))


def done_uploading(token) -> None:
    _uploads.reset(token)


def file_for(actor, report_id: int, sha256: str) -> tuple[str, bytes]:
    """An evidence file of a report, for those who may see its task."""
    with reading() as s:
        report = s.get(WorkPlanReport, report_id)
        unit = s.get(WorkPlanUnit, report.unit_id) if report else None
        if unit is not None:
            access.task_for(s, actor, unit.task_id)
        found = next((e for e in (report.evidence if report else []) if e.get("kind") == "file"
                      and e.get("sha256") == sha256), None)
        if found is None:
            raise NotFound("没有该佐证文件 (no such evidence file)")
        return found["name"], storage.get(sha256)
