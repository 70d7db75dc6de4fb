"""Hooks binding the BPMN process `information_request` to requests.

Before a task completes its domain effect is written in the same transaction: a correction notice
opens a pause, a consultation opens another, the leader's approval extends the period, the draft
renders the reply letter, the signature and the delivery are recorded. After every transition the
request's status, the reply deadline (pushed into the task data so timers and due dates follow it),
the handling department and any pause whose step is over are brought in line with the process.
"""


from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

from engine import access, agencies, agency_settings, audit, calendar, clock, delivery, sealed, users
from engine.config import current
from engine.errors import Invalid, NotFound
from engine.models import HumanTask, InformationRequest
from engine.requests import (
    CORRECTION_RESULTS,
    PROCESS_KEY,
    REASONS_BY_OUTCOME,
    catalogue_check,
    deadlines,
    fees,
    letters,
    notices,
    pauses,
    replies,
)
from engine.workflow import hooks, timers
from engine.workflow.projection import parse_when

STATUS_BY_STEP = (  # first match wins: what the request is waiting for
    ("await_correction", "awaiting_correction"), ("consult_third_party", "consulting"),
    ("approve_extension", "extension_review"), ("fee_pending", "fee_pending"), ("deidentify_reply", "deidentifying"),
    ("secrecy_review_reply", "secrecy_review"), ("leader_signoff", "awaiting_signoff"), ("deliver_reply", "delivering"),
    ("email_reply", "delivering"),
    ("draft_reply", "drafting"), ("handle", "handling"), ("review_request", "reviewing"),
)
END_STATUS = {"end_replied": "replied", "end_closed": "closed"}
CONSULTED_PARTIES = {"third_party": "第三方（第三十二条）", "co_producer": "共同制作机关（第三十四条）"}
HANDLER_STEPS = {"handle", "consult_third_party", "draft_reply"}
PAUSE_STEPS = {"correction": "await_correction", "consultation": "consult_third_party", "fee": "fee_pending"}


@hooks.before_complete(PROCESS_KEY)
def before_complete(c: hooks.Completion) -> None:
    req = c.session.get(InformationRequest, c.instance.request_id)
    step = STEPS.get(c.human_task.bpmn_id)
    if step is not None:
        step(c, req)
    req.updated_at = clock.now()


def _actor_name(c):
    return getattr(c.actor, "username", None) or "申请人"


@hooks.after_cancel(PROCESS_KEY)
def withdraw(session, row, reason) -> None:
    # Ended without a reply (the applicant withdrew, a duplicate filing): the annual report counts it
    # under 其他处理 / 其他 in the year it ended, so its new/closed/carried-over identity still holds.
    req = session.get(InformationRequest, row.request_id)
    if req is not None and req.status not in ("replied", "closed"):
        req.status, req.outcome, req.outcome_reason = "withdrawn", "other", "other"
        req.closed_on = clock.today()


def _review(c, req):
    decision = c.data.get("decision")
    c.data["review_decision"] = decision
    if decision == "accept":
        req.department_id = users.department_id_for(c.session, c.data.get("department")) or req.intake_department_id
    elif decision == "correction":
        _ask_correction(c, req)
    elif decision == "not_request":
        reason = c.data.get("not_processed_reason")
        if not reason:
            raise Invalid("请选择不予处理理由 (choose the reason)", fields={"not_processed_reason": ["required"]})
        replies.write_letter(c.session, req, "not_processed", reason, _actor_name(c), explanation=c.data.get("opinion"),
                             facts=_facts(c.session, req, "not_processed", reason, c.data))
        c.data.update(outcome="not_processed", outcome_reason=reason)


def _ask_correction(c, req):
    """Art. 30: one notice listing every item, within 7 working days of receipt; never a second one."""
    if any(p.reason == "correction" for p in pauses.of(c.session, req)):
        raise Invalid("补正事项应一次性告知，不能再次要求补正；补正后仍不明确的，请以“补正后申请内容仍不明确”答复",
                      fields={"decision": ["correction already requested once"]})
    today = clock.today()
    deadlines.check_correction_request(req.receipt_on, today)
    items = [line.strip() for line in str(c.data.get("correction_items") or "").splitlines() if line.strip()]
    if not items:
        raise Invalid("请列明补正事项 (list what to correct)", fields={"correction_items": ["required"]})
    due = deadlines.add(today, agency_settings.load(c.session)["correction_period_days"])
    pauses.open_pause(c.session, req, "correction", today)
    req.correction_items, req.correction_due_on = items, due
    c.data["correction_due_on"] = due.isoformat()
    notices.issue(c.session, req, "correction", recipient=req.applicant_name, by=c.actor, data={"due_on": due.isoformat()},
                  text=letters.correction_notice(req, items, due, agencies.name_for_request(c.session, req), today))


