"""De-identify every published field of a document and let the publisher adjust the findings.

What leaves through a channel is the title, the document number, the 内容概述, the body and the 政策解读: each
is de-identified here (`engine.deid` is the only detector), shown to the publisher with its findings
and published only in the version the publisher confirmed. The uploaded .docx is never published;
its text is the body. Originals are never altered; each redacted version is a new stored file.
"""

import json

from sqlalchemy import select
from sqlalchemy.orm import object_session

from engine import access, audit, sealed, storage
from engine.db import reading, transaction
from engine.deid import KINDS, apply_findings, deidentify, findings_to_dict
from engine.errors import Conflict, Invalid
from engine.models import Document, HumanTask

# The published fields in page order, with the label the publisher sees on the confirmation page.
FIELDS = {"title": "标题", "doc_number": "文号", "summary": "内容概述", "body": "正文", "interpretation": "政策解读"}


def original(doc: Document, field: str) -> str:
    """The field as written by the drafter (never published as such)."""
    if field == "body":
        return sealed.get_text(doc.original_sha256, object_session(doc))
    if field == "interpretation":
        return sealed.get_text(doc.interpretation_sha256, object_session(doc))
    return getattr(doc, field) or ""


def proposal(doc: Document, field: str) -> dict | None:
    """The stored redaction of `field`: {"text", "findings"}; None when none was made yet."""
    if field == "body":
        if not doc.redacted_sha256:
            return None
        return {"text": storage.get_text(doc.redacted_sha256), "findings": doc.findings or []}
    stored = (doc.field_redactions or {}).get(field)
    return {"text": storage.get_text(stored["sha256"]), "findings": stored["findings"]} if stored else None


def _store(doc: Document, field: str, result) -> None:
    sha, found = storage.put_text(result.text), findings_to_dict(result.findings)
    if field == "body":
        doc.findings, doc.redacted_sha256 = found, sha
    else:  # a new dict, so the JSON column is seen as changed
        doc.field_redactions = {**(doc.field_redactions or {}), field: {"sha256": sha, "findings": found}}


def _shown(doc: Document, field: str) -> dict | None:
    """What the publisher is shown for `field`: the stored proposal, else (a document de-identified
    before its other fields were) the detector's proposal made now, stored when confirmed."""
    made = proposal(doc, field)
    if made is None and (doc.redacted_sha256 or doc.field_redactions):
        result = deidentify(original(doc, field), category=doc.category)
        made = {"text": result.text, "findings": findings_to_dict(result.findings)}
    return made


def for_confirmation(doc: Document) -> list[dict]:
    """Each field that has content: its original, findings and redacted text (the publisher's page)."""
    out = []
    for field, label in FIELDS.items():
        text = original(doc, field)
        if text:
            made = _shown(doc, field) or {"text": None, "findings": []}
            out.append({"field": field, "label": label, "original": text, "findings": made["findings"],
                        "redacted_text": made["text"]})
    return out


def confirm(doc: Document, files: list[dict] = ()) -> str:
    """Fix what the publisher confirmed: store any proposal shown but not yet stored, then store the
    bundle of published fields and files' versions and return its sha256 (what the confirmer's
    record signs)."""
    for field in FIELDS:
        if original(doc, field) and proposal(doc, field) is None and (made := _shown(doc, field)) is not None:
            _store(doc, field, apply_findings(original(doc, field), made["findings"], category=doc.category))
    bundle = {**published_fields(doc), **({"files": list(files)} if files else {})}
    return storage.put_text(json.dumps(bundle, ensure_ascii=False, sort_keys=True))


def published_fields(doc: Document) -> dict:
    """The confirmed redacted value of every field; a field with content but no redaction refuses."""
    missing = [FIELDS[f] for f in FIELDS if original(doc, f) and proposal(doc, f) is None]
    if missing:
        raise Invalid(f"以下字段尚未去标识化 (not de-identified yet): {'、'.join(missing)}",
                      fields={"redaction": missing})
    return {f: (proposal(doc, f) or {"text": ""})["text"] for f in FIELDS}


def redact(document_id: int, policy: str) -> dict:
    """Run the detector on every published field and store the proposals (idempotent)."""
    with reading() as s:
        doc = s.get(Document, document_id)
        texts = {f: original(doc, f) for f in FIELDS}
    results = {f: deidentify(t, category=policy or "general") for f, t in texts.items() if t}
    with transaction() as s:
        doc = s.get(Document, document_id)
        for field, result in results.items():
            _store(doc, field, result)
        found = {f: len(r.findings) for f, r in results.items()}
        name = next((r.category for r in results.values()), policy or "general")
        audit.record(s, "deidentified", actor="worker", document_id=doc.id, instance_id=doc.instance_id,
                     policy=name, findings=sum(found.values()), fields=found)
    return {"findings": sum(found.values()), "policy": name, "fields": found}


def update_findings(actor, document_id: int, findings: list, field: str | None = "body") -> dict:
    """Replace one field's findings (add a missed span, release a wrong one) and re-render it."""
    field = field or "body"
    if not isinstance(field, str) or field not in FIELDS:
        raise Invalid(f"field 应为以下之一 (one of): {', '.join(FIELDS)}", fields={"field": ["invalid"]})
    with transaction() as s:
        doc = access.document_for(s, actor, document_id)
        check_confirming(s, actor, doc)
        text = original(doc, field)
        items = checked_findings(findings, text)
        result = apply_findings(text, items, category=doc.category)
        _store(doc, field, result)
        audit.record(s, "redaction_edited", actor=actor, document_id=doc.id, instance_id=doc.instance_id,
                     field=field, findings=len(items))
        return {"field": field, "redacted_text": result.text, "findings": findings_to_dict(result.findings)}


def check_confirming(session, actor, doc) -> None:
    """Refuse unless the document waits for its redaction to be confirmed by `actor` (or any publisher
    of it while nobody holds the task)."""
    task = session.scalar(select(HumanTask).where(HumanTask.document_id == doc.id, HumanTask.status == "open",
                                                  HumanTask.bpmn_id == "confirm_redaction"))
    if task is None:
        raise Conflict("当前不在确认去标识化环节 (not waiting for the redaction to be confirmed)")
    access.require(access.may_confirm_redaction(actor, task),
                   "只有认领该任务的公开专员可以修改 (only the publisher holding the task)")


def checked_findings(findings, text: str) -> list[dict]:
    """The publisher's list of findings over `text`, each checked (span inside it, known kind)."""
    if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
        raise Invalid("findings 必须是对象列表 (findings must be a list of objects)", fields={"findings": ["invalid"]})
    return [_checked(f, text) for f in findings]


def _checked(finding: dict, text: str) -> dict:
    try:
        start, end = int(finding["start"]), int(finding["end"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid("每个标注需要 start 和 end (each finding needs start and end)") from exc
    if not 0 <= start < end <= len(text):
        raise Invalid(f"标注位置超出正文范围: {start}-{end} (span outside the text)")
    kind = finding.get("kind") or "person_name"
    if kind not in KINDS:
        raise Invalid(f"标注类型应为以下之一 (kind one of): {', '.join(KINDS)}", fields={"findings": ["kind"]})
    replacement = finding.get("replacement")
    if replacement is not None and not isinstance(replacement, str):
        raise Invalid("替换文字应为字符串 (replacement must be a string)", fields={"findings": ["replacement"]})
    out = {**finding, "start": start, "end": end, "text": text[start:end], "kind": kind}
    out["reason"] = str(finding.get("reason") or "manual")
    out["redacted"] = bool(finding.get("redacted", True))
    return out
