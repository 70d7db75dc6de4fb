"""marshmallow schemas of the API's answers (documents, requests, departments, the guide, task actions).

Every handler answers through `respond(Schema, obj)`, so a schema is both what is sent and what
/api/openapi.json declares: a field it does not name is not sent (tests/web/test_api_boundary.py
checks each handler names the schema its docstring declares). Structures whose keys are data (a
report's column values, a form's fields, an audit entry's details) are plain objects.
"""

from marshmallow import Schema, fields

from web.api.schemas import HistoryEventSchema, Iso, PublicityPeriodSchema, TaskSchema, ValiditySchema


def nullable_text(**kwargs):
    return fields.String(allow_none=True, required=True, **kwargs)


def nullable_day(**kwargs):
    """A day or a moment the engine hands over as `date`/`datetime` (or already as text), or null."""
    return Iso(allow_none=True, required=True, **kwargs)


def nullable_id():
    return fields.Integer(allow_none=True, required=True)


# Departments and the guide ------------------------------------------------------------------------

class DepartmentSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    agency_name = nullable_text()
    agency_code = nullable_text()
    agency_kind = nullable_text()
    parent = nullable_text(metadata={"description": "the parent department's name"})
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
    id = nullable_id()
    name = fields.String(required=True)
    kind = fields.String(required=True)
    takes_requests = fields.Boolean(required=True, metadata={
        "description": "an active 公开专员 can take a request addressed to it now; the public form offers only these"})


class AgencyListSchema(Schema):
    items = fields.List(fields.Nested(AgencySchema), required=True)


class GuideSchema(Schema):
    agency = fields.String(required=True)
    agency_id = nullable_id()
    agency_key = fields.String(required=True, metadata={"description": "root, or the agency's department id"})
    complete = fields.Boolean(required=True)
    sections = fields.List(fields.Nested(GuideSectionSchema), required=True)
    updated_at = nullable_day()
    updated_by = nullable_text()


# Documents ----------------------------------------------------------------------------------------

class TakenDownSchema(Schema):
    at = Iso(required=True)
    by = nullable_text()
    reason = nullable_text()


class DocumentSchema(Schema):
    """A document as the staff list shows it."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(allow_none=True, metadata={"description": "内容概述 as written (the catalogue shows it de-identified)"})
    doc_number = nullable_text()
    category = fields.String(required=True)
    attribute = nullable_text()
    attribute_ground = nullable_text()
    attribute_reason = nullable_text()
    channels = fields.List(fields.String(), required=True)
    department_id = nullable_id()
    instance_id = nullable_id()
    status = fields.String(required=True)
    formed_on = nullable_day()
    publish_by = nullable_text()
    published_at = nullable_day()
    published_on = nullable_day()
    publisher = nullable_text()
    index_no = nullable_text()
    topic = nullable_text()
    area = nullable_text()
    validity = fields.Nested(ValiditySchema, required=True)
    change_kind = nullable_text()
    changes_document_id = nullable_id()
    return_reason = nullable_text()
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
    replacement = nullable_text()
    score = fields.Float(required=True)
    refers_to = fields.String(allow_none=True, metadata={"description": "the name a title or pronoun stands for"})


class RedactionSchema(Schema):
    field = fields.String(required=True)
    redacted_text = nullable_text()
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
    due_at = nullable_day()


class ReviewRecordSchema(Schema):
    seq = fields.Integer(required=True)
    document_id = fields.Integer(required=True)
    task_id = nullable_id()
    stage = fields.String(required=True)
    role = fields.String(required=True)
    reviewer_id = fields.Integer(required=True)
    reviewer_name = fields.String(required=True)
    decision = fields.String(required=True)
    opinion = nullable_text()
    attribute = nullable_text()
    ground = nullable_text()
    channels = fields.List(fields.String(), required=True)
    content_sha256 = fields.String(required=True)
    prev_hash = fields.String(required=True)
    record_hash = fields.String(required=True)
    hash_algorithm = fields.String(required=True, metadata={"description": "sha256 or sm3: the digest that made record_hash"})
    signing_key_id = nullable_id()
    signed = fields.Boolean(required=True, metadata={"description": "signed by the reviewer (SM2 in the 国密 suite)"})
    created_at = Iso(required=True)


class PublicationSchema(Schema):
    channel = fields.String(required=True)
    url = nullable_text()
    published_at = Iso(required=True)
    status = fields.String()


class ProgressSchema(Schema):
    working = fields.Dict(allow_none=True, required=True, metadata={
        "description": "the service task a worker is on: {operation, name, since, seconds, attempts}"})
    incident = fields.Dict(allow_none=True, required=True)


class DocumentFileSchema(Schema):
    """One of a document's files as staff see it (never its content)."""

    id = fields.Integer(required=True)
    role = fields.String(required=True, metadata={"description": "body | attachment"})
    name = fields.String(required=True, metadata={"description": "the name it was uploaded with"})
    kind = fields.String(required=True, metadata={"description": "pdf, ofd, docx, xlsx, xls, csv, png, jpeg, tiff"})
    format = fields.String(required=True)
    media_type = fields.String(required=True)
    size = fields.Integer(required=True)
    pages = nullable_id()
    state = fields.String(required=True, metadata={
        "description": "uploaded (not read yet) | read (findings proposed) | held (cannot be made safe: message)"})
    message = nullable_text()
    hidden = fields.List(fields.String(), required=True, metadata={
        "description": "what the file carries out of sight, cleaned on redaction (metadata, comments, hidden sheets …)"})
    findings = fields.Integer(required=True, metadata={"description": "findings and regions to be removed"})
    withheld = fields.Boolean(required=True, metadata={"description": "kept out of publication by the publisher"})
    confirmed_by = nullable_text()
    confirmed_at = nullable_day()
    redacted = fields.Boolean(required=True, metadata={"description": "its redacted version exists"})


