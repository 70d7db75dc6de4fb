"""Service-task operations of the disclosure procedure: `deidentify` and `publish`."""

from engine.disclosure import publication, redaction
from engine.workflow.operations import operation


@operation("deidentify")
def deidentify(ctx) -> dict:
    """Propose the redacted version of the document (policy from the deid_policy DMN table)."""
    return redaction.redact(int(ctx.params.get("document_id") or ctx.document_id), ctx.params.get("policy"))


@operation("publish")
def publish(ctx) -> dict:
    """Publish the confirmed redacted version to the document's channels."""
    return publication.publish(int(ctx.params.get("document_id") or ctx.document_id))
