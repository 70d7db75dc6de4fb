"""Notices during a request (补正, 延期答复, 收费, 第三方征求意见): letters like the reply, each stored,
downloadable as .docx, e-mailed by a worker where staff choose, and with its delivery recorded.

A notice is written in the same transaction as the step that decides it, in the agency's name
(`records.agency_name`); its delivery date can be neither before the request was received nor in
the future. A fee notice's 20 working days run from the day after the applicant receives it, so
recording its delivery fixes the payment deadline.
"""

from datetime import date

from sqlalchemy import select

from engine import audit, delivery, queue
from engine.config import current
from engine.db import after_commit, reading, transaction
from engine.errors import Conflict, Forbidden, Invalid, NotFound
from engine.models import InformationRequest, RequestNotice
from engine.requests import deadlines, fees, letters, records

KINDS = {"correction": "补正告知书", "extension": "延期答复告知书", "fee": "收费通知书",
         "third_party": "第三方征求意见书", "reasons": "说明理由通知书", "disclosure_decision": "决定公开告知书"}
ANSWER_NAMES = {"agree": "同意公开", "object": "有合理理由不同意公开", "object_unreasonable": "不同意公开但理由不成立",
                "silent": "逾期未提出意见"}
REASONS_DAYS = (1, 15)  # the period the agency gives for reasons (Art. 35 leaves it to the agency)


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
        return for_request(s, records.get_for(s, actor, request_id))


def for_request(session, req) -> list[dict]:
    rows = session.scalars(select(RequestNotice).where(RequestNotice.request_id == req.id).order_by(RequestNotice.id))
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
        method, on = delivery.check_method(body.get("delivery_method")), check_delivery_date(req, body.get("delivered_on"))
        notice.delivery_method, notice.delivered_by = method, actor.username
        _delivered(req, notice, on)
        audit.record(s, "notice_delivered", actor=actor, request_id=req.id, instance_id=req.instance_id,
                     notice_id=notice.id, delivered_on=on.isoformat(), method=method)
        return _view(notice)


def _delivered(req, notice, on: date) -> None:
    notice.delivered_on = on
    if notice.kind == "fee":
        # 国办函〔2020〕109号: 20 working days counted from the day after the applicant receives it.
        req.fee = {**(req.fee or {}), "pay_by": deadlines.add(on, fees.PAYMENT_DAYS).isoformat(),
                   "notice_received_on": on.isoformat()}


def check_delivery_date(req, value, field="delivered_on") -> date:
    """A delivery day is a real date, not before the request was received and not in the future."""
    return delivery.check_date(value, req.receipt_on, "不能早于收到申请之日 (not before the request was received)", field)


def ask_reasons(actor, request_id: int, body: dict) -> dict:
    """Art. 35: ask an applicant whose requests look excessive for reasons, within a period."""
    days = body.get("period_days")
    if isinstance(days, bool) or not isinstance(days, int) or not REASONS_DAYS[0] <= days <= REASONS_DAYS[1]:
        raise Invalid("请给出说明理由的期限", fields={"period_days": [f"{REASONS_DAYS[0]}–{REASONS_DAYS[1]} 个工作日"]})
    with transaction() as s:
        req = records.get_for(s, actor, request_id)
        if req.status in ("replied", "closed", "withdrawn"):
            raise Invalid("该申请已办结 (the request is closed)")
        today = records.today()
        due = deadlines.add(today, days)
        text = letters.reasons_notice(req, records.agency_name(s, req), due, today)
        notice = issue(s, req, "reasons", text, recipient=req.applicant_name, by=actor, data={"due_on": due.isoformat()})
        return _view(notice)


def record_answer(actor, request_id: int, notice_id: int, body: dict) -> dict:
    """The applicant's reasons arrived: note the day, the reasons and whether they are reasonable."""
    with transaction() as s:
        req = records.get_for(s, actor, request_id)
        notice = _get(s, req, notice_id)
        if notice.kind != "reasons":
            raise Invalid("只有说明理由通知书可以登记答复 (only a request for reasons is answered)")
        on = check_delivery_date(req, body.get("answered_on"), field="answered_on")
        if not isinstance(body.get("reasonable"), bool) or not str(body.get("reasons") or "").strip():
            raise Invalid("请填写申请人说明的理由并判断是否合理",
                          fields={"reasons": ["required"], "reasonable": ["true or false"]})
        notice.data = {**notice.data, "answered_on": on.isoformat(), "reasons": str(body["reasons"]).strip()[:4000],
                       "reasonable": body["reasonable"]}
        audit.record(s, "reasons_answered", actor=actor, request_id=req.id, instance_id=req.instance_id,
                     notice_id=notice.id, reasonable=body["reasonable"])
        return _view(notice)


