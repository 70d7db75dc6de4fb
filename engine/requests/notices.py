"""Notices during a request (补正, 延期答复, 收费, 第三方征求意见): letters like the reply, each stored,
downloadable as .docx and with its delivery recorded.

A notice is written in the same transaction as the step that decides it, in the agency's name
(`records.agency_name`); its delivery date can be neither before the request was received nor in
the future. A fee notice's 20 working days run from the day after the applicant receives it, so
recording its delivery fixes the payment deadline.
"""

from datetime import date

from sqlalchemy import select

from engine import audit
from engine.db import reading, transaction
from engine.errors import Forbidden, Invalid, NotFound
from engine.models import RequestNotice
from engine.requests import deadlines, fees, letters, records

KINDS = {"correction": "补正告知书", "extension": "延期答复告知书", "fee": "收费通知书",
         "third_party": "第三方征求意见书"}
METHODS = ("post", "email", "in_person", "fax")


def issue(session, req, kind: str, text: str, *, recipient: str, by, data: dict | None = None) -> RequestNotice:
    """Store a notice for `req` and note it in the history; returns the row."""
    notice = RequestNotice(request_id=req.id, kind=kind, recipient=recipient[:200], text=text, data=data or {},
                           created_by=getattr(by, "username", None) or str(by))
    session.add(notice)
    session.flush()
    audit.record(session, "notice_sent", actor=by, request_id=req.id, instance_id=req.instance_id, kind=kind,
                 notice_id=notice.id, text=text)
    return notice


def _view(n: RequestNotice) -> dict:
    return {"id": n.id, "kind": n.kind, "kind_name": KINDS[n.kind], "recipient": n.recipient, "text": n.text,
            "created_at": n.created_at.isoformat(), "created_by": n.created_by, "delivery_method": n.delivery_method,
            "delivered_on": n.delivered_on.isoformat() if n.delivered_on else None,
            "docx_url": f"/api/requests/{n.request_id}/notices/{n.id}.docx"}


def list_for(actor, request_id: int) -> list[dict]:
    with reading() as s:
        req = records.get_for(s, actor, request_id)
        rows = s.scalars(select(RequestNotice).where(RequestNotice.request_id == req.id).order_by(RequestNotice.id))
        return [_view(n) for n in rows]


def _get(session, req, notice_id) -> RequestNotice:
    notice = session.get(RequestNotice, notice_id)
    if notice is None or notice.request_id != req.id:
        raise NotFound("告知书不存在 (no such notice)")
    return notice


def docx(actor, request_id: int, notice_id: int) -> tuple[str, bytes]:
    with reading() as s:
        req = records.get_for(s, actor, request_id)
        notice = _get(s, req, notice_id)
        return f"{req.request_no}-{KINDS[notice.kind]}-{notice.id}.docx", letters.to_docx(notice.text)


def record_delivery(actor, request_id: int, notice_id: int, body: dict) -> dict:
    """Record how and when a notice reached its recipient (staff who may act on the request)."""
    with transaction() as s:
        req = records.get_for(s, actor, request_id)
        if not (actor.has_role("publisher") or actor.is_admin):
            raise Forbidden("只有公开专员可以登记送达 (only publishers record deliveries)")
        notice = _get(s, req, notice_id)
        method, on = body.get("delivery_method"), check_delivery_date(req, body.get("delivered_on"))
        if method not in METHODS:
            raise Invalid("请选择送达方式", fields={"delivery_method": [f"one of: {', '.join(METHODS)}"]})
        notice.delivery_method, notice.delivered_on, notice.delivered_by = method, on, actor.username
        if notice.kind == "fee":
            # 国办函〔2020〕109号: 20 working days counted from the day after the applicant receives it.
            req.fee = {**(req.fee or {}), "pay_by": deadlines.add(on, fees.PAYMENT_DAYS).isoformat(),
                       "notice_received_on": on.isoformat()}
        audit.record(s, "notice_delivered", actor=actor, request_id=req.id, instance_id=req.instance_id,
                     notice_id=notice.id, delivered_on=on.isoformat(), method=method)
        return _view(notice)


def check_delivery_date(req, value) -> date:
    """A delivery day is a real date, not before the request was received and not in the future."""
    try:
        on = date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        raise Invalid("送达日期有误", fields={"delivered_on": ["日期格式应为 YYYY-MM-DD (date as YYYY-MM-DD)"]}) from None
    if on > records.today():
        raise Invalid("送达日期有误", fields={"delivered_on": ["不能晚于今天 (not in the future)"]})
    if on < req.receipt_on:
        raise Invalid("送达日期有误", fields={"delivered_on": ["不能早于收到申请之日 (not before the request was received)"]})
    return on
