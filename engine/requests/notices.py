"""Notices during a request (补正, 延期答复, 收费, 第三方征求意见, 说明理由, 延迟答复): letters like the
reply, each stored, downloadable as .docx, e-mailed by a worker where staff choose, and with its
delivery recorded.

A notice is written in the same transaction as the step that decides it, in the agency's name
(`agencies.name_for_request`); its delivery date can be neither before the request was received nor in
the future. A fee notice's 20 working days run from the day after the applicant receives it, so
recording its delivery fixes the payment deadline, and the waiting process's timer with it.
An e-mail goes through the outbox like a service task: retried, and after the last try an incident
on the request's instance that an admin retries; the notice stays undelivered until it is sent.
"""

from datetime import date

from sqlalchemy import select

from engine import access, agencies, agency_settings, audit, calendar, clock, delivery
from engine.config import current
from engine.db import reading, transaction
from engine.errors import Conflict, Invalid, NotFound
from engine.models import InformationRequest, Outbox, RequestNotice
from engine.requests import deadlines, fees, letters, pauses, replies
from engine.workflow import service_tasks

KINDS = {"correction": "补正告知书", "extension": "延期答复告知书", "fee": "收费通知书",
         "third_party": "第三方征求意见书", "reasons": "说明理由通知书", "disclosure_decision": "决定公开告知书",
         "delayed_reply": "延迟答复告知书", "split": "分件处理告知书"}
ANSWER_NAMES = {"agree": "同意公开", "object": "有合理理由不同意公开", "object_unreasonable": "不同意公开但理由不成立",
                "silent": "逾期未提出意见"}
REASONS_DAYS = (1, 15)  # the period the agency gives for reasons (Art. 35 leaves it to the agency)
ENDED = ("replied", "closed", "withdrawn")  # a request in these states takes no more notices


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
            "created_at": n.created_at, "created_by": n.created_by, "delivery_method": n.delivery_method,
            "delivered_on": n.delivered_on,
            "docx_url": f"/api/requests/{n.request_id}/notices/{n.id}.docx"}


def list_for(actor, request_id: int) -> list[dict]:
    with reading() as s:
        return for_request(s, access.request_for(s, actor, request_id))


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
        req = access.request_for(s, actor, request_id)
        notice = _get(s, req, notice_id)
        return f"{req.request_no}-{KINDS[notice.kind]}-{notice.id}.docx", letters.to_docx(notice.text,
                                                                                         **replies.layout(s, req))


def record_delivery(actor, request_id: int, notice_id: int, body: dict) -> dict:
    """Record how and when a notice reached its recipient (staff who may act on the request)."""
    with transaction() as s:
        req = access.request_for(s, actor, request_id)
        access.require(access.may_handle_requests(actor), "只有公开专员可以登记送达 (only publishers record deliveries)")
        notice = _get(s, req, notice_id)
        method, on = delivery.check_method(body.get("delivery_method")), check_delivery_date(req, body.get("delivered_on"))
        notice.delivery_method, notice.delivered_by = method, actor.username
        _delivered(s, req, notice, on)
        audit.record(s, "notice_delivered", actor=actor, request_id=req.id, instance_id=req.instance_id,
                     notice_id=notice.id, delivered_on=on.isoformat(), method=method)
        return _view(notice)


def _delivered(session, req, notice, on: date) -> None:
    notice.delivered_on = on
    if notice.kind == "third_party":
        # Art. 32/34: 15 working days from the day the consulted party receives the letter.
        notice.data = {**notice.data, "due_on": deadlines.consultation_due(on).isoformat(), "due_provisional": False,
                       "received_on": on.isoformat()}
        latest = latest_consultation(session, req)
        if latest is not None and latest.id == notice.id and not notice.data.get("answer") and any(
                p.reason == "consultation" and p.ended_on is None for p in pauses.of(session, req)):
            pauses.follow_process(session, req)
    if notice.kind == "fee":
        # 国办函〔2020〕109号: 20 working days counted from the day after the applicant receives it;
        # the provisional deadline set with the notice gives way, and the process's timer follows.
        req.fee = {**(req.fee or {}), "pay_by": fees.pay_by(on).isoformat(), "pay_by_provisional": False,
                   "notice_received_on": on.isoformat()}
        if any(p.reason == "fee" and p.ended_on is None for p in pauses.of(session, req)):
            pauses.follow_process(session, req)