def reasons_result(session, req) -> str:
    """How the Art. 35 request for reasons ended, for a 不予处理 reply; refused if it has not ended
    that way (never asked, still waiting, or the reasons were reasonable)."""
    asked = session.scalar(select(RequestNotice).where(RequestNotice.request_id == req.id, RequestNotice.kind == "reasons")
                           .order_by(RequestNotice.id.desc()).limit(1))
    field = {"not_processed_reason": ["第三十五条：须先要求申请人说明理由 (ask for reasons first)"]}
    if asked is None:
        raise Invalid("以数量、频次明显超过合理范围不予处理前，须先要求申请人说明理由（第三十五条）", fields=field)
    if asked.data.get("reasonable") is True:
        raise Invalid("申请人说明的理由合理，不能不予处理；无法按期答复的，可确定延迟答复的合理期限", fields=field)
    if asked.data.get("reasonable") is False:
        return "您所说明的理由不合理"
    if date.fromisoformat(asked.data["due_on"]) >= records.today():
        raise Invalid(f"说明理由的期限至{asked.data['due_on']}，期满前不能不予处理", fields=field)
    return "您未在规定期限内说明理由"


def latest_consultation(session, req) -> RequestNotice | None:
    return session.scalar(select(RequestNotice).where(RequestNotice.request_id == req.id,
                                                      RequestNotice.kind == "third_party")
                          .order_by(RequestNotice.id.desc()).limit(1))


def record_consultation_answer(session, req, answer: str) -> None:
    """Note the consulted party's answer on its 征求意见书. Silence means different things: a
    co-producing agency that does not answer is deemed to agree (Art. 34); a third party's silence
    leaves the decision to this agency (Art. 32)."""
    notice = latest_consultation(session, req)
    if notice is None or notice.data.get("answer"):
        return
    deemed = ("agree" if notice.data.get("party") == "co_producer" else None) if answer == "silent" else answer
    notice.data = {**notice.data, "answer": answer, "effective": deemed, "answered_on": records.today().isoformat()}


def consultations(session, req) -> list[dict]:
    rows = session.scalars(select(RequestNotice).where(RequestNotice.request_id == req.id,
                                                       RequestNotice.kind == "third_party").order_by(RequestNotice.id))
    return [{"notice_id": n.id, "party": n.data.get("party"), "recipient": n.recipient, "due_on": n.data.get("due_on"),
             "answer": n.data.get("answer"), "answer_name": ANSWER_NAMES.get(n.data.get("answer") or ""),
             "effective": n.data.get("effective")} for n in rows]


def check_disclosure_over_objection(session, req, outcome: str, reason_text, by) -> None:
    """Art. 32: disclosing over a third party's reasonable objection needs the public-interest reason,
    and the third party is told in writing what is disclosed and why."""
    notice = latest_consultation(session, req)
    objected = notice is not None and notice.data.get("party") != "co_producer" and notice.data.get("answer") == "object"
    if not objected or outcome not in ("disclosed", "partially_disclosed"):
        return
    reason = str(reason_text or "").strip()
    if not reason:
        raise Invalid("第三方有合理理由不同意公开，决定公开须说明不公开可能对公共利益造成重大影响的理由（第三十二条）",
                      fields={"public_interest_reason": ["required"]})
    today = records.today()
    text = letters.disclosure_decision_notice(req, notice.recipient, records.agency_name(session, req), reason, today)
    issue(session, req, "disclosure_decision", text, recipient=notice.recipient, by=by, data={"reason": reason})


EMAIL_JOB = "workers.jobs.email_notice"


def send_by_email(actor, request_id: int, notice_id: int, body: dict) -> dict:
    """Have a worker e-mail the notice (.docx attached); the day it is sent is its delivery day."""
    to = str(body.get("email_to") or "").strip()
    if not records.EMAIL.fullmatch(to):
        raise Invalid("请填写收件人的电子邮件地址", fields={"email_to": ["请填写有效的电子邮件地址 (a valid e-mail address)"]})
    if not current().smtp_url:
        raise Invalid("本系统未配置邮件服务器，请选择其他送达方式 (no mail server configured)",
                      fields={"email_to": ["未配置邮件服务器 (no mail server)"]})
    with transaction() as s:
        req = records.get_for(s, actor, request_id)
        if not (actor.has_role("publisher") or actor.is_admin):
            raise Forbidden("只有公开专员可以送达告知书 (only publishers deliver notices)")
        notice = _get(s, req, notice_id)
        if notice.delivered_on is not None:
            raise Conflict("该告知书已送达 (already delivered)")
        notice.delivery_method, notice.delivered_by = "email", actor.username
        notice.data = {**notice.data, "email_to": to}
        after_commit(s, lambda: queue.queue().enqueue(EMAIL_JOB, notice_id, job_id=f"notice-email-{notice_id}"))
        return _view(notice)


def email_message(notice_id: int):
    """The notice as an e-mail with its Word file, for the worker; None when it was delivered meanwhile."""
    with reading() as s:
        notice = s.get(RequestNotice, notice_id)
        if notice is None or notice.delivered_on is not None:
            return None
        req = s.get(InformationRequest, notice.request_id)
        return letters.as_email(f"{KINDS[notice.kind]}（{req.request_no}）", notice.data["email_to"], notice.text,
                                f"{req.request_no}-{KINDS[notice.kind]}.docx")


def mark_emailed(notice_id: int) -> None:
    with transaction() as s:
        notice = s.get(RequestNotice, notice_id)
        if notice.delivered_on is None:
            _delivered(s.get(InformationRequest, notice.request_id), notice, records.today())
        audit.record(s, "notice_emailed", actor="worker", request_id=notice.request_id, notice_id=notice.id,
                     to=notice.data.get("email_to"))
