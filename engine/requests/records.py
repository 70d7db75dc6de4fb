"""Persistence helpers shared by intake and the procedure hooks: pauses, the clock, letters, access.

Everything here runs inside the caller's transaction.
"""

import re
from datetime import date

from sqlalchemy import select

from engine import access, agencies, audit, clock
from engine.db import reading
from engine.errors import Forbidden, NotFound
from engine.models import Department, InformationRequest, ProcessInstance, ReplyLetter, RequestPause
from engine.requests import agency_letters, deadlines, letters
from engine.workflow import state, transition

# An e-mail address, to check one typed in and to find one in an applicant's free-text contact.
EMAIL = re.compile(r"[^@\s，,；;]+@[^@\s，,；;]+\.[A-Za-z]{2,}")


def get_for(session, actor, request_id: int, lock=False) -> InformationRequest:
    """Return the request if `actor` may see it (`access.may_see_request`); NotFound / Forbidden otherwise."""
    query = select(InformationRequest).where(InformationRequest.id == access.as_id(request_id))
    req = session.scalar(query.with_for_update() if lock else query)
    if req is None:
        raise NotFound("申请不存在 (no such request)")
    if not access.may_see_request(session, actor, req):
        raise Forbidden("您无权查看此申请 (not a request of your office or department)")
    return req


def intake_department(session) -> int | None:
    """The department that receives requests (政府信息公开工作机构), from the settings."""
    return agencies.configured_intake(session)


def intake_for(session, actor, agency: dict | None = None) -> int | None:
    """The department that receives a request. Addressed to an agency (`agencies.named`): a department
    agency receives its own, the installation's go to the configured 政府信息公开工作机构; only an
    admin registers for any agency, a publisher for their own (`access.may_act_for_agency`).
    Without one, the configured office receives it, except that staff of another agency (a department
    that is its own 行政机关) register their agency's requests in their own department, so that each
    agency answers, and reports, its own."""
    if agency is not None and actor is not None and not access.may_act_for_agency(session, actor, agency["department_id"]):
        raise Forbidden(f"只能登记本机关收到的申请，不能登记{agency['name']}的 (only requests to your own agency)")
    if agency is not None and (actor is None or actor.is_admin):
        return agency["department_id"] or intake_department(session)
    configured, own = intake_department(session), getattr(actor, "department_id", None)
    if configured is None or own is None:
        return configured or own
    same = agencies.identity(session, own)["department_id"] == agencies.identity(session, configured)["department_id"]
    return configured if same else own


def pauses(session, req) -> list[RequestPause]:
    return list(session.scalars(select(RequestPause).where(RequestPause.request_id == req.id)
                                .order_by(RequestPause.id)))


def open_pause(session, req, reason: str, on: date, note: str | None = None) -> RequestPause:
    pause = RequestPause(request_id=req.id, reason=reason, started_on=on, note=note)
    session.add(pause)
    session.flush()
    return pause


def close_pause(session, req, reason: str, on: date) -> RequestPause | None:
    """End the open pause of `reason` on `on` (never before it started)."""
    for pause in pauses(session, req):
        if pause.reason == reason and pause.ended_on is None:
            pause.ended_on = max(on, pause.started_on)
            return pause
    return None


def clock_of(session, req, as_of: date | None = None) -> deadlines.Clock:
    spans = [deadlines.Pause(p.reason, p.started_on, p.ended_on) for p in pauses(session, req)]
    return deadlines.reply_clock(req.receipt_on, spans, req.extension_days or 0, as_of or clock.today(),
                           delay_days=req.delay_days or 0)


def refresh_clock(session, req) -> deadlines.Clock:
    """Recompute and store the reply deadline after an event that moves it."""
    session.flush()
    reply_clock = clock_of(session, req)
    req.due_on, req.due_provisional, req.updated_at = reply_clock.due_on, reply_clock.provisional, clock.now()
    return reply_clock


def follow_process(session, req) -> None:
    """Let the request's waiting process follow a deadline moved outside any of its steps (an Art. 35
    delay, a fee notice's recorded delivery): one transition with no step of its own, whose hook
    (`procedure.mirror`) recomputes the clock and pushes it into the task data, step due dates and
    timers, which are then rescheduled — the same path an approved extension takes."""
    row = session.get(ProcessInstance, req.instance_id) if req.instance_id else None
    if row is not None and row.status not in state.ENDED:
        transition.run(session, row.id, None)


def latest_letter(session, req) -> ReplyLetter | None:
    return session.scalar(select(ReplyLetter).where(ReplyLetter.request_id == req.id)
                          .order_by(ReplyLetter.id.desc()).limit(1))


def record_delivery(session, req, method: str, by: str, note: str | None, on: date | None = None) -> None:
    """Note how the latest letter goes out; with `on`, the day it reached the applicant."""
    letter = latest_letter(session, req)
    letter.delivery_method, letter.delivered_by, letter.delivery_note = method, by, note
    if on is not None:
        mark_delivered(session, req, on)


def mark_delivered(session, req, on: date) -> None:
    """The latest letter reached the applicant on `on`: that day closes the request (annual report)."""
    latest_letter(session, req).delivered_on = req.closed_on = on


def letter_docx(actor, request_id: int) -> tuple[str, bytes]:
    """(file name, .docx) of the request's latest reply letter, for whoever may see the request."""
    with reading() as s:
        req = get_for(s, actor, request_id)
        letter = latest_letter(s, req)
        if letter is None:
            raise NotFound("该申请尚未拟写答复书 (no reply letter yet)")
        return f"{req.request_no}-答复书.docx", letters.to_docx(letter.text)


def write_letter(session, req, outcome, reason, by, location=None, explanation=None, facts=None) -> ReplyLetter:
    """Render the reply for `outcome` and store it as the request's newest letter version."""
    speaker = agency(session, req)
    named = agency_letters.for_agency(session, speaker)  # its own 复议机关, court and 信访 channel
    if outcome == "correction":
        text = letters.render_correction(req, reason, agency=speaker["name"], settings=named, on=clock.today(),
                                         explanation=explanation, facts=facts)
    else:
        text = letters.render(req, outcome, reason, agency=speaker["name"], settings=named, on=clock.today(),
                              location=location, explanation=explanation, facts=facts)
    letter = ReplyLetter(request_id=req.id, outcome=outcome, outcome_reason=reason, text=text, created_by=by)
    session.add(letter)
    req.outcome, req.outcome_reason = outcome, reason
    audit.record(session, "reply_drafted", actor=by, request_id=req.id, instance_id=req.instance_id,
                 outcome=outcome, reason=reason)
    return letter


def agency(session, req) -> dict:
    """The 行政机关 in whose name the request is answered (and counted): the receiving department's agency."""
    return agencies.identity(session, req.intake_department_id or req.department_id)


def agency_name(session, req) -> str:
    return agency(session, req)["name"]


def department_name(session, department_id) -> str | None:
    return session.scalar(select(Department.name).where(Department.id == department_id)) if department_id else None
