"""Service-task operations of the request procedure: `deidentify_request`."""

from engine import storage
from engine.db import reading, transaction
from engine.deid import deidentify
from engine.models import InformationRequest
from engine.workflow.operations import operation


@operation("deidentify_request")
def deidentify_request(ctx) -> dict:
    """De-identify the material to be provided before the secrecy review (idempotent)."""
    request_id = int(ctx.params.get("request_id") or ctx.request_id)
    with reading() as s:
        text = storage.get_text(s.get(InformationRequest, request_id).material_sha256)
    result = deidentify(text, category="general")
    with transaction() as s:
        s.get(InformationRequest, request_id).redacted_sha256 = storage.put_text(result.text)
    return {"findings": len(result.findings)}
