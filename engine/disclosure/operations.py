"""Service-task operations of the disclosure procedure (`deidentify`, `publish`) and the take-down's
jobs (outbox jobs of the document's instance that no task waits for): the notice to the webhook
channel (`notify_taken_down`) and the removal from the static export (`remove_static_export`); a
receiver or a store that keeps failing ends in an incident naming the document."""

from engine import access
from engine.config import current
from engine.disclosure import file_redaction, publication, published_audit, redaction, takedown
from engine.workflow.operations import operation


@operation("deidentify")
def deidentify(ctx) -> dict:
    """Propose the redacted version of the document's fields and files (policy from the deid_policy
    DMN table); a file that cannot be read is held back, the others go on."""
    document_id = access.bound_id(ctx.document_id, ctx.params.get("document_id"), "document")
    result = redaction.redact(document_id, ctx.params.get("policy"))
    return {**result, "files": file_redaction.read_files(document_id, ctx.params.get("policy"))}


@operation("publish")
def publish(ctx) -> dict:
    """Publish the confirmed redacted version to the document's channels."""
    return publication.publish(access.bound_id(ctx.document_id, ctx.params.get("document_id"), "document"))


def _take_down_failure(params) -> str:
    return (f"撤下通知推送失败：文件《{params.get('title') or ''}》（索引号 {params.get('index_no') or '未编号'}）"
            f"已撤下，网站推送渠道（{current().webhook_url or '未配置推送地址'}）尚未收到撤下通知")


@operation(takedown.NOTICE_OPERATION, describe=_take_down_failure)
def notify_taken_down(ctx) -> dict:
    """Tell the webhook channel the document was taken down; a failure raises (a failed try)."""
    return takedown.notify_channel(access.bound_id(ctx.document_id, ctx.params.get("document_id"), "document"))


def _export_removal_failure(params) -> str:
    return (f"撤下失败：文件《{params.get('title') or ''}》（索引号 {params.get('index_no') or '未编号'}）"
            f"已撤下，但静态导出（{publication.export_address()}）中的副本尚未删除")


@operation(takedown.EXPORT_REMOVAL, describe=_export_removal_failure)
def remove_static_export(ctx) -> dict:
    """Delete the document's copy from the static export (idempotent); a failure raises (a failed try)."""
    publication.remove_static_export(access.bound_id(ctx.document_id, ctx.params.get("document_id"), "document"))
    return {"removed": True}


@operation(published_audit.NOTICE_OPERATION)
def notify_republished(ctx) -> dict:
    """Send the webhook channel a re-published (re-redacted) version; a failure raises (a failed try)."""
    return published_audit.notify_channel(access.bound_id(ctx.document_id, ctx.params.get("document_id"), "document"))
