"""Submit documents into the disclosure procedure and read them, always on behalf of someone.

`access.document_for(session, actor, id)` is the only way to a document; who may see one is `engine.access`'s
rule (its drafter, its department's staff, whoever is given one of its tasks, admins). The
submission's light checks (types, known values) live here; the source check (退文) is in the BPMN.
"""

from datetime import datetime, time

from sqlalchemy import func, select

from engine import access, audit, calendar, clock, sealed, storage
from engine.calendar import is_provisional
from engine.db import reading, transaction
from engine.disclosure import (
    ATTRIBUTES,
    CATEGORIES,
    CHANNELS,
    GROUNDS,
    PROCESS_KEY,
    catalogue,
    files,
    publicity,
    redaction,
    reviews,
)
from engine.disclosure.files import Upload
from engine.errors import Forbidden, Invalid, NotFound
from engine.models import Department, Document, HumanTask, Publication
from engine.workflow import instances, progress

TEXT_FIELDS = ("title", "doc_number", "attribute_reason")
SUMMARY_MAX = 500  # 内容概述: what the catalogue shows under the title


def clean_submission(data: dict, partial=False) -> dict:
    """Check types and known values; missing attribute/ground are left for the source check."""
    errors, out = {}, {}
    title = str(data.get("title") or "").strip()
    if not title and not partial:
        errors["title"] = ["请填写文件标题 (title is required)"]
    out["title"] = title[:300]
    out["doc_number"] = (str(data.get("doc_number") or "").strip() or None)
    for key, allowed in (("category", CATEGORIES), ("attribute", ATTRIBUTES), ("attribute_ground", GROUNDS)):
        value = data.get(key) or None
        if value is not None and value not in allowed:
            errors[key] = [f"应为以下之一 (one of): {', '.join(allowed)}"]
        out[key] = value
    out["category"] = out["category"] or "general"
    out["attribute_reason"] = (str(data.get("attribute_reason") or "").strip() or None)
    formed_on = calendar.parse_day(data.get("formed_on"), "formed_on", errors)
    out["formed_on"] = formed_on.isoformat() if formed_on else None
    out["formed_at"] = _formed_at(out["formed_on"], data.get("formed_time"), errors)
    channels = data.get("channels") or ["catalogue"]
    if not isinstance(channels, list) or any(c not in CHANNELS for c in channels):
        errors["channels"] = [f"渠道应为 (channels among): {', '.join(CHANNELS)}"]
    out["channels"] = channels if isinstance(channels, list) else []
    summary = str(data.get("summary") or "").strip()
    if len(summary) > SUMMARY_MAX:
        errors["summary"] = [f"内容概述最多{SUMMARY_MAX}字 (at most {SUMMARY_MAX} characters)"]
    out["summary"] = summary[:SUMMARY_MAX]
    out["body"] = str(data.get("body") or "")
    out["interpretation"] = str(data.get("interpretation") or "")
    out.update(catalogue.clean(data, out["category"], errors))
    out.update(publicity.clean(data, out["category"], errors))
    if errors:
        raise Invalid("提交内容有误 (the submission has errors)", fields=errors)
    return out


def _formed_at(formed_on, formed_time, errors) -> str | None:
    """The moment the information was formed, for deadlines counted in hours (product recalls).

    With a time given, that time of `formed_on` (Beijing time); without one, now if it was formed
    today, else the start of that day: an unknown hour never buys extra time.
    """
    if formed_on is None:
        return None
    day = calendar.parse_day(formed_on, "formed_on")
    if formed_time not in (None, ""):
        try:
            moment = time.fromisoformat(str(formed_time).strip())
        except ValueError:
            errors["formed_time"] = ["时间格式应为 HH:MM (time as HH:MM)"]
            return None
        return datetime.combine(day, moment, calendar.SHANGHAI).isoformat()
    now = clock.now_in_china().replace(microsecond=0)
    return now.isoformat() if day == now.date() else datetime.combine(day, time(0), calendar.SHANGHAI).isoformat()