def _correction_received(c, req):
    """The corrected request arrived: the reply period starts again from that day."""
    errors = {}
    received = calendar.parse_day(c.data.get("received_on"), "received_on", errors, required=True)
    pause = next((p for p in pauses.of(c.session, req) if p.reason == "correction" and p.ended_on is None), None)
    if received and pause and not pause.started_on <= received <= clock.today():
        errors["received_on"] = ["应在告知补正之日与今天之间 (between the notice and today)"]
    if errors:
        raise Invalid("补正信息有误 (invalid correction)", fields=errors)
    audit.record(c.session, "correction_received", actor=_actor_name(c), request_id=req.id,
                 instance_id=req.instance_id, received_on=received.isoformat(), original=req.description)
    req.description = str(c.data.get("description") or req.description).strip()
    pauses.close_pause(c.session, req, "correction", received)
    reply_clock = pauses.refresh_clock(c.session, req)
    c.data["due_on"] = reply_clock.due_on.isoformat()


def _handle(c, req):
    decision, today = c.data.get("decision"), clock.today()
    if decision == "consult":
        # Art. 32 (a third party) and Art. 34 (another agency that co-produced the information):
        # either has 15 working days from receiving the letter, and Art. 33 leaves the time spent out
        # of the deadline (pause). Until its delivery is recorded the end is provisional
        # (`notices._delivered` fixes it, and the waiting timer follows).
        party = CONSULTED_PARTIES.get(c.data.get("consulted_party"), CONSULTED_PARTIES["third_party"])
        pauses.open_pause(c.session, req, "consultation", today, note=f"{party}：{c.data.get('third_party')}")
        due = deadlines.provisional_after_delivery(today, deadlines.CONSULTATION_DAYS)
        c.data["consultation_due_on"] = due.isoformat()
        _consultation_notice(c, req, due, today)
    elif decision == "extend":
        deadlines.check_extension(int(c.data.get("extension_days") or 0), req.extension_days or 0)
        _check_not_overdue(req, today)
        # The handler's reason goes to the leader and, once approved, into the 延期答复告知书.
        reason = str(c.data.get("opinion") or "").strip()
        if not reason:
            raise Invalid("请写明需要延期答复的理由（将写入延期答复告知书）", fields={"opinion": ["required"]})
        c.data["extension_reason"] = reason[:500]
    elif decision == "fee":
        _charge(c, req, today)


def _consultation_notice(c, req, due, today):
    name = str(c.data.get("third_party") or "").strip()
    if not name:
        raise Invalid("请填写被征求意见的第三方或机关名称", fields={"third_party": ["required"]})
    co_producer = c.data.get("consulted_party") == "co_producer"
    text = letters.third_party_notice(req, name, agencies.name_for_request(c.session, req), today, co_producer)
    notices.issue(c.session, req, "third_party", text, recipient=name, by=c.actor,
                  data={"party": c.data.get("consulted_party") or "third_party", "due_on": due.isoformat(),
                        "due_provisional": True})


def _charge(c, req, today):
    """国办函〔2020〕109号: compute the fee, notify, and stop the clock until payment."""
    method = c.data.get("fee_method")
    if method == "per_page" and method not in fees.methods_for(req):
        raise Invalid(fees.PER_PAGE_REFUSED, fields={"fee_method": [fees.PER_PAGE_REFUSED]})
    fee = fees.compute(method, nth_in_month=_nth_in_month(c.session, req), pages=int(c.data.get("pages") or 0))
    due = fees.provisional_pay_by(today)  # until the notice's delivery is recorded (notices._delivered)
    req.fee = {**fee, "notice_on": today.isoformat(), "pay_by": due.isoformat(), "pay_by_provisional": True,
               "paid_on": None}
    pauses.open_pause(c.session, req, "fee", today, note=fee["basis"])
    c.data["fee_due_on"] = due.isoformat()
    text = letters.fee_notice(req, fee, agencies.name_for_request(c.session, req),
                              agency_settings.load(c.session)["fee_payment"], today)
    notices.issue(c.session, req, "fee", text, recipient=req.applicant_name, by=c.actor, data=fee)


