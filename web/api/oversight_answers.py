"""Answers of the law's third pass: an agency's letters, supervision records, stranded tasks and a
take-down awaiting approval (the schemas the OpenAPI document declares and the handlers dump through)."""

from marshmallow import Schema, fields

from web.api.answers import BodyAddressSchema, DocumentSchema, nullable_day, nullable_id, nullable_text
from web.api.schemas import Iso


class AgencyLettersSchema(Schema):
    """What an agency's letters name: its 复议机关, court and 信访 channel; `own` the keys set for it."""

    agency = fields.String(required=True)
    agency_key = fields.String(required=True)
    reconsideration_body = fields.Nested(BodyAddressSchema, required=True)
    litigation_court = fields.Nested(BodyAddressSchema, required=True)
    petition_channel = fields.String(required=True)
    own = fields.List(fields.String(), required=True)
    defaults = fields.Dict(required=True, metadata={"description": "the installation's values it overrides"})


class SupervisionRecordSchema(Schema):
    id = fields.Integer(required=True)
    agency_id = nullable_id()
    kind = fields.String(required=True, metadata={
        "description": "suggestion | assessment | social_review | accountability | complaint | report"})
    kind_name = fields.String(required=True)
    received_on = Iso(required=True)
    party = fields.String(required=True)
    subject = fields.String(required=True)
    request_id = nullable_id()
    persons = nullable_id()
    status = fields.String(required=True, metadata={"description": "open | handled"})
    result = nullable_text()
    outcome = nullable_text(metadata={"description": "suggestion: adopted | declined; complaint, report: upheld | rejected"})
    outcome_name = nullable_text()
    handled_on = nullable_day()
    handled_by = nullable_text()
    created_by = nullable_text()
    created_at = Iso(required=True)


class SupervisionListSchema(Schema):
    agency = fields.String(required=True)
    agency_key = fields.String(required=True)
    items = fields.List(fields.Nested(SupervisionRecordSchema), required=True)


class StrandedTaskSchema(Schema):
    incident_id = fields.Integer(required=True)
    task_id = fields.Integer(required=True)
    name = nullable_text()
    role = fields.String(required=True)
    department = nullable_text()
    title = nullable_text()
    request_id = nullable_id()
    document_id = nullable_id()
    instance_id = fields.Integer(required=True)
    message = fields.String(required=True, metadata={"description": "what is missing, in the words an admin acts on"})
    since = Iso(required=True)


class StrandedTaskListSchema(Schema):
    items = fields.List(fields.Nested(StrandedTaskSchema), required=True)


class TakeDownPendingSchema(DocumentSchema):
    """A take-down that awaits approval (a document in force whose category needs it): still published."""

    take_down = fields.Dict(required=True, metadata={"description": "{pending: true, approval: leader|head, instance_id}"})
