"""Information requests: public filing and status, staff registration, reading, corrections, settings.

The tasks of the procedure (review, handling, reply, sign-off, delivery) are completed through
/api/tasks like every other task; these routes cover what is not a task.
"""

import io

from flask import jsonify, request, send_file

from engine.errors import Invalid
from engine.requests import intake, records, settings, steps
from web.api import bp
from web.auth import require_user
from web.idempotency import idempotent
from web.ratelimit import limited

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def parse_json() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("请求体必须是 JSON 对象 (body must be a JSON object)")
    return body


@bp.post("/public/requests")
@limited("public_filing")
@idempotent
def file_public_request():
    """File an information request (no login).
    ---
    post:
      summary: "File a request: {applicant: {name, type, subtype, id_number, contact}, description, form, delivery}"
      responses:
        201: {description: "{request_no, access_code, received_on, due_on}"}
        422: {description: invalid fields}
    """
    result = intake.file_public(parse_json())
    result.pop("id", None)
    return jsonify(result), 201


@bp.get("/public/requests/<request_no>")
@limited("public_lookup")
def public_request_status(request_no):
    """Status and dates of a request, with its access code (?code=...)."""
    return jsonify(intake.public_status(request_no, request.args.get("code", "")))


@bp.post("/public/requests/<request_no>/correction")
@limited("public_lookup")
def public_request_correction(request_no):
    """The applicant's correction: {code, description}; the reply period restarts today."""
    body = parse_json()
    return jsonify(steps.public_correction(request_no, str(body.get("code") or ""), body.get("description")))


@bp.post("/requests")
@idempotent
def register_request():
    """Register a request received in person, by post, fax or online (publisher).
    ---
    post:
      summary: "The public fields plus channel (in_person|letter|registered_post|fax|online), received_on, confirmed_on"
      responses:
        201: {description: "{id, request_no, due_on, access_code}"}
        403: {description: not a publisher}
        422: {description: invalid fields}
    """
    return jsonify(intake.register(require_user(), parse_json())), 201


@bp.get("/requests")
def list_requests():
    """Requests the caller may see, newest first."""
    return jsonify(intake.list_for(require_user(), status=request.args.get("status"),
                                   limit=request.args.get("limit", 50, type=int) or 50,
                                   offset=max(request.args.get("offset", 0, type=int) or 0, 0)))


@bp.get("/requests/<int:request_id>")
def get_request(request_id):
    """A request: status, outcome, dates, pauses, reply letter, open tasks and history."""
    return jsonify(intake.detail_for(require_user(), request_id))


@bp.get("/requests/<int:request_id>/reply-letter.docx")
def reply_letter_docx(request_id):
    """The latest reply letter as a Word document (to print, sign and seal, or to attach)."""
    name, data = records.letter_docx(require_user(), request_id)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=DOCX)


@bp.post("/requests/<int:request_id>/correction")
def register_correction(request_id):
    """Register the applicant's correction received by staff: {received_on, description}."""
    body = parse_json()
    return jsonify(steps.record_correction(require_user(), request_id, body.get("received_on"), body.get("description")))


@bp.get("/requests/register")
def search_register():
    """Search the register of on-request and withheld documents (?q=)."""
    return jsonify(intake.search_register(require_user(), request.args.get("q")))


@bp.get("/requests/settings")
def get_request_settings():
    """The agency's request settings (remedy bodies, correction period, conversion threshold)."""
    require_user()
    return jsonify(settings.load())


@bp.put("/requests/settings")
def put_request_settings():
    """Change request settings (admin)."""
    return jsonify(settings.update(require_user(), parse_json()))
