"""De-identify a document's text and let the publisher adjust the findings before confirming.

The original is never altered; every version of the redacted text is a new stored file, and the
document points at the one the publisher sees — which, once confirmed, is exactly what is published.
"""

from sqlalchemy import select

from engine import audit, storage
from engine.db import reading, transaction
from engine.deid import apply_findings, deidentify, findings_to_dict
from engine.disclosure.documents import get_for
from engine.errors import Conflict, Forbidden, Invalid
from engine.models import Document, HumanTask


def redact(document_id: int, policy: str) -> dict:
    """Run the detector on the original text and store the proposal (idempotent)."""
    with reading() as s:
        doc = s.get(Document, document_id)
        text = storage.get_text(doc.original_sha256)
    result = deidentify(text, category=policy or "general")
    with transaction() as s:
        doc = s.get(Document, document_id)
        doc.findings = findings_to_dict(result.findings)
        doc.redacted_sha256 = storage.put_text(result.text)
        audit.record(s, "deidentified", actor="worker", document_id=doc.id, instance_id=doc.instance_id,
                     policy=result.category, findings=len(result.findings))
    return {"findings": len(result.findings), "policy": result.category}


def update_findings(actor, document_id: int, findings: list) -> dict:
    """Replace the findings (add a missed span, release a wrong one) and re-render the redacted text."""
    if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
        raise Invalid("findings 必须是对象列表 (findings must be a list of objects)", fields={"findings": ["invalid"]})
    with transaction() as s:
        doc = get_for(s, actor, document_id)
        task = s.scalar(select(HumanTask).where(HumanTask.document_id == doc.id, HumanTask.status == "open",
                                                HumanTask.bpmn_id == "confirm_redaction"))
        if task is None:
            raise Conflict("当前不在确认去标识化环节 (not waiting for the redaction to be confirmed)")
        if not actor.has_role("publisher") or task.claimed_by not in (None, actor.id):
            raise Forbidden("只有认领该任务的公开专员可以修改 (only the publisher holding the task)")
        text = storage.get_text(doc.original_sha256)
        items = [_checked(f, text) for f in findings]
        result = apply_findings(text, items, category=doc.category)
        doc.findings = findings_to_dict(result.findings)
        doc.redacted_sha256 = storage.put_text(result.text)
        audit.record(s, "redaction_edited", actor=actor, document_id=doc.id, instance_id=doc.instance_id,
                     findings=len(items))
        return {"redacted_text": result.text, "findings": doc.findings}


def _checked(finding: dict, text: str) -> dict:
    try:
        start, end = int(finding["start"]), int(finding["end"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid("每个标注需要 start 和 end (each finding needs start and end)") from exc
    if not 0 <= start < end <= len(text):
        raise Invalid(f"标注位置超出正文范围: {start}-{end} (span outside the text)")
    out = {**finding, "start": start, "end": end, "text": text[start:end],
           "kind": str(finding.get("kind") or "person_name")}
    out.setdefault("reason", "manual")
    out["redacted"] = bool(finding.get("redacted", True))
    return out
