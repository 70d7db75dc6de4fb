"""Information requests: public filing and status, staff registration, reading, corrections, settings.

The tasks of the procedure (review, handling, reply, sign-off, delivery) are completed through
/api/tasks like every other task; these routes cover what is not a task.
"""

import io

from flask import request, send_file

from engine import agency_settings
from engine.requests import intake, notices, replies, split, steps
from web.api import bodies, bp
from web.api.answers import (
    CorrectionSchema,
    NoticeListSchema,
    NoticeSchema,
    PublicRequestFiledSchema,
    PublicRequestStatusSchema,
    RegisterSchema,
    RequestDetailSchema,
    RequestListSchema,
    RequestRegisteredSchema,
    RequestSettingsSchema,
    SplitSchema,
)
from web.api.schemas import ListQuerySchema, parse, respond
from web.auth import require_user
from web.idempotency import idempotent
from web.ratelimit import limited

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.post("/public/requests")
@limited("public_filing")
@idempotent
def file_public_request():
    """File an information request (no login).
    ---
    post:
      requestBody: {content: {application/json: {schema: PublicRequestBody}}}
      summary: "File a request: {applicant: {name, type, subtype, id_number, contact}, description, form, delivery, agency}"
      description: "agency: the 行政机关 it is addressed to (Art. 27), a key of GET /api/public/agencies; default: root"
      responses:
        201: {description: "{request_no, access_code, agency, received_on, due_on}", content: {application/json: {schema: PublicRequestFiledSchema}}}
        422: {description: "invalid fields, an agency that is not one among them"}
    """
    result = intake.file_public(parse(bodies.PublicRequestBody))
    result.pop("id", None)
    return respond(PublicRequestFiledSchema, result, 201)


@bp.get("/public/requests/<request_no>")
@limited("public_lookup")
def public_request_status(request_no):
    """Status and dates of a request, with its access code (?code=...).
    ---
    get:
      responses: {200: {content: {application/json: {schema: PublicRequestStatusSchema}}}}
    """
    return respond(PublicRequestStatusSchema, intake.public_status(request_no, request.args.get("code", "")))


@bp.post("/public/requests/<request_no>/correction")
@limited("public_lookup")
def public_request_correction(request_no):
    """The applicant's correction: {code, description}; the reply period restarts today.
    ---
    post:
      requestBody: {content: {application/json: {schema: PublicCorrectionBody}}}
      responses: {200: {content: {application/json: {schema: PublicRequestStatusSchema}}}}
    """
    body = parse(bodies.PublicCorrectionBody)
    return respond(PublicRequestStatusSchema, steps.public_correction(request_no, body["code"], body.get("description")))


@bp.post("/requests")
@idempotent
def register_request():
    """Register a request received in person, by post, fax or online (a publisher for their own agency, an admin for any).
    ---
    post:
      requestBody: {content: {application/json: {schema: StaffRequestBody}}}
      summary: "The public fields plus channel (in_person|letter|registered_post|fax|online), received_on, confirmed_on"
      description: "agency: the 行政机关 it is addressed to (a key of GET /api/public/agencies); default: the registrar's own"
      responses:
        201: {description: "{id, request_no, agency, due_on, access_code}", content: {application/json: {schema: RequestRegisteredSchema}}}
        403: {description: "not a publisher, or a publisher registering for another agency"}
        422: {description: invalid fields}
    """
    return respond(RequestRegisteredSchema, intake.register(require_user(), parse(bodies.StaffRequestBody)), 201)


@bp.get("/requests")
def list_requests():
    """Requests the caller may see, newest first.
    ---
    get:
      responses: {200: {content: {application/json: {schema: RequestListSchema}}}}
    """
    actor = require_user()
    return respond(RequestListSchema, intake.list_for(actor, **parse(ListQuerySchema, request.args.to_dict())))


@bp.get("/requests/<int:request_id>")
def get_request(request_id):
    """A request: status, outcome, dates, pauses, reply letter, open tasks and history.
    ---
    get:
      responses: {200: {content: {application/json: {schema: RequestDetailSchema}}}}
    """
    return respond(RequestDetailSchema, intake.detail_for(require_user(), request_id))


@bp.get("/requests/<int:request_id>/reply-letter.docx")
def reply_letter_docx(request_id):
    """The latest reply letter as a Word document (to print, sign and seal, or to attach).
    ---
    get:
      responses: {200: {content: {application/vnd.openxmlformats-officedocument.wordprocessingml.document: {schema: {type: string, format: binary}}}}}
    """
    name, data = replies.letter_docx(require_user(), request_id)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=DOCX)


@bp.get("/requests/<int:request_id>/reply-attachment.docx")
def reply_attachment_docx(request_id):
    """The reply's attachment: the information provided, de-identified (what the letter's "见附件" means).
    ---
    get:
      responses: {200: {content: {application/vnd.openxmlformats-officedocument.wordprocessingml.document: {schema: {type: string, format: binary}}}}, 404: {description: "the reply provides no information"}}
    """
    name, data = replies.attachment_docx(require_user(), request_id)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=DOCX)


@bp.get("/requests/<int:request_id>/notices")
def list_notices(request_id):
    """The notices of a request (补正, 延期, 收费, 第三方征求意见): kind, created_at, delivered_on, docx_url.
    ---
    get:
      responses: {200: {content: {application/json: {schema: NoticeListSchema}}}}
    """
    return respond(NoticeListSchema, {"items": notices.list_for(require_user(), request_id)})