class DocumentFileListSchema(Schema):
    items = fields.List(fields.Nested(DocumentFileSchema), required=True)


class FileRedactionSchema(Schema):
    id = fields.Integer(required=True)
    redacted_text = fields.String(required=True, metadata={"description": "the file's text as it will read"})
    findings = fields.List(fields.Nested(FindingSchema), required=True)
    regions = fields.List(fields.Dict(), required=True, metadata={"description": "[{page, x0, y0, x1, y1}]"})
    places = fields.List(fields.Dict(), required=True, metadata={
        "description": "per finding: {boxes: [[page, x0, y0, x1, y1]], cells: [[sheet, row, column]]}"})


class FileCheckSchema(DocumentFileSchema):
    """A file as the publisher checks it (staff who may see the document read it too)."""

    text = fields.String(required=True, metadata={"description": "the file's text as the detector read it; "
                                                                 "findings are spans of it"})
    findings = fields.List(fields.Dict(), required=True)
    regions = fields.List(fields.Dict(), required=True)
    places = fields.List(fields.Dict(), required=True)
    page_sizes = fields.List(fields.List(fields.Float()), required=True, metadata={
        "description": "each page's width and height (points; pixels for images): regions are in these units"})
    sheets = fields.List(fields.Dict(), required=True, metadata={"description": "a sheet's rows of cells with their spans"})


class DocumentDetailSchema(DocumentSchema):
    body = fields.String(required=True)
    interpretation = nullable_text()
    redacted_text = nullable_text()
    redaction_confirmed_by = nullable_text()
    publish_by_provisional = fields.Boolean(required=True)
    findings = fields.List(fields.Nested(FindingSchema), required=True)
    redactions = fields.List(fields.Nested(FieldRedactionSchema), required=True)
    reviews = fields.List(fields.Nested(ReviewRecordSchema), required=True)
    publications = fields.List(fields.Nested(PublicationSchema), required=True)
    current_tasks = fields.List(fields.Nested(CurrentTaskSchema), required=True)
    progress = fields.Nested(ProgressSchema, required=True)
    history = fields.List(fields.Nested(HistoryEventSchema), required=True)
    may_take_down = fields.Boolean(required=True, metadata={"description": "the caller may take it down (撤下) now"})
    files = fields.List(fields.Nested(DocumentFileSchema), required=True)


class DocumentSubmittedSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    instance_id = nullable_id()
    files = fields.List(fields.Nested(DocumentFileSchema), required=True)


class ImportedSchema(Schema):
    imported = fields.Integer(required=True)
    document_ids = fields.List(fields.Integer(), required=True)


class RecordCheckSchema(Schema):
    seq = fields.Integer(required=True)
    stage = fields.String(required=True)
    reviewer = fields.String(required=True)
    hash_algorithm = fields.String(required=True)
    signed = fields.Boolean(required=True)
    ok = fields.Boolean(required=True)
    problem = nullable_text()


class ReviewChainSchema(Schema):
    intact = fields.Boolean(required=True)
    records = fields.Integer(required=True)
    broken_at = nullable_id()
    problem = nullable_text()
    checked = fields.List(fields.Nested(RecordCheckSchema), required=True)


class ReturnsSchema(Schema):
    department = nullable_text()
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
    subtype = nullable_text()
    name = fields.String(required=True)
    id_type = nullable_text()
    id_number = nullable_text()
    contact = nullable_text()
    contact_person = nullable_text()
    legal_representative = nullable_text()
    address = nullable_text()
    postcode = nullable_text()


