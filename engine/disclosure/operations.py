"""Service-task operations of the disclosure procedure: `deidentify` and `publish`."""

from engine import access
from engine.disclosure import publication, redaction
from engine.workflow.operations import operation


@operation("deidentify")
def deidentify(ctx) -> dict:
    """Propose the redacted version of the document (policy from the deid_policy DMN table)."""
    return redaction.redact(access.bound_id(ctx.document_id, ctx.params.get("document_id"), "document"),
                            ctx.params.get("policy"))


@operation("publish")
def publish(ctx) -> dict:
    """Publish the confirmed redacted version to the document's channels."""
    return publication.publish(access.bound_id(ctx.document_id, ctx.params.get("document_id"), "document"))