def check_delivery_date(req, value, field="delivered_on") -> date:
    """A delivery day is a real date, not before the request was received and not in the future."""
    return delivery.check_date(value, req.receipt_on, "不能早于收到申请之日 (not before the request was received)", field)


def ask_reasons(actor, request_id: int, body: dict) -> dict:
    """Art. 35: ask an applicant whose requests look excessive for reasons, within a period."""
    days = body.get("period_days")
    if isinstance(days, bool) or not isinstance(days, int) or not REASONS_DAYS[0] <= days <= REASONS_DAYS[1]:
        raise Invalid("请给出说明理由的期限", fields={"period_days": [f"{REASONS_DAYS[0]}–{REASONS_DAYS[1]} 个工作日"]})
    with transaction() as s:
        req = access.request_for(s, actor, request_id)
        access.require(access.may_handle_requests(actor), "只有公开专员可以要求申请人说明理由 (only publishers ask for reasons)")
        if req.status in ENDED:
            raise Invalid("该申请已办结 (the request is closed)")
        waiting = _latest_reasons(s, req)
        if waiting is not None and "answered_on" not in waiting.data:
            raise Conflict(f"已要求申请人说明理由（期限至{waiting.data.get('due_on')}），请先登记其答复 "
                           "(reasons were asked for and are awaited)")
        today = clock.today()
        due = deadlines.add(today, days)
        text = letters.reasons_notice(req, agencies.name_for_request(s, req), due, today)
        notice = issue(s, req, "reasons", text, recipient=req.applicant_name, by=actor, data={"due_on": due.isoformat()})
        return _view(notice)


def record_answer(actor, request_id: int, notice_id: int, body: dict) -> dict:
    """The applicant's reasons arrived: note the day, the reasons and whether they are reasonable."""
    with transaction() as s:
        req = access.request_for(s, actor, request_id)
        access.require(access.may_handle_requests(actor), "只有公开专员可以登记申请人说明的理由 (only publishers record the reasons)")
        if req.status in ENDED:
            raise Invalid("该申请已办结 (the request is closed)")
        notice = _get(s, req, notice_id)
        if notice.kind != "reasons":
            raise Invalid("只有说明理由通知书可以登记答复 (only a request for reasons is answered)")
        if req.delay_days:  # the delayed reply stands on the answer as recorded
            raise Conflict("已据此确定延迟答复期限，不能再更改答复 (a delayed reply was set on this answer)")
        on = check_delivery_date(req, body.get("answered_on"), field="answered_on")
        if on < calendar.as_date(notice.created_at):
            raise Invalid("日期有误", fields={"answered_on": ["不能早于发出说明理由通知书之日 (not before the notice was issued)"]})
        fields = {}
        if not str(body.get("reasons") or "").strip():
            fields["reasons"] = ["请填写申请人说明的理由 (required)"]
        if not isinstance(body.get("reasonable"), bool):
            fields["reasonable"] = ["请判断理由是否合理 (true or false)"]
        if fields:
            raise Invalid("请填写申请人说明的理由并判断是否合理", fields=fields)
        notice.data = {**notice.data, "answered_on": on.isoformat(), "reasons": str(body["reasons"]).strip()[:4000],
                       "reasonable": body["reasonable"]}
        audit.record(s, "reasons_answered", actor=actor, request_id=req.id, instance_id=req.instance_id,
                     notice_id=notice.id, reasonable=body["reasonable"])
        return _view(notice)