class RequestSchema(Schema):
    """A request as the staff list shows it."""

    id = fields.Integer(required=True)
    request_no = fields.String(required=True)
    kind = fields.String(required=True)
    channel = fields.String(required=True)
    applicant = fields.Nested(ApplicantSchema, required=True)
    description = fields.String(required=True)
    form = nullable_text()
    delivery = nullable_text()
    department = nullable_text()
    department_id = nullable_id()
    instance_id = nullable_id()
    status = fields.String(required=True)
    status_name = nullable_text()
    outcome = nullable_text()
    outcome_name = nullable_text()
    outcome_reason = nullable_text()
    outcome_reason_name = nullable_text()
    received_on = nullable_day()
    receipt_on = nullable_day()
    confirmed_on = nullable_day()
    due_on = nullable_day()
    due_provisional = fields.Boolean(required=True)
    closed_on = nullable_day()


class RequestListSchema(Schema):
    items = fields.List(fields.Nested(RequestSchema), required=True)


class NoticeSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    kind_name = nullable_text()
    recipient = nullable_text()
    text = fields.String(required=True)
    created_at = Iso(required=True)
    created_by = nullable_text()
    delivery_method = nullable_text()
    delivered_on = nullable_day()
    docx_url = fields.String(required=True)


class NoticeListSchema(Schema):
    items = fields.List(fields.Nested(NoticeSchema), required=True)


class ConsultationSchema(Schema):
    notice_id = nullable_id()
    party = fields.String(required=True)
    recipient = nullable_text()
    due_on = nullable_day()
    answer = nullable_text()
    answer_name = nullable_text()
    effective = nullable_text()
    due_provisional = fields.Boolean(metadata={"description": "true until the letter's delivery is recorded (Art. 32)"})
    delivered_on = nullable_day(metadata={"description": "the day the party received the 征求意见书; its 15 working days start"})


class PauseSchema(Schema):
    reason = fields.String(required=True)
    started_on = Iso(required=True)
    ended_on = nullable_day()
    note = nullable_text()


class ReplyLetterSchema(Schema):
    id = fields.Integer(required=True)
    outcome = fields.String(required=True)
    outcome_reason = nullable_text()
    text = fields.String(required=True)
    created_by = nullable_text()
    signed_by = nullable_text()
    signed_at = nullable_day()
    delivery_method = nullable_text()
    delivery_note = nullable_text()
    delivered_on = nullable_day()


class ReasonsOpenSchema(Schema):
    id = fields.Integer(required=True)
    due_on = nullable_day()
    earliest = Iso(required=True)
    latest = Iso(required=True)
    lapsed = fields.Boolean(required=True)


class ReasonsAnsweredSchema(Schema):
    on = Iso(required=True)
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

    after = Iso(required=True)
    earliest = Iso(required=True)
    latest = Iso(required=True)


class RequestDetailSchema(RequestSchema):
    agency = nullable_text(metadata={"description": "受理机关: the agency the request is answered in the name of"})
    clock_start = nullable_day()
    correction_due_on = nullable_day()
    correction_items = fields.List(fields.String(), required=True)
    extension_days = fields.Integer(required=True)
    delay_days = fields.Integer(required=True, metadata={"description": "working days added by an Art. 35 延迟答复"})
    delay = fields.Nested(DelayOptionsSchema, allow_none=True, required=True)
    reasons = fields.Nested(ReasonsOptionsSchema, allow_none=True, required=True)
    paused_days = fields.Integer(required=True)
    pauses = fields.List(fields.Nested(PauseSchema), required=True)
    fee = fields.Dict(required=True)
    material = nullable_text()
    redacted_material = nullable_text()
    consultations = fields.List(fields.Nested(ConsultationSchema), required=True)
    notices = fields.List(fields.Nested(NoticeSchema), required=True)
    reply_letter = fields.Nested(ReplyLetterSchema, allow_none=True, required=True)
    current_tasks = fields.List(fields.Nested(CurrentTaskSchema), required=True)
    history = fields.List(fields.Nested(HistoryEventSchema), required=True)
    split_from_id = nullable_id()
    catalogue_check = fields.Dict(required=True, metadata={
        "description": "before a 不存在/不予公开 reply: {outcome, terms, matches: [{id, title, index_no, doc_number, url, term}],"
                       " override_reason, by, at}; {} when none was needed"})


class SplitSchema(Schema):
    """一事一申请: the request kept (its first part), the new requests and the 分件处理告知书."""

    request = fields.Nested(RequestSchema, required=True)
    parts = fields.List(fields.Nested(RequestSchema), required=True)
    notice_id = fields.Integer(required=True)