@bp.get("/requests/<int:request_id>/notices/<int:notice_id>.docx")
def notice_docx(request_id, notice_id):
    """A notice as a Word document (to print, sign and seal, or to attach).
    ---
    get:
      responses: {200: {content: {application/vnd.openxmlformats-officedocument.wordprocessingml.document: {schema: {type: string, format: binary}}}}}
    """
    name, data = notices.docx(require_user(), request_id, notice_id)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=DOCX)


@bp.post("/requests/<int:request_id>/notices/<int:notice_id>/delivery")
def notice_delivery(request_id, notice_id):
    """Record a notice's delivery: {delivery_method, delivered_on} (publisher).
    ---
    post:
      requestBody: {content: {application/json: {schema: DeliveryBody}}}
      responses: {200: {content: {application/json: {schema: NoticeSchema}}}}
    """
    return respond(NoticeSchema, notices.record_delivery(require_user(), request_id, notice_id, parse(bodies.DeliveryBody)))


@bp.post("/requests/<int:request_id>/notices/<int:notice_id>/email")
def notice_email(request_id, notice_id):
    """E-mail a notice with its Word file: {email_to} (publisher); a worker sends it and records the day.
    ---
    post:
      requestBody: {content: {application/json: {schema: EmailBody}}}
      responses: {202: {content: {application/json: {schema: NoticeSchema}}}}
    """
    return respond(NoticeSchema, notices.send_by_email(require_user(), request_id, notice_id, parse(bodies.EmailBody)), 202)


@bp.post("/requests/<int:request_id>/reasons")
@idempotent
def ask_reasons(request_id):
    """Art. 35: ask the applicant for reasons within {period_days} working days (a notice).
    ---
    post:
      requestBody: {content: {application/json: {schema: ReasonsBody}}}
      responses: {201: {content: {application/json: {schema: NoticeSchema}}}}
    """
    return respond(NoticeSchema, notices.ask_reasons(require_user(), request_id, parse(bodies.ReasonsBody)), 201)


@bp.post("/requests/<int:request_id>/notices/<int:notice_id>/answer")
def reasons_answer(request_id, notice_id):
    """Record the applicant's reasons: {answered_on, reasons, reasonable}.
    ---
    post:
      requestBody: {content: {application/json: {schema: ReasonsAnswerBody}}}
      responses: {200: {content: {application/json: {schema: NoticeSchema}}}}
    """
    return respond(NoticeSchema, notices.record_answer(require_user(), request_id, notice_id, parse(bodies.ReasonsAnswerBody)))


@bp.post("/requests/<int:request_id>/delay")
@idempotent
def delay_reply(request_id):
    """Art. 35: reasonable reasons, no reply possible in time: set the day to reply by (publisher).
    ---
    post:
      requestBody: {content: {application/json: {schema: DelayBody}}}
      summary: "{reply_by}: a working day after the current deadline, within the agency's bound; once"
      responses:
        201: {description: "the 延迟答复告知书 (a notice of kind delayed_reply)", content: {application/json: {schema: NoticeSchema}}}
        403: {description: not a publisher}
        422: {description: "reasons not answered as reasonable, already delayed, or reply_by not allowed"}
    """
    return respond(NoticeSchema, notices.delay_reply(require_user(), request_id, parse(bodies.DelayBody)), 201)


@bp.post("/requests/<int:request_id>/split")
@idempotent
def split_request(request_id):
    """一事一申请: split a request under review into parts (the receiving agency's publisher).
    ---
    post:
      summary: "{parts: [text, …] (2–20; the first stays with this request), reason?}: each other part becomes a request
        with its own number, access code, procedure and deadline, the day of receipt carried over; the applicant is
        told by a 分件处理告知书"
      requestBody: {content: {application/json: {schema: SplitBody}}}
      responses:
        201: {content: {application/json: {schema: SplitSchema}}}
        403: {description: not the receiving agency's publisher}
        409: {description: the request is no longer under review}
        422: {description: fewer than two parts, or a part too long}
    """
    return respond(SplitSchema, split.split(require_user(), request_id, parse(bodies.SplitBody)), 201)


@bp.post("/requests/<int:request_id>/correction")
def register_correction(request_id):
    """Register the applicant's correction received by staff: {received_on, description}.
    ---
    post:
      requestBody: {content: {application/json: {schema: StaffCorrectionBody}}}
      responses: {200: {content: {application/json: {schema: CorrectionSchema}}}}
    """
    actor = require_user()
    body = parse(bodies.StaffCorrectionBody)
    return respond(CorrectionSchema, steps.record_correction(actor, request_id, body.get("received_on"), body.get("description")))


@bp.get("/requests/register")
def search_register():
    """Search the register of on-request and withheld documents (?q=).
    ---
    get:
      responses: {200: {content: {application/json: {schema: RegisterSchema}}}}
    """
    return respond(RegisterSchema, intake.search_register(require_user(), request.args.get("q")))


@bp.get("/requests/settings")
def get_request_settings():
    """The agency's request settings (remedy bodies, correction period, conversion threshold).
    ---
    get:
      responses: {200: {content: {application/json: {schema: RequestSettingsSchema}}}}
    """
    require_user()
    return respond(RequestSettingsSchema, agency_settings.load())


@bp.put("/requests/settings")
def put_request_settings():
    """Change request settings (admin).
    ---
    put:
      requestBody: {content: {application/json: {schema: RequestSettingsBody}}}
      responses: {200: {content: {application/json: {schema: RequestSettingsSchema}}}}
    """
    return respond(RequestSettingsSchema, agency_settings.update(require_user(), parse(bodies.RequestSettingsBody)))
