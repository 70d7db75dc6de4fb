"""marshmallow schemas of the API's answers that the handlers build as dicts (documents, requests,
the annual report, work plans, departments, the guide, task actions).

They are what /api/openapi.json declares, and so what the schemathesis run and
tests/web/test_api_schemas.py check real answers against: an answer with a field a schema does not
name fails there. Structures whose keys are data (a report's column values, a form's fields, an
audit entry's details) are plain objects.
"""

from marshmallow import Schema, fields

from web.api.schemas import HistoryEventSchema, PublicityPeriodSchema, TaskSchema, ValiditySchema


def _text(**kwargs):
    return fields.String(allow_none=True, required=True, **kwargs)


def _id():
    return fields.Integer(allow_none=True, required=True)


# Departments and the guide ------------------------------------------------------------------------

class DepartmentSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    agency_name = _text()
    agency_code = _text()
    agency_kind = _text()
    parent = _text(metadata={"description": "the parent department's name"})
    own_agency = fields.Boolean(required=True)
    speaks_as = fields.String(required=True, metadata={"description": "the agency name its letters carry"})


class DepartmentListSchema(Schema):
    items = fields.List(fields.Nested(DepartmentSchema), required=True)


class GuideSectionSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    text = fields.String(required=True)


class AgencySchema(Schema):
    """An agency the public may address (a request, a guide, the catalogue's 发布机构 filter)."""

    key = fields.String(required=True, metadata={"description": "what ?agency= or a request's agency takes"})
    id = _id()
    name = fields.String(required=True)
    kind = fields.String(required=True)


class AgencyListSchema(Schema):
    items = fields.List(fields.Nested(AgencySchema), required=True)


class GuideSchema(Schema):
    agency = fields.String(required=True)
    agency_id = _id()
    agency_key = fields.String(required=True, metadata={"description": "root, or the agency's department id"})
    complete = fields.Boolean(required=True)
    sections = fields.List(fields.Nested(GuideSectionSchema), required=True)
    updated_at = _text()
    updated_by = _text()


# Documents ----------------------------------------------------------------------------------------

class TakenDownSchema(Schema):
    at = fields.String(required=True)
    by = _text()
    reason = _text()