def _nth_in_month(session, req) -> int:
    """Which of the applicant's requests to this agency in the calendar month this one is (109号第四条:
    counted per agency — another agency's requests are that agency's to count — and a request split
    by 一事一申请 counts as the pieces it became)."""
    first = req.receipt_on.replace(day=1)
    speakers = agencies.speakers(session, agencies.for_request(session, req)["department_id"])
    receiver = func.coalesce(InformationRequest.intake_department_id, InformationRequest.department_id)
    ids = session.scalars(select(InformationRequest.id).where(
        InformationRequest.applicant_id_number == req.applicant_id_number, receiver.in_(speakers),
        InformationRequest.kind != "correction",
        InformationRequest.receipt_on >= first, InformationRequest.receipt_on <= req.receipt_on)
        .order_by(InformationRequest.receipt_on, InformationRequest.id)).all()
    return ids.index(req.id) + 1 if req.id in ids else len(ids)


def _consulted(c, req):
    pauses.close_pause(c.session, req, "consultation", clock.today())
    notices.record_consultation_answer(c.session, req, c.data.get("third_party_answer") or "silent")
    audit.record(c.session, "third_party_answered", actor=c.actor, request_id=req.id, instance_id=req.instance_id,
                 answer=c.data.get("third_party_answer"), opinion=c.data.get("opinion"))


def _extension(c, req):
    if c.data.get("decision") != "approve":
        return
    days = int(c.spiff_task.data.get("extension_days") or 0)
    deadlines.check_extension(days, req.extension_days or 0)
    _check_not_overdue(req, clock.today())
    req.extension_days = days
    reply_clock = pauses.refresh_clock(c.session, req)
    reason = str(c.spiff_task.data.get("extension_reason") or c.spiff_task.data.get("opinion") or "").strip()
    notices.issue(c.session, req, "extension", recipient=req.applicant_name, by=c.actor,
                  data={"days": days, "due_on": reply_clock.due_on.isoformat(), "reason": reason},
                  text=letters.extension_notice(req, days, reply_clock.due_on, agencies.name_for_request(c.session, req),
                                                clock.today(), reason=reason))


def _check_not_overdue(req, today):
    # Art. 33(2): the period is extended before it runs out; afterwards the reply is simply late.
    if req.due_on is not None and today > req.due_on:
        raise Invalid(f"答复期限已于{req.due_on.isoformat()}届满，不能再延期 (the reply period has already ended)",
                      fields={"extension_days": ["the reply period has already ended"]})


def _fee_paid(c, req):
    errors = {}
    paid = calendar.parse_day(c.data.get("paid_on"), "paid_on", errors, required=True)
    if errors:
        raise Invalid("缴费日期有误", fields=errors)
    pauses.close_pause(c.session, req, "fee", paid)
    req.fee = {**(req.fee or {}), "paid_on": paid.isoformat()}


def _draft(c, req):
    if req.kind == "correction" or c.data.get("outcome") == "correction":
        return _draft_correction(c, req)
    outcome, data = c.data.get("outcome"), c.data
    reason = {"withheld": data.get("withheld_reason"), "not_processed": data.get("not_processed_reason"),
              "other": "other"}.get(outcome)
    if outcome in REASONS_BY_OUTCOME and reason not in REASONS_BY_OUTCOME[outcome]:
        raise Invalid("请选择理由 (choose the reason)", fields={f"{outcome}_reason": ["required"]})
    if outcome in ("partially_disclosed", "other") and not str(data.get("explanation") or "").strip():
        raise Invalid("请说明理由 (explain)", fields={"explanation": ["required"]})
    if outcome in ("disclosed", "partially_disclosed"):
        material = str(data.get("material") or "").strip() or _document_text(c, data.get("source_document_id"))
        if not material:
            raise Invalid("请填写提供的信息内容或引用目录中的文件", fields={"material": ["required"]})
        req.material_sha256, req.redacted_sha256 = sealed.put_text(c.session, material), None
        data.pop("material", None)  # texts live in files, never in task data
    notices.check_disclosure_over_objection(c.session, req, outcome, data.get("public_interest_reason"), c.actor)
    facts = _facts(c.session, req, outcome, reason, data)
    catalogue_check.check(c.session, req, outcome, facts, data.get("catalogue_override_reason"), c.actor)
    replies.write_letter(c.session, req, outcome, reason, _actor_name(c), location=data.get("location"),
                         explanation=data.get("explanation"), facts=facts)
    data.update(outcome=outcome, outcome_reason=reason)