def submit(actor, data: dict, body: Upload | None = None, attachments: list[Upload] = ()) -> dict:
    """Create a document and start its disclosure procedure; returns {id, status, instance_id, files}.

    `body` is the document as issued (.docx, .pdf, .ofd): its text becomes the body unless one was
    typed. `attachments` go with it. A refused file is a 422 naming it, and nothing is created.
    """
    clean, checked_body, checked_attachments = _checked_submission(actor, data, body, attachments)
    with transaction() as s:
        doc = Document(drafter_id=actor.id, department_id=actor.department_id, status="submitted")
        apply_fields(doc, clean, s)
        doc.changes_document_id, doc.change_kind = clean["changes_document_id"], clean["change_kind"]
        catalogue.check_target(s, doc)
        s.add(doc)
        s.flush()
        stored = ([files.add(s, doc, actor, checked_body, "body")] if checked_body else []) + \
            [files.add(s, doc, actor, c, "attachment") for c in checked_attachments]
        if checked_body is not None:
            doc.original_filename = checked_body.name
        audit.record(s, "document_submitted", actor=actor, document_id=doc.id, title=doc.title,
                     files=[f.name for f in stored])
        row = instances.start(s, actor, PROCESS_KEY, task_data(doc, clean), document_id=doc.id,
                              department_id=doc.department_id, title=doc.title)
        doc.instance_id = row.id
        return {"id": doc.id, "status": doc.status, "instance_id": row.id,
                "files": [files.summary(f) for f in stored]}


def _checked_submission(actor, data, body, attachments):
    """The fields and the files checked together: one 422 names every field and file to fix. A
    refused file is refused whoever sends it (the gate judges it before anything reads it); a
    caller who is not a drafter learns nothing else."""
    found, errors = [], {}
    for check in (lambda: clean_submission(data), lambda: files.check([body], "body")[0] if body else None,
                  lambda: files.check(list(attachments), "attachment")):
        try:
            found.append(check())
        except Invalid as exc:
            errors.update(exc.fields or {"_": [exc.message]})
    refused = [m for field in ("file", "attachments") for m in errors.get(field, [])]
    if not refused and not access.may_submit_document(actor):
        raise Forbidden("只有起草人可以提交文件 (only drafters submit documents)")
    if errors:
        names = "；".join(refused)
        raise Invalid(f"提交内容有误 (the submission has errors){'：' + names if names else ''}", fields=errors)
    clean, checked_body, checked_attachments = found
    if checked_body is not None and not clean["body"].strip():
        clean["body"] = files.body_text(checked_body)
    return clean, checked_body, checked_attachments


def add_files(actor, document_id, uploads: list[Upload]) -> list[dict]:
    """Add attachments while the document is with its drafter (at a 退文)."""
    with transaction() as s:
        doc = access.document_for(s, actor, document_id)
        files.require_with_drafter(s, actor, doc)
        checked = files.check(uploads, "attachment")
        if len(files.of(s, doc.id)) + len(checked) > files.MAX_ATTACHMENTS + 1:
            raise Invalid(f"附件最多 {files.MAX_ATTACHMENTS} 个 (at most {files.MAX_ATTACHMENTS} attachments)",
                          fields={"attachments": ["too many"]})
        added = [files.add(s, doc, actor, c, "attachment") for c in checked]
        for row in added:
            files.changed(s, actor, doc, "added", row)
        return [files.summary(r) for r in added]


