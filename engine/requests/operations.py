"""Service-task operations of the request procedure (`deidentify_request`, `email_reply`) and the
e-mailing of a notice (`email_notice`, an outbox job of the request's instance that no task waits
for). A mail server that refuses or is down fails the try; after the last one the incident names
the letter and its recipient, and an admin's retry sends it again."""

import smtplib
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from engine import access, audit, clock, sealed, storage
from engine.config import current
from engine.db import reading, transaction
from engine.deid import deidentify
from engine.models import InformationRequest
from engine.requests import letters, notices, replies
from engine.workflow.operations import operation


@operation("deidentify_request")
def deidentify_request(ctx) -> dict:
    """De-identify the material to be provided before the secrecy review (idempotent)."""
    request_id = access.bound_id(ctx.request_id, ctx.params.get("request_id"), "request")
    with reading() as s:
        text = sealed.get_text(s.get(InformationRequest, request_id).material_sha256, s)
    result = deidentify(text, category="general")
    with transaction() as s:
        s.get(InformationRequest, request_id).redacted_sha256 = storage.put_text(result.text)
    return {"findings": len(result.findings)}


def _reply_failure(params) -> str:
    return f"答复书电子邮件发送失败（收件人：{params.get('email_to') or '未填写'}），答复书尚未送达"


def _notice_failure(params) -> str:
    return (f"{params.get('notice_name') or '告知书'}电子邮件发送失败（收件人：{params.get('email_to') or '未填写'}），"
            "该告知书尚未送达")


@operation("email_reply", describe=_reply_failure)
def email_reply(ctx) -> dict:
    """E-mail the signed reply letter (.docx attached) to the applicant and record the delivery.

    A retried job after a sent-but-unrecorded mail may send it twice (at least once, like every
    outbox job); a recorded delivery is never sent again.
    """
    request_id = access.bound_id(ctx.request_id, ctx.params.get("request_id"), "request")
    to = str(ctx.params.get("email_to") or "")
    with reading() as s:
        req = s.get(InformationRequest, request_id)
        letter = replies.latest_letter(s, req)
        if letter.delivered_on is not None:
            return {"sent": False, "already_delivered": letter.delivered_on.isoformat()}
        message = _reply_message(req, letter, to, replies.layout(s, req, letter), replies.attachment(s, req))
    _send(message)
    with transaction() as s:
        req = s.get(InformationRequest, request_id)
        replies.mark_delivered(s, req, clock.today())
        audit.record(s, "letter_emailed", actor="worker", instance_id=ctx.instance_id, request_id=req.id, to=to)
    return {"sent": True, "to": to}


def _reply_message(req, letter, to, layout, attachment) -> EmailMessage:
    """The reply with its attachment (the information provided: what the letter's "见附件" means)."""
    return letters.as_email(f"政府信息公开申请答复书（{req.request_no}）", to, letter.text, f"{req.request_no}-答复书.docx",
                            layout=layout, attachments=(attachment,) if attachment else ())


@operation("email_notice", describe=_notice_failure)
def email_notice(ctx) -> dict:
    """Send one notice the publisher chose to e-mail, then record it delivered today (idempotent:
    a notice delivered meanwhile is not sent again). Only a notice of the instance's own request."""
    notice_id = int(ctx.params.get("notice_id") or 0)
    message = notices.email_message(ctx.request_id, notice_id)
    if message is None:
        return {"sent": False}
    _send(message)
    notices.mark_emailed(notice_id)
    return {"sent": True, "to": message["To"]}


def _send(message: EmailMessage) -> None:
    url = current().smtp_url
    if not url:
        raise RuntimeError("未配置邮件服务器 GONGKAI_SMTP_URL (no mail server configured)")
    parts = urlsplit(url)
    tls = parts.scheme == "smtps"
    client = (smtplib.SMTP_SSL if tls else smtplib.SMTP)(parts.hostname, parts.port or (465 if tls else 25), timeout=30)
    with client:
        if parse_qs(parts.query).get("starttls") == ["1"]:
            client.starttls()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