def _draft_correction(c, req):
    """Art. 41: a correction request is answered corrected, not corrected, or referred to the agency
    that may correct it (named, with its contact); a disclosure reply does not fit it, nor it one."""
    data = c.data
    if req.kind != "correction" or data.get("outcome") != "correction":
        raise Invalid("更正申请须以“更正申请答复”答复，政府信息公开申请不能 (correction requests get a correction reply)",
                      fields={"outcome": ["does not match the kind of request"]})
    result = data.get("correction_result")
    if result not in CORRECTION_RESULTS:
        raise Invalid("请选择更正申请的处理结果", fields={"correction_result": list(CORRECTION_RESULTS)})
    facts = {}
    if result == "referred":
        facts = {k: str(data.get(k) or "").strip() for k in ("holder_agency", "holder_contact")}
        if not all(facts.values()):
            raise Invalid("请写明有权更正的行政机关及其联系方式",
                          fields={k: ["required"] for k, v in facts.items() if not v})
    replies.write_letter(c.session, req, "correction", result, _actor_name(c), explanation=data.get("explanation"),
                         facts=facts)
    data.update(outcome="correction", outcome_reason=result)


def _facts(session, req, outcome, reason, data) -> dict:
    """What the reply must state besides its outcome (Art. 36(1), 36(5), 35); refuse it missing."""
    if outcome == "already_public" and not str(data.get("location") or "").strip():
        raise Invalid("请写明获取该信息的方式和途径（第三十六条第（一）项）", fields={"location": ["required"]})
    facts = {}
    if outcome == "not_held" and str(data.get("holder_agency") or "").strip():
        contact = str(data.get("holder_contact") or "").strip()
        if not contact:
            raise Invalid("请写明负责公开该信息的机关的联系方式（第三十六条第（五）项）", fields={"holder_contact": ["required"]})
        facts.update(holder_agency=str(data["holder_agency"]).strip()[:200], holder_contact=contact[:300])
    if reason == "excessive":
        facts["reasons_result"] = notices.reasons_result(session, req)
    return facts


def _document_text(c, document_id) -> str:
    """The cited document's text, read on behalf of the drafter by the rule of its own page."""
    if not document_id:
        return ""
    try:
        doc = access.document_for(c.session, c.actor, document_id)
    except NotFound as exc:
        raise Invalid("不能引用此文件 (you may not cite this document)",
                      fields={"source_document_id": [exc.message]}) from exc
    return sealed.get_text(doc.original_sha256, c.session)


def _signoff(c, req):
    letter = replies.latest_letter(c.session, req)
    if c.data.get("decision") == "approve":
        letter.signed_by, letter.signed_at = c.actor.username, clock.now()


def _deliver(c, req):
    if c.data.get("delivery_method") == "send_email":
        return _deliver_by_email(c, req)
    errors = {}
    delivered = calendar.parse_day(c.data.get("delivered_on"), "delivered_on", errors, required=True)
    if delivered and delivered > clock.today():
        errors["delivered_on"] = ["不能晚于今天 (not in the future)"]
    elif delivered and delivered < req.receipt_on:
        errors["delivered_on"] = ["不能早于收到申请之日 (not before the request was received)"]
    if errors:
        raise Invalid("送达信息有误", fields=errors)
    replies.record_delivery(c.session, req, c.data.get("delivery_method"), c.actor.username,
                            c.data.get("delivery_note"), on=delivered)


EMAIL = delivery.EMAIL


def _deliver_by_email(c, req):
    # The worker sends it (email_reply) and records the day; a failed send becomes an incident.
    if not current().smtp_url:
        raise Invalid("本系统未配置邮件服务器，请选择其他送达方式 (no mail server configured)",
                      fields={"delivery_method": ["未配置邮件服务器 (no mail server)"]})
    to = str(c.data.get("email_to") or "").strip()
    if not EMAIL.fullmatch(to):
        raise Invalid("请填写申请人的电子邮件地址", fields={"email_to": ["请填写有效的电子邮件地址 (a valid e-mail address)"]})
    replies.record_delivery(c.session, req, "email", c.actor.username, f"由系统发送至 {to}")
    c.data["email_to"] = to