def delay_reply(actor, request_id: int, body: dict) -> dict:
    """Art. 35: the applicant's reasons are reasonable but the reply cannot come in time — set the
    day the agency will reply by (`reply_by`) and tell the applicant (延迟答复告知书). Once, after
    reasons answered as reasonable, to a working day after the current deadline and within the
    agency's bound (`delayed_reply_max_days`). The deadline, the step due dates and the reminder
    and escalation timers move the way an extension moves them (`pauses.follow_process`)."""
    reply_by = calendar.parse_day(body.get("reply_by"), "reply_by", required=True)
    with transaction() as s:
        req = access.request_for(s, actor, request_id, lock=True)
        access.require(access.may_handle_requests(actor), "只有公开专员可以确定延迟答复期限 (only publishers set a delayed reply)")
        if req.status in ENDED:
            raise Invalid("该申请已办结 (the request is closed)")
        asked = _latest_reasons(s, req)
        if asked is None or asked.data.get("reasonable") is not True:
            raise Invalid("须先要求申请人说明理由，且理由经认定合理，才能确定延迟答复期限（第三十五条）",
                          fields={"reply_by": ["reasons not answered as reasonable"]})
        due_on = pauses.clock_of(s, req).due_on
        req.delay_days = deadlines.check_delay(due_on, reply_by, agency_settings.load(s)["delayed_reply_max_days"],
                                               req.delay_days or 0)
        today = clock.today()
        text = letters.delayed_reply_notice(req, calendar.parse_day(asked.data["answered_on"], "answered_on"), reply_by,
                                            agencies.name_for_request(s, req), today)
        notice = issue(s, req, "delayed_reply", text, recipient=req.applicant_name, by=actor,
                       data={"reply_by": reply_by.isoformat(), "days": req.delay_days, "previous_due_on": due_on.isoformat(),
                             "reasons_notice_id": asked.id})
        audit.record(s, "reply_delayed", actor=actor, request_id=req.id, instance_id=req.instance_id,
                     notice_id=notice.id, reply_by=reply_by.isoformat(), previous_due_on=due_on.isoformat())
        pauses.follow_process(s, req)
        return _view(notice)


def _may_act(actor, req) -> bool:
    return access.may_handle_requests(actor) and req.status not in ENDED


def reasons_options(session, actor, req) -> dict | None:
    """For the request page: whether `actor` may ask for reasons now (`ask`, with the allowed period
    in working days) and which request for reasons still awaits the applicant's answer (`open`)."""
    if not _may_act(actor, req):
        return None
    asked = _latest_reasons(session, req)
    waiting = asked is not None and "answered_on" not in asked.data
    today = clock.today()
    lapsed = waiting and asked.data.get("due_on", "") < today.isoformat()  # the stored day is ISO text
    return {"ask": not waiting, "min_days": REASONS_DAYS[0], "max_days": REASONS_DAYS[1],
            "open": {"id": asked.id, "due_on": asked.data.get("due_on"), "earliest": req.receipt_on,
                     "latest": today, "lapsed": lapsed}
            if waiting else None,
            "answered": {"on": asked.data["answered_on"], "reasonable": asked.data.get("reasonable")}
            if asked is not None and not waiting else None}


def delay_options(session, actor, req, due_on) -> dict | None:
    """For the request page: whether `actor` may set a 延迟答复 now, and the latest day it may name."""
    if not _may_act(actor, req) or req.delay_days or due_on is None:
        return None  # decided without a query: most callers of the page stop here
    asked = _latest_reasons(session, req)
    if asked is None or asked.data.get("reasonable") is not True:
        return None
    latest = deadlines.add(due_on, agency_settings.load(session)["delayed_reply_max_days"])
    return {"after": due_on, "earliest": deadlines.add(due_on, 1), "latest": latest}


def _latest_reasons(session, req) -> RequestNotice | None:
    return session.scalar(select(RequestNotice).where(RequestNotice.request_id == req.id, RequestNotice.kind == "reasons")
                          .order_by(RequestNotice.id.desc()).limit(1))


def reasons_result(session, req) -> str:
    """How the Art. 35 request for reasons ended, for a 不予处理 reply; refused if it has not ended
    that way (never asked, still waiting, or the reasons were reasonable)."""
    asked = _latest_reasons(session, req)
    field = {"not_processed_reason": ["第三十五条：须先要求申请人说明理由 (ask for reasons first)"]}
    if asked is None:
        raise Invalid("以数量、频次明显超过合理范围不予处理前，须先要求申请人说明理由（第三十五条）", fields=field)
    if asked.data.get("reasonable") is True:
        raise Invalid("申请人说明的理由合理，不能不予处理；无法按期答复的，可确定延迟答复的合理期限", fields=field)
    if asked.data.get("reasonable") is False:
        return "您所说明的理由不合理"
    if calendar.parse_day(asked.data["due_on"], "due_on") >= clock.today():
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
    notice.data = {**notice.data, "answer": answer, "effective": deemed, "answered_on": clock.today().isoformat()}


