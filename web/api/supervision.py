"""Supervision records (Art. 44 ¶2, 46, 47, 51): suggestions, 考核, 社会评议, 责任追究, complaints and 举报."""

from flask import request

from engine import supervision
from web.api import bodies, bp
from web.api.oversight_answers import SupervisionListSchema, SupervisionRecordSchema
from web.api.schemas import parse, respond
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
      responses:
        200: {content: {application/json: {schema: SupervisionListSchema}}}
        403: {description: not allowed to read this agency's records}
        404: {description: no such agency}
        422: {description: a year outside 2000–2100, or an unknown kind}
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
      requestBody: {content: {application/json: {schema: SupervisionBody}}}
      responses:
        201: {content: {application/json: {schema: SupervisionRecordSchema}}}
        422: {description: what to fix, per field}
    """
    return respond(SupervisionRecordSchema, supervision.add(require_user(), parse(bodies.SupervisionBody)), 201)


@bp.post("/supervision/<int:record_id>/handle")
def handle_supervision(record_id):
    """Record how it was handled: {result, handled_on, outcome (suggestion: adopted|declined; complaint, report: upheld|rejected)}.
    ---
    post:
      requestBody: {content: {application/json: {schema: SupervisionHandledBody}}}
      responses:
        200: {content: {application/json: {schema: SupervisionRecordSchema}}}
        409: {description: already handled}
        422: {description: what to fix}
    """
    return respond(SupervisionRecordSchema, supervision.handle(require_user(), record_id, parse(bodies.SupervisionHandledBody)))