def replace_file(actor, document_id, file_id, upload: Upload | None) -> dict:
    """Replace one file (the body or an attachment) while the document is with its drafter; a new
    body brings its text with it."""
    if upload is None:
        raise Invalid("请选择要替换的文件 (choose the file)", fields={"file": ["required"]})
    with transaction() as s:
        doc = access.document_for(s, actor, document_id)
        old = files.get(s, doc, file_id)
        files.require_with_drafter(s, actor, doc)
        checked = files.check([upload], old.role)[0]
        if old.role == "body":
            text = files.body_text(checked)
            doc.original_sha256, doc.original_filename = (sealed.put_text(s, text) if text else None), checked.name
        position = old.position
        s.delete(old)
        s.flush()
        row = files.add(s, doc, actor, checked, old.role)
        row.position = position
        files.changed(s, actor, doc, "replaced", row)
        return files.summary(row)


def remove_file(actor, document_id, file_id) -> list[dict]:
    """Remove an attachment while the document is with its drafter (the body is replaced, not removed)."""
    with transaction() as s:
        doc = access.document_for(s, actor, document_id)
        row = files.get(s, doc, file_id)
        files.require_with_drafter(s, actor, doc)
        if row.role == "body":
            raise Invalid("正文文件只能替换，不能删除 (the body file can be replaced, not removed)",
                          fields={"file": ["body"]})
        s.delete(row)
        files.changed(s, actor, doc, "removed", row)
        s.flush()
        return [files.summary(f) for f in files.of(s, doc.id)]


def detail_files(actor, document_id) -> list[dict]:
    """The document's files as staff see them (never their content)."""
    with reading() as s:
        return [files.summary(f) for f in files.of(s, access.document_for(s, actor, document_id).id)]


def apply_fields(doc: Document, clean: dict, session) -> None:
    """Copy submitted fields onto the document; texts go to files, never into task data: originals
    sealed (engine.sealed), for they hold what is withheld or not yet de-identified."""
    for key in ("title", "doc_number", "category", "attribute", "attribute_ground", "attribute_reason", "channels",
                "topic", "area"):
        setattr(doc, key, clean[key])
    doc.summary = clean.get("summary") or None
    doc.formed_on = calendar.parse_day(clean["formed_on"], "formed_on")
    doc.publicity = clean["publicity"]
    doc.publicity_until = calendar.parse_day(clean["publicity_until"], "publicity_until")
    doc.original_sha256 = sealed.put_text(session, clean["body"]) if clean["body"] else None
    doc.interpretation_sha256 = sealed.put_text(session, clean["interpretation"]) if clean["interpretation"] else None


def task_data(doc: Document, clean: dict) -> dict:
    """The process variables: metadata and flags only; body and interpretation stay in files."""
    return {"document_id": doc.id, "title": doc.title, "doc_number": doc.doc_number, "category": doc.category,
            "attribute": doc.attribute, "attribute_ground": doc.attribute_ground,
            "attribute_reason": doc.attribute_reason, "formed_on": clean["formed_on"],
            "formed_at": clean.get("formed_at"),
            "channels": doc.channels, "topic": doc.topic, "area": doc.area, "has_body": bool(clean["body"]),
            "publicity": doc.publicity, "publicity_until": clean["publicity_until"],
            "has_interpretation": bool(clean["interpretation"]), "returns": doc.returns or 0,
            "return_reason": None, "deadline_start": clean.get("deadline_start")}


def detail_for(actor, document_id: int) -> dict:
    """The document page: metadata, deadline, returns, reviews, publications, open tasks, history."""
    with reading() as s:
        doc = access.document_for(s, actor, document_id)
        tasks = s.scalars(select(HumanTask).where(HumanTask.document_id == doc.id, HumanTask.status == "open"))
        pubs = s.scalars(select(Publication).where(Publication.document_id == doc.id))
        return {
            **summary(doc), "body": sealed.get_text(doc.original_sha256, s),
            "interpretation": sealed.get_text(doc.interpretation_sha256, s),
            "redacted_text": storage.get_text(doc.redacted_sha256), "findings": doc.findings or [],
            "redactions": redaction.for_confirmation(doc), "redaction_confirmed_by": doc.redaction_confirmed_by,
            "files": [files.summary(f) for f in files.of(s, doc.id)],
            "publish_by_provisional": bool(doc.publish_by and is_provisional(doc.publish_by)),
            "reviews": reviews.for_document(s, doc.id),
            "publications": [{"channel": p.channel, "url": p.url, "published_at": p.published_at.isoformat(),
                              "status": p.status}
                             for p in pubs],
            "current_tasks": [{"id": t.id, "name": t.name, "role": t.role, "claimed_by": t.claimed_by,
                               "due_at": t.due_at.isoformat() if t.due_at else None} for t in tasks],
            "history": audit.history(s, instance_id=doc.instance_id, document_id=doc.id),
            "may_take_down": doc.status == "published" and access.may_take_down(actor, doc),
            "progress": progress.for_instance(s, doc.instance_id, technical=access.sees_technical_detail(actor)),
        }


