"""Supervision records (Art. 44 ¶2, 46, 47, 51): suggestions, 考核, 社会评议, 责任追究, complaints and 举报."""

from flask import request

from engine import supervision
from web.api import bp
from web.api.oversight_answers import SupervisionListSchema, SupervisionRecordSchema
from web.api.requests import parse_json
from web.api.schemas import respond
from web.auth import require_user


@bp.get("/supervision")
def list_supervision():
    """An agency's supervision records (its publishers and leaders, the 政务公开办, the admin).
    ---
    get:
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root, or the department id of an agency; default: the caller's"}
        - {in: query, name: year, schema: {type: integer}}
        - {in: query, name: kind, schema: {type: string, enum: [suggestion, assessment, social_review, accountability, complaint, report]}}
      responses: {200: {content: {application/json: {schema: SupervisionListSchema}}}}
    """
    args = request.args
    year = args.get("year", type=int)
    return respond(SupervisionListSchema, supervision.list_for(require_user(), args.get("agency"), year,
                                                               args.get("kind") or None))


@bp.post("/supervision")
def add_supervision():
    """Record one (admin, 政务公开办, the agency's publisher).
    ---
    post:
      requestBody: {content: {application/json: {schema: {type: object, properties: {agency: {type: string}, kind: {type: string}, received_on: {type: string, format: date}, party: {type: string}, subject: {type: string}, request_id: {type: integer, description: "required for an Art. 44 suggestion: the applicant's request"}, persons: {type: integer, description: "责任追究: how many people"}}}}}}
      responses:
        201: {content: {application/json: {schema: SupervisionRecordSchema}}}
        422: {description: what to fix, per field}
    """
    return respond(SupervisionRecordSchema, supervision.add(require_user(), parse_json()), 201)


@bp.post("/supervision/<int:record_id>/handle")
def handle_supervision(record_id):
    """Record how it was handled: {result, handled_on, outcome (suggestion: adopted|declined; complaint, report: upheld|rejected)}.
    ---
    post:
      responses:
        200: {content: {application/json: {schema: SupervisionRecordSchema}}}
        409: {description: already handled}
        422: {description: what to fix}
    """
    return respond(SupervisionRecordSchema, supervision.handle(require_user(), record_id, parse_json()))