def consultations(session, req) -> list[dict]:
    rows = session.scalars(select(RequestNotice).where(RequestNotice.request_id == req.id,
                                                       RequestNotice.kind == "third_party").order_by(RequestNotice.id))
    return [{"notice_id": n.id, "party": n.data.get("party"), "recipient": n.recipient, "due_on": n.data.get("due_on"),
             "answer": n.data.get("answer"), "answer_name": ANSWER_NAMES.get(n.data.get("answer") or ""),
             "effective": n.data.get("effective"), "due_provisional": bool(n.data.get("due_provisional")),
             "delivered_on": n.delivered_on} for n in rows]


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
    today = clock.today()
    text = letters.disclosure_decision_notice(req, notice.recipient, agencies.name_for_request(session, req), reason, today)
    issue(session, req, "disclosure_decision", text, recipient=notice.recipient, by=by, data={"reason": reason})


EMAIL_OPERATION = "email_notice"


def send_by_email(actor, request_id: int, notice_id: int, body: dict) -> dict:
    """Have a worker e-mail the notice (.docx attached); the day it is sent is its delivery day."""
    to = str(body.get("email_to") or "").strip()
    if not delivery.EMAIL.fullmatch(to):
        raise Invalid("请填写收件人的电子邮件地址", fields={"email_to": ["请填写有效的电子邮件地址 (a valid e-mail address)"]})
    if not current().smtp_url:
        raise Invalid("本系统未配置邮件服务器，请选择其他送达方式 (no mail server configured)",
                      fields={"email_to": ["未配置邮件服务器 (no mail server)"]})
    with transaction() as s:
        req = access.request_for(s, actor, request_id)
        access.require(access.may_handle_requests(actor), "只有公开专员可以送达告知书 (only publishers deliver notices)")
        notice = _get(s, req, notice_id)
        if notice.delivered_on is not None:
            raise Conflict("该告知书已送达 (already delivered)")
        key = f"notice-email-{notice.id}"
        if s.scalar(select(Outbox.id).where(Outbox.instance_id == req.instance_id,
                                            Outbox.task_guid == service_tasks.JOB_PREFIX + key)):
            raise Conflict("该告知书已交由系统发送；发送失败的，由管理员在事件中重试 (already being e-mailed)")
        notice.delivery_method, notice.delivered_by = "email", actor.username
        notice.data = {**notice.data, "email_to": to}
        service_tasks.add_job(s, req.instance_id, EMAIL_OPERATION, {"notice_id": notice.id, "email_to": to,
                                                                    "notice_name": KINDS[notice.kind]}, key)
        return _view(notice)


def email_message(request_id: int, notice_id: int):
    """The notice as an e-mail with its Word file, for the worker; None when it was delivered meanwhile."""
    with reading() as s:
        notice = s.get(RequestNotice, notice_id)
        if notice is None or notice.request_id != request_id:
            raise NotFound("告知书不存在 (no such notice)")
        if notice.delivered_on is not None:
            return None
        req = s.get(InformationRequest, notice.request_id)
        return letters.as_email(f"{KINDS[notice.kind]}（{req.request_no}）", notice.data["email_to"], notice.text,
                                f"{req.request_no}-{KINDS[notice.kind]}.docx", layout=replies.layout(s, req))


def mark_emailed(notice_id: int) -> None:
    with transaction() as s:
        notice = s.get(RequestNotice, notice_id)
        if notice.delivered_on is None:
            _delivered(s, s.get(InformationRequest, notice.request_id), notice, clock.today())
        audit.record(s, "notice_emailed", actor="worker", request_id=notice.request_id, notice_id=notice.id,
                     to=notice.data.get("email_to"))