def progress_for(actor, document_id: int) -> dict:
    """The document's status and what the system is doing for it now (for the page's polling)."""
    with reading() as s:
        doc = access.document_for(s, actor, document_id)
        tasks = s.execute(select(HumanTask.id, HumanTask.name).where(HumanTask.document_id == doc.id,
                                                                      HumanTask.status == "open"))
        return {"status": doc.status, "current_tasks": [{"id": i, "name": n} for i, n in tasks],
                **progress.for_instance(s, doc.instance_id, technical=access.sees_technical_detail(actor))}


def summary(doc: Document, publicity_rules: dict | None = None) -> dict:
    return {"id": doc.id, "title": doc.title, "doc_number": doc.doc_number, "summary": doc.summary, "status": doc.status,
            "attribute": doc.attribute, "attribute_ground": doc.attribute_ground,
            "attribute_reason": doc.attribute_reason, "category": doc.category,
            "formed_on": doc.formed_on.isoformat() if doc.formed_on else None,
            "publish_by": doc.publish_by.isoformat() if doc.publish_by else None,
            "returns": doc.returns, "return_reason": doc.return_reason, "channels": doc.channels or [],
            "instance_id": doc.instance_id, "department_id": doc.department_id,
            "published_at": doc.published_at.isoformat() if doc.published_at else None,
            "changes_document_id": doc.changes_document_id, "change_kind": doc.change_kind,
            "taken_down": {"at": doc.taken_down_at.isoformat(), "by": doc.taken_down_by, "reason": doc.taken_down_reason}
            if doc.taken_down_at else None,
            **catalogue.fields(doc, publicity_rules)}


def list_for(actor, status=None, limit=50, offset=0) -> dict:
    """Documents the actor may see (`access.document_clause`)."""
    with reading() as s:
        query = select(Document).where(access.document_clause(actor))
        if status:
            query = query.where(Document.status == status)
        query = query.order_by(Document.id.desc()).limit(min(int(limit), 200)).offset(int(offset))
        rows = list(s.scalars(query, access.params(actor)))
        rule = publicity.rule_for(rows)
        return {"items": [summary(d, rule) for d in rows]}


def verify_reviews(actor, document_id: int) -> dict:
    with reading() as s:
        access.document_for(s, actor, document_id)
        return reviews.verify(s, document_id)


def verify_chain(document_id: int) -> dict:
    """The check of `verify_reviews` for the operator's command line (`gongkai verify`)."""
    with reading() as s:
        if s.get(Document, document_id) is None:
            raise NotFound(f"没有文件 {document_id} (no such document)")
        return reviews.verify(s, document_id)


def returns_by_department(actor) -> list[dict]:
    """How many times documents were returned (退文), per department, over the documents `actor`
    may see (admins: all)."""
    with reading() as s:
        rows = s.execute(select(Department.name, func.coalesce(func.sum(Document.returns), 0), func.count())
                         .join(Document, Document.department_id == Department.id)
                         .where(access.document_clause(actor)).group_by(Department.name), access.params(actor))
        return [{"department": name, "returns": int(r), "documents": n} for name, r, n in rows]