STEPS = {"review_request": _review, "await_correction": _correction_received, "handle": _handle,
         "consult_third_party": _consulted, "approve_extension": _extension, "fee_pending": _fee_paid,
         "draft_reply": _draft, "leader_signoff": _signoff, "deliver_reply": _deliver}
# The diagram-to-code contract: the steps above, by id, with the forms their hooks read.
hooks.requires(PROCESS_KEY, {
    "review_request": "request_review", "await_correction": "correction_received", "handle": "request_handle",
    "consult_third_party": "consultation", "approve_extension": "extension_approval", "fee_pending": "fee_payment",
    "draft_reply": "reply_draft", "leader_signoff": "reply_signoff", "deliver_reply": "reply_delivery",
    **dict.fromkeys(END_STATUS),
})


@hooks.after_transition(PROCESS_KEY)
def mirror(session, row, workflow) -> None:
    req = session.get(InformationRequest, row.request_id)
    if req is None:
        return
    waiting = {t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.READY | TaskState.STARTED)}
    for reason, step in PAUSE_STEPS.items():  # a timer ended the step: its pause ends today
        if step not in waiting and pauses.close_pause(session, req, reason, clock.today()) is not None \
                and reason == "consultation":
            notices.record_consultation_answer(session, req, "silent")
    ended = hooks.reached_end(workflow, END_STATUS)
    if ended is not None:
        _finish(session, req, ended)
        return
    req.status = next((status for step, status in STATUS_BY_STEP if step in waiting), req.status)
    row.department_id = (req.department_id or req.intake_department_id) if waiting & HANDLER_STEPS \
        else req.intake_department_id
    reply_clock = pauses.refresh_clock(session, req)
    moved = {"due_on": reply_clock.due_on.isoformat() if reply_clock.due_on else None}
    open_pauses = {p.reason for p in pauses.of(session, req) if p.ended_on is None}
    if "fee" in open_pauses:
        moved["fee_due_on"] = (req.fee or {}).get("pay_by")  # follows the fee notice's recorded delivery
    if "consultation" in open_pauses and (consulted := notices.latest_consultation(session, req)) is not None:
        moved["consultation_due_on"] = consulted.data.get("due_on")  # follows the 征求意见书's delivery
    _push_due(session, row, workflow, moved)


def _finish(session, req, ended):
    req.status = END_STATUS[ended.task_spec.bpmn_id]
    if req.status == "closed":  # lapsed (no correction, fee unpaid): the notice is the closing letter
        data = dict(ended.data)
        outcome, reason = data.get("outcome") or "other", data.get("outcome_reason") or "other"
        letter = replies.latest_letter(session, req)
        if letter is None or (letter.outcome, letter.outcome_reason) != (outcome, reason):
            replies.write_letter(session, req, outcome, reason, "system")
        req.closed_on = req.closed_on or clock.today()
    req.updated_at = clock.now()


def _push_due(session, row, workflow, moved: dict):
    """Give waiting tasks and timers the current deadlines: `due_on` (it moves with pauses, the
    extension and an Art. 35 delay) and, while a fee or a consulted party's opinion is awaited,
    `fee_due_on` or `consultation_due_on` (each moves with its letter's recorded delivery)."""
    for name, value in moved.items():
        timers.set_waiting_data(workflow, name, value)
    due_of = {step: moved.get(name) for step, name in DUE_STEPS.items()}
    for task in session.scalars(select(HumanTask).where(HumanTask.instance_id == row.id, HumanTask.status == "open",
                                                        HumanTask.bpmn_id.in_(DUE_STEPS))):
        if due_of.get(task.bpmn_id):
            task.due_at = parse_when(due_of[task.bpmn_id])


# The open steps whose due date is a moving deadline, and the deadline each follows.
DUE_STEPS = {**dict.fromkeys(("handle", "draft_reply", "secrecy_review_reply", "approve_extension", "leader_signoff",
                              "deliver_reply"), "due_on"), "consult_third_party": "consultation_due_on"}
