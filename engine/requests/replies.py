"""A request's reply letters as stored: the newest version written for an outcome, its layout in the
agency's house style, its attachment (the information provided) and how it was delivered.

Everything here runs inside the caller's transaction, except the two Word downloads.
"""

import re
from datetime import date

from sqlalchemy import select

from engine import access, agencies, agency_settings, audit, clock, letter_style, storage
from engine.db import reading
from engine.errors import NotFound
from engine.models import ReplyLetter
from engine.requests import agency_letters, letters


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
        req = access.request_for(s, actor, request_id)
        letter = latest_letter(s, req)
        if letter is None:
            raise NotFound("该申请尚未拟写答复书 (no reply letter yet)")
        return f"{req.request_no}-答复书.docx", letters.to_docx(letter.text, **layout(s, req, letter))


ATTACHMENT_TITLE = "提供的政府信息"


def layout(session, req, letter=None) -> dict:
    """How the request's letters are laid out: its agency's house style, its 发文字号 (the agency's
    代字, the year, the request's number in the register) and, for a reply that provides information
    ("见附件"), the 附件说明."""
    key = agencies.key_of(agencies.for_request(session, req))
    style = letter_style.style_of(agency_settings.load(session)["letter_style"], key)
    number = letter_style.document_number(style, req.receipt_on.year, int(re.sub(r"\D", "", req.request_no)[-5:] or 0))
    provides = letter is not None and letter.outcome in PROVIDING and req.redacted_sha256
    return {"style": style, "number": number, "attachment": ATTACHMENT_TITLE if provides else None}


PROVIDING = ("disclosed", "partially_disclosed")


def attachment(session, req) -> tuple[str, bytes] | None:
    """The reply's attachment: the information provided, de-identified, as a Word file; None when the
    reply provides none (or the material is not de-identified yet)."""
    letter = latest_letter(session, req)
    if letter is None or letter.outcome not in PROVIDING or not req.redacted_sha256:
        return None
    return (f"{req.request_no}-附件-{ATTACHMENT_TITLE}.docx",
            letter_style.render_attachment(ATTACHMENT_TITLE, storage.get_text(req.redacted_sha256)))


def attachment_docx(actor, request_id: int) -> tuple[str, bytes]:
    """(file name, .docx) of the reply's attachment, for whoever may see the request."""
    with reading() as s:
        found = attachment(s, access.request_for(s, actor, request_id))
        if found is None:
            raise NotFound("该答复没有附件 (the reply provides no information as an attachment)")
        return found


def write_letter(session, req, outcome, reason, by, location=None, explanation=None, facts=None) -> ReplyLetter:
    """Render the reply for `outcome` and store it as the request's newest letter version."""
    speaker = agencies.for_request(session, req)
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