class PublicRequestFiledSchema(Schema):
    request_no = fields.String(required=True)
    agency = fields.String(required=True, metadata={"description": "the 行政机关 that received it"})
    access_code = fields.String(required=True, metadata={"description": "needed to look the request up"})
    received_on = nullable_day()
    due_on = nullable_day()


class RequestRegisteredSchema(PublicRequestFiledSchema):
    id = fields.Integer(required=True)


class PublicRequestStatusSchema(Schema):
    request_no = fields.String(required=True)
    status = fields.String(required=True)
    agency = fields.String(required=True, metadata={"description": "the 行政机关 that received it"})
    status_name = nullable_text()
    received_on = nullable_day()
    due_on = nullable_day()
    correction_due_on = nullable_day()
    correction_items = fields.List(fields.String(), required=True, metadata={"description": "what to correct (补正事项)"})
    correction_received_on = nullable_day()
    replied_on = nullable_day()
    outcome_name = nullable_text()
    letter = fields.String(allow_none=True, required=True, metadata={"description": "the reply letter, once replied"})
    attachment = fields.Boolean(required=True, metadata={"description": "the reply has an attachment (the information provided)"})


class CorrectionSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    due_on = nullable_day()


class RegisterEntrySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    doc_number = nullable_text()
    department_id = nullable_id()
    formed_on = nullable_day()
    attribute = fields.String(required=True)
    attribute_ground = nullable_text()


class RegisterSchema(Schema):
    items = fields.List(fields.Nested(RegisterEntrySchema), required=True)


class BodyAddressSchema(Schema):
    name = fields.String(required=True)
    address = fields.String(required=True)


class RequestSettingsSchema(Schema):
    reconsideration_body = fields.Nested(BodyAddressSchema, required=True)
    litigation_court = fields.Nested(BodyAddressSchema, required=True)
    department_reconsideration_body = fields.Nested(BodyAddressSchema, required=True, metadata={
        "description": "the default 复议机关 of the installation's department agencies (the county government, 行政复议法 2023)"})
    petition_channel = nullable_text(metadata={"description": "the 信访 channel an Art. 39 reply names (default for every agency)"})
    correction_period_days = fields.Integer(required=True)
    delayed_reply_max_days = fields.Integer(required=True, metadata={"description": "Art. 35: the latest 延迟答复, in working days after the deadline"})
    conversion_threshold = fields.Integer(required=True)
    conversion_window_months = fields.Integer(required=True)
    similarity_threshold = fields.Float(required=True)
    fee_payment = nullable_text()
    index_pattern = nullable_text()
    intake_department = nullable_text()
    agency_code = nullable_text()
    agency_kind = nullable_text()
    crypto_suite = fields.String(metadata={"description": "gm (SM2/SM3/SM4) or international"})
    letter_style = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True, metadata={
        "description": "per agency (root or a department id): number_prefix (发文机关代字), date_numerals (arabic|chinese)"})


# The re-check of published texts -------------------------------------------------------------------

class AuditRunSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "queued | running | done | failed"})
    requested_by = fields.String(required=True)
    documents_total = fields.Integer(required=True, metadata={"description": "published documents in its scope when asked"})
    documents_done = fields.Integer(required=True)
    suspects = fields.Integer(required=True, metadata={"description": "suspects found so far"})
    attempts = fields.Integer(required=True, metadata={"description": "failed tries so far"})
    error = nullable_text(metadata={"description": "the last failed try's error"})
    created_at = Iso(required=True)
    started_at = nullable_day()
    finished_at = nullable_day()


class AuditRunListSchema(Schema):
    items = fields.List(fields.Nested(AuditRunSchema), required=True)


class SuspectSchema(Schema):
    field = fields.String(required=True, metadata={"description": "title | doc_number | body | interpretation | file:NAME"})
    field_name = fields.String(required=True)
    kind = fields.String(required=True)
    context = fields.String(required=True, metadata={"description": "the text around it, the suspect in 【】"})
    found_at = Iso(required=True)


class SuspectDocumentSchema(Schema):
    document_id = fields.Integer(required=True)
    title = fields.String(required=True)
    index_no = nullable_text()
    suspects = fields.List(fields.Nested(SuspectSchema), required=True)


class SuspectListSchema(Schema):
    items = fields.List(fields.Nested(SuspectDocumentSchema), required=True)


class RepublishedSchema(Schema):
    document_id = fields.Integer(required=True)
    version = fields.Integer(required=True, metadata={"description": "the new published version"})
    fields_ = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, attribute="fields", data_key="fields",
                          metadata={"description": "findings redacted per changed field"})