class DocumentSchema(Schema):
    """A document as the staff list shows it."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    doc_number = _text()
    category = fields.String(required=True)
    attribute = _text()
    attribute_ground = _text()
    attribute_reason = _text()
    channels = fields.List(fields.String(), required=True)
    department_id = _id()
    instance_id = _id()
    status = fields.String(required=True)
    formed_on = _text()
    publish_by = _text()
    published_at = _text()
    published_on = _text()
    publisher = _text()
    index_no = _text()
    topic = _text()
    area = _text()
    validity = fields.Nested(ValiditySchema, required=True)
    change_kind = _text()
    changes_document_id = _id()
    return_reason = _text()
    returns = fields.Integer(required=True)
    publicity = fields.Nested(PublicityPeriodSchema, allow_none=True, metadata={"description": "公示期; null: not a 公示"})
    taken_down = fields.Nested(TakenDownSchema, allow_none=True, metadata={"description": "撤下: null while it is up"})


class DocumentListSchema(Schema):
    items = fields.List(fields.Nested(DocumentSchema), required=True)


class FindingSchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)
    kind = fields.String(required=True)
    reason = fields.String(required=True)
    redacted = fields.Boolean(required=True)
    replacement = _text()
    score = fields.Float(required=True)


class RedactionSchema(Schema):
    field = fields.String(required=True)
    redacted_text = _text()
    findings = fields.List(fields.Nested(FindingSchema), required=True)


class FieldRedactionSchema(RedactionSchema):
    label = fields.String(required=True)
    original = fields.String(required=True)
    findings = fields.List(fields.Dict(), required=True)


class CurrentTaskSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    bpmn_id = fields.String()
    claimed_by = fields.Integer(allow_none=True)
    due_at = _text()


class ReviewRecordSchema(Schema):
    seq = fields.Integer(required=True)
    document_id = fields.Integer(required=True)
    task_id = _id()
    stage = fields.String(required=True)
    role = fields.String(required=True)
    reviewer_id = fields.Integer(required=True)
    reviewer_name = fields.String(required=True)
    decision = fields.String(required=True)
    opinion = _text()
    attribute = _text()
    ground = _text()
    channels = fields.List(fields.String(), required=True)
    content_sha256 = fields.String(required=True)
    prev_hash = fields.String(required=True)
    record_hash = fields.String(required=True)
    created_at = fields.String(required=True)


class PublicationSchema(Schema):
    channel = fields.String(required=True)
    url = _text()
    published_at = fields.String(required=True)


class ProgressSchema(Schema):
    working = fields.Dict(allow_none=True, required=True, metadata={
        "description": "the service task a worker is on: {operation, name, since, seconds, attempts}"})
    incident = fields.Dict(allow_none=True, required=True)


class DocumentDetailSchema(DocumentSchema):
    body = fields.String(required=True)
    interpretation = _text()
    redacted_text = _text()
    redaction_confirmed_by = _text()
    publish_by_provisional = fields.Boolean(required=True)
    findings = fields.List(fields.Nested(FindingSchema), required=True)
    redactions = fields.List(fields.Nested(FieldRedactionSchema), required=True)
    reviews = fields.List(fields.Nested(ReviewRecordSchema), required=True)
    publications = fields.List(fields.Nested(PublicationSchema), required=True)
    current_tasks = fields.List(fields.Nested(CurrentTaskSchema), required=True)
    progress = fields.Nested(ProgressSchema, required=True)
    history = fields.List(fields.Nested(HistoryEventSchema), required=True)
    may_take_down = fields.Boolean(required=True, metadata={"description": "the caller may take it down (撤下) now"})


class DocumentSubmittedSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    instance_id = _id()


class ImportedSchema(Schema):
    imported = fields.Integer(required=True)
    document_ids = fields.List(fields.Integer(), required=True)


class ReviewChainSchema(Schema):
    intact = fields.Boolean(required=True)
    records = fields.Integer(required=True)
    broken_at = _id()


class ReturnsSchema(Schema):
    department = _text()
    documents = fields.Integer(required=True)
    returns = fields.Integer(required=True)


class ReturnsReportSchema(Schema):
    items = fields.List(fields.Nested(ReturnsSchema), required=True)


# Tasks and instances ------------------------------------------------------------------------------

class TaskDetailSchema(TaskSchema):
    can_act = fields.Boolean(required=True)
    form = fields.Dict(allow_none=True, required=True, metadata={"description": "the form-js schema"})
    data = fields.Dict(required=True)
    form_data = fields.Dict(required=True)
    completed_bpmn_ids = fields.List(fields.String(), required=True)


class RetryingSchema(Schema):
    id = fields.Integer(required=True)
    instance_id = fields.Integer(required=True)
    status = fields.String(required=True)


class InstanceMigratedSchema(Schema):
    id = fields.Integer(required=True)
    migrated = fields.Boolean(required=True)
    from_version = fields.Integer()
    to_version = fields.Integer()
    reason = fields.String(metadata={"description": "why it was not migrated"})


class MigrationSchema(Schema):
    key = fields.String(required=True)
    to_version = fields.Integer(required=True)
    results = fields.List(fields.Nested(InstanceMigratedSchema), required=True)


# Information requests -----------------------------------------------------------------------------

class ApplicantSchema(Schema):
    type = fields.String(required=True)
    subtype = _text()
    name = fields.String(required=True)
    id_type = _text()
    id_number = _text()
    contact = _text()
    contact_person = _text()
    legal_representative = _text()
    address = _text()
    postcode = _text()


class RequestSchema(Schema):
    """A request as the staff list shows it."""

    id = fields.Integer(required=True)
    request_no = fields.String(required=True)
    kind = fields.String(required=True)
    channel = fields.String(required=True)
    applicant = fields.Nested(ApplicantSchema, required=True)
    description = fields.String(required=True)
    form = _text()
    delivery = _text()
    department = _text()
    department_id = _id()
    instance_id = _id()
    status = fields.String(required=True)
    status_name = _text()
    outcome = _text()
    outcome_name = _text()
    outcome_reason = _text()
    outcome_reason_name = _text()
    received_on = _text()
    receipt_on = _text()
    confirmed_on = _text()
    due_on = _text()
    due_provisional = fields.Boolean(required=True)
    closed_on = _text()


class RequestListSchema(Schema):
    items = fields.List(fields.Nested(RequestSchema), required=True)


class NoticeSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    kind_name = _text()
    recipient = _text()
    text = fields.String(required=True)
    created_at = fields.String(required=True)
    created_by = _text()
    delivery_method = _text()
    delivered_on = _text()
    docx_url = fields.String(required=True)


class NoticeListSchema(Schema):
    items = fields.List(fields.Nested(NoticeSchema), required=True)


class ConsultationSchema(Schema):
    notice_id = _id()
    party = fields.String(required=True)
    recipient = _text()
    due_on = _text()
    answer = _text()
    answer_name = _text()
    effective = _text()


class PauseSchema(Schema):
    reason = fields.String(required=True)
    started_on = fields.String(required=True)
    ended_on = _text()
    note = _text()


class ReplyLetterSchema(Schema):
    id = fields.Integer(required=True)
    outcome = fields.String(required=True)
    outcome_reason = _text()
    text = fields.String(required=True)
    created_by = _text()
    signed_by = _text()
    signed_at = _text()
    delivery_method = _text()
    delivery_note = _text()
    delivered_on = _text()


class ReasonsOpenSchema(Schema):
    id = fields.Integer(required=True)
    due_on = _text()
    earliest = fields.String(required=True)
    latest = fields.String(required=True)
    lapsed = fields.Boolean(required=True)


class ReasonsAnsweredSchema(Schema):
    on = fields.String(required=True)
    reasonable = fields.Boolean(allow_none=True)


class ReasonsOptionsSchema(Schema):
    """Art. 35 for the staff page: may reasons be asked now, which request awaits an answer."""

    ask = fields.Boolean(required=True)
    min_days = fields.Integer(required=True)
    max_days = fields.Integer(required=True)
    open = fields.Nested(ReasonsOpenSchema, allow_none=True, required=True)
    answered = fields.Nested(ReasonsAnsweredSchema, allow_none=True, required=True)


class DelayOptionsSchema(Schema):
    """Art. 35 延迟答复 for the staff page: the days a delayed reply may name."""

    after = fields.String(required=True)
    earliest = fields.String(required=True)
    latest = fields.String(required=True)


class RequestDetailSchema(RequestSchema):
    agency = _text(metadata={"description": "受理机关: the agency the request is answered in the name of"})
    clock_start = _text()
    correction_due_on = _text()
    correction_items = fields.List(fields.String(), required=True)
    extension_days = fields.Integer(required=True)
    delay_days = fields.Integer(required=True, metadata={"description": "working days added by an Art. 35 延迟答复"})
    delay = fields.Nested(DelayOptionsSchema, allow_none=True, required=True)
    reasons = fields.Nested(ReasonsOptionsSchema, allow_none=True, required=True)
    paused_days = fields.Integer(required=True)
    pauses = fields.List(fields.Nested(PauseSchema), required=True)
    fee = fields.Dict(required=True)
    material = _text()
    redacted_material = _text()
    consultations = fields.List(fields.Nested(ConsultationSchema), required=True)
    notices = fields.List(fields.Nested(NoticeSchema), required=True)
    reply_letter = fields.Nested(ReplyLetterSchema, allow_none=True, required=True)
    current_tasks = fields.List(fields.Nested(CurrentTaskSchema), required=True)
    history = fields.List(fields.Nested(HistoryEventSchema), required=True)


class PublicRequestFiledSchema(Schema):
    request_no = fields.String(required=True)
    agency = fields.String(required=True, metadata={"description": "the 行政机关 that received it"})
    access_code = fields.String(required=True, metadata={"description": "needed to look the request up"})
    received_on = _text()
    due_on = _text()


class RequestRegisteredSchema(PublicRequestFiledSchema):
    id = fields.Integer(required=True)


class PublicRequestStatusSchema(Schema):
    request_no = fields.String(required=True)
    status = fields.String(required=True)
    agency = fields.String(required=True, metadata={"description": "the 行政机关 that received it"})
    status_name = _text()
    received_on = _text()
    due_on = _text()
    correction_due_on = _text()
    correction_items = fields.List(fields.String(), required=True, metadata={"description": "what to correct (补正事项)"})
    correction_received_on = _text()
    replied_on = _text()
    outcome_name = _text()
    letter = fields.String(allow_none=True, required=True, metadata={"description": "the reply letter, once replied"})
    attachment = fields.Boolean(required=True, metadata={"description": "the reply has an attachment (the information provided)"})


class CorrectionSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    due_on = _text()


class RegisterEntrySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    doc_number = _text()
    department_id = _id()
    formed_on = _text()
    attribute = fields.String(required=True)
    attribute_ground = _text()


class RegisterSchema(Schema):
    items = fields.List(fields.Nested(RegisterEntrySchema), required=True)


class BodyAddressSchema(Schema):
    name = fields.String(required=True)
    address = fields.String(required=True)


class RequestSettingsSchema(Schema):
    reconsideration_body = fields.Nested(BodyAddressSchema, required=True)
    litigation_court = fields.Nested(BodyAddressSchema, required=True)
    correction_period_days = fields.Integer(required=True)
    delayed_reply_max_days = fields.Integer(required=True, metadata={"description": "Art. 35: the latest 延迟答复, in working days after the deadline"})
    conversion_threshold = fields.Integer(required=True)
    conversion_window_months = fields.Integer(required=True)
    similarity_threshold = fields.Float(required=True)
    fee_payment = _text()
    index_pattern = _text()
    intake_department = _text()
    agency_code = _text()
    agency_kind = _text()
    letter_style = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True, metadata={
        "description": "per agency (root or a department id): number_prefix (发文机关代字), date_numerals (arabic|chinese)"})
