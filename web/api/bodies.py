"""Request bodies: one marshmallow schema per JSON body the API accepts, loaded before the engine
sees it (`schemas.parse`), and the same schema in the OpenAPI document.

The schema checks shape and type — an object where text is due, a list where a choice is due — and
names the field in Chinese; the engine still judges the values (dates, who may, what exists). A
body the engine received unchecked is how an object in `report_cycle` became a 500.
"""

from marshmallow import INCLUDE, Schema, fields, validate

from engine.agency_settings import AGENCY_KINDS
from engine.delivery import METHODS
from engine.disclosure import ATTRIBUTES, CATEGORIES, CHANNELS, GROUNDS
from engine.disclosure.guide import MAX_CHARS as GUIDE_CHARS
from engine.disclosure.guide import SECTIONS
from engine.disclosure.redaction import FIELDS as REDACTION_FIELDS
from engine.requests import (
    APPLICANT_TYPES,
    DELIVERIES,
    FORMS,
    ID_TYPES,
    LEGAL_PERSON_SUBTYPES,
    REQUEST_KINDS,
)
from engine.requests import CHANNELS as REQUEST_CHANNELS
from engine.requests.report import ENTERED_FIGURES, PROCEEDING_KINDS, PROCEEDING_RESULTS
from engine.supervision import KINDS as SUPERVISION_KINDS
from engine.workplan import CYCLES
from engine.workplan.deadlines import TASK_RULES

NOT_TEXT = "应为文字 (must be a string)"


class Body(Schema):
    """A JSON object with only the named fields; errors in Chinese, naming the field."""

    refuses_unknown = True  # schemas.parse keeps marshmallow's RAISE for these
    error_messages = {"unknown": "未知字段 (unknown field)", "type": "请求体必须是 JSON 对象 (body must be a JSON object)"}


def chars(limit: int, required=False, **kw) -> fields.String:
    return fields.String(required=required, allow_none=not required, validate=validate.Length(max=limit),
                         error_messages={"invalid": NOT_TEXT, "required": "此项必填 (required)"}, **kw)


def choice(values, required=False, **kw) -> fields.String:
    # The allowed values are documented (enum) and judged by the engine, which names every wrong
    # field of a body at once (Art. 30: all corrections asked together); the schema checks the type.
    values = list(values)
    return fields.String(required=required, allow_none=not required,
                         error_messages={"invalid": f"应为以下之一 (one of): {', '.join(values)}"},
                         metadata={"enum": values + ([] if required else [None, ""])}, **kw)


def day(required=False, **kw) -> fields.String:
    # Kept as text: the engine reads it with calendar.parse_day and says what is wrong with the date.
    return fields.String(required=required, allow_none=not required, validate=validate.Length(max=40),
                         error_messages={"invalid": "日期应为 YYYY-MM-DD (a date as YYYY-MM-DD)"},
                         metadata={"format": "date"}, **kw)


def number_id(required=False, **kw) -> fields.Integer:
    return fields.Integer(required=required, allow_none=not required, strict=True,
                          validate=validate.Range(min=1, max=2**31 - 1),
                          error_messages={"invalid": "应为编号（整数） (must be an integer id)"}, **kw)


def names(limit=100, most=200) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(max=limit), error_messages={"invalid": NOT_TEXT}),
                       allow_none=True, validate=validate.Length(max=most))


class IdOrName(fields.Field):
    """A department or agency named by its id or its name (or `root`)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | str) or (isinstance(value, str) and len(value) > 100):
            raise self.make_error("invalid")
        return value

    default_error_messages = {"invalid": "应为编号或名称 (an id or a name)"}


class YearField(fields.Field):
    """A year as a number or as the text of one (a form field arrives as text)."""

    default_error_messages = {"invalid": "年度应为整数 (a year)"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
            raise self.make_error("invalid")
        return value

    def _jsonschema_type_mapping(self):
        return {"type": "integer"}


# --- documents ------------------------------------------------------------------------------------
class DocumentBody(Body):
    title = chars(300)
    doc_number = chars(100)
    category = choice(CATEGORIES)
    attribute = choice(ATTRIBUTES)
    attribute_ground = choice(GROUNDS)
    attribute_reason = chars(4000)
    formed_on = day()
    formed_time = chars(20)
    channels = fields.List(choice(CHANNELS, required=True), allow_none=True)
    body = chars(2_000_000)
    interpretation = chars(2_000_000)
    topic = chars(100)
    area = chars(100)
    change_kind = chars(40)
    changes_document_id = number_id()
    publicity = fields.Boolean(allow_none=True, error_messages={"invalid": "应为 true 或 false"})
    publicity_until = day()
    summary = chars(2000, metadata={"description": "内容概述 (the engine allows 500 characters)"})


class RedactionBody(Body):
    field = choice(REDACTION_FIELDS)
    findings = fields.List(fields.Dict(), required=True, validate=validate.Length(max=10_000))


# --- agencies and the guide ---------------------------------------------------------------------
class DepartmentChangeBody(Body):
    agency_name = chars(100)
    agency_code = chars(40)
    agency_kind = choice(("department", "government"))
    parent = IdOrName(allow_none=True)


# Every section of the 政府信息公开指南 (Art. 12), built from the engine's list so the two cannot drift;
# the engine requires each of them.
GuideBody = Body.from_dict({key: chars(GUIDE_CHARS, metadata={"description": title}) for key, title in SECTIONS},
                           name="GuideBody")


# --- information requests -------------------------------------------------------------------------
class ApplicantBody(Body):
    name = chars(200)
    id_number = chars(50)
    contact = chars(300)
    type = choice(APPLICANT_TYPES)
    subtype = choice(LEGAL_PERSON_SUBTYPES)
    id_type = choice(ID_TYPES)
    address = chars(300)
    postcode = chars(6)
    legal_representative = chars(100)
    contact_person = chars(100)


class PublicRequestBody(Body):
    applicant = fields.Nested(ApplicantBody, required=True)
    kind = choice(REQUEST_KINDS)
    description = chars(4000)
    form = choice(FORMS)
    delivery = choice(DELIVERIES)
    agency = IdOrName(allow_none=True)


class StaffRequestBody(PublicRequestBody):
    channel = choice(REQUEST_CHANNELS)
    received_on = day()
    confirmed_on = day()
    backdate_reason = chars(2000)


class PublicCorrectionBody(Body):
    code = chars(40, required=True)
    description = chars(4000)


class StaffCorrectionBody(Body):
    received_on = day()
    description = chars(4000)


class DeliveryBody(Body):
    delivery_method = choice(METHODS, required=True)
    delivered_on = day(required=True)


class EmailBody(Body):
    email_to = chars(300, required=True)


class ReasonsBody(Body):
    period_days = fields.Integer(required=True, strict=True, error_messages={"invalid": "应为工作日数（整数）"})


class ReasonsAnswerBody(Body):
    answered_on = day(required=True)
    reasons = chars(4000, required=True)
    reasonable = fields.Boolean(required=True, truthy={True}, falsy={False},
                                error_messages={"invalid": "应为 true 或 false"})


class DelayBody(Body):
    reply_by = day(required=True)


class RemedyBodySchema(Body):
    name = chars(100, required=True)
    address = chars(200, required=True)


class RequestSettingsBody(Body):
    correction_period_days = fields.Integer(strict=True)
    delayed_reply_max_days = fields.Integer(strict=True)
    conversion_threshold = fields.Integer(strict=True)
    conversion_window_months = fields.Integer(strict=True)
    similarity_threshold = fields.Float(allow_nan=False)
    intake_department = chars(100)
    reconsideration_body = fields.Nested(RemedyBodySchema)
    litigation_court = fields.Nested(RemedyBodySchema)
    fee_payment = chars(2000)
    agency_code = chars(40)
    agency_kind = choice(AGENCY_KINDS)
    index_pattern = chars(60)
    crypto_suite = choice(("gm", "international"))
    department_reconsideration_body = fields.Nested(RemedyBodySchema)
    petition_channel = chars(2000)


class AgencyLettersBody(Body):
    """What an agency's letters name; an empty value goes back to the installation's (the engine
    names a body without its name or address)."""

    reconsideration_body = fields.Dict(allow_none=True, error_messages={"invalid": "应为对象 (must be an object)"})
    litigation_court = fields.Dict(allow_none=True, error_messages={"invalid": "应为对象 (must be an object)"})
    petition_channel = chars(2000)


class SplitBody(Body):
    """一事一申请: each part of the request as its own text (a list, or one part per line)."""

    parts = fields.Raw(required=True, metadata={"description": "a list of texts, or one text with a part per line"})
    reason = chars(2000)


class SupervisionBody(Body):
    """A supervision record (Art. 44, 46, 47, 51); the engine judges kinds, dates and who may."""

    agency = IdOrName(allow_none=True)
    kind = choice(SUPERVISION_KINDS)
    received_on = day()
    subject = chars(4000)
    party = chars(200)
    request_id = number_id()
    persons = fields.Integer(strict=True, allow_none=True)


class SupervisionHandledBody(Body):
    handled_on = day()
    result = chars(4000)
    outcome = chars(40)


# --- the annual report ----------------------------------------------------------------------------
class ReportTextBody(Body):
    overview = chars(20000)
    problems = chars(20000)
    other_matters = chars(20000)
    figures = fields.Dict(keys=fields.String(validate=validate.OneOf(ENTERED_FIGURES)),
                          values=fields.Float(allow_nan=False, error_messages={"invalid": "应为数字 (a number)"}),
                          allow_none=True)


class ProceedingBody(Body):
    kind = choice(dict(PROCEEDING_KINDS), required=True)
    result = choice(dict(PROCEEDING_RESULTS), required=True)
    request_id = number_id()
    case_no = chars(100)
    note = chars(4000)


class ProceedingChangeBody(Body):
    result = choice(dict(PROCEEDING_RESULTS), required=True)


# --- the work plan --------------------------------------------------------------------------------
class WorkplanRowBody(Body):
    """A preview row as corrected: the preview's own display fields come back too and are ignored."""

    class Meta:
        unknown = INCLUDE

    task = chars(4000, required=True)
    lead_units = names()
    assist_units = names()
    deadline = chars(100)
    note = chars(2000)
    section = chars(1000)
    rule = choice(TASK_RULES)
    overdue_choice = choice(("escalate", "reschedule", "completed"))
    new_due_on = day()
    completion_note = chars(4000)
    completed_on = day()


class WorkplanPreviewBody(Body):
    text = chars(500_000)
    rows = fields.List(fields.Nested(WorkplanRowBody), allow_none=True, validate=validate.Length(max=2000))
    year = YearField(allow_none=True)
    congress_ends_on = day()


class WorkplanBody(Body):
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100),
                          error_messages={"invalid": "年度应为整数 (a year)"})
    title = chars(200, required=True)
    rows = fields.List(fields.Nested(WorkplanRowBody), required=True, validate=validate.Length(max=2000))
    report_cycle = choice(CYCLES)
    new_units = names()
    congress_ends_on = day()


class CongressDateBody(Body):
    congress_ends_on = day()


class TaskRuleBody(Body):
    rule = choice(TASK_RULES)


class DocumentLinkBody(Body):
    document_id = number_id(required=True)


class WorkplanReportBody(Body):
    """The form `workplan_report` (its own rules judge the values)."""

    text = chars(20000)
    evidence_urls = chars(20000, metadata={"description": "one link per line"})
    document_ids = chars(2000, metadata={"description": "catalogue ids, as '12, 15'"})
    request_completion = fields.Boolean(allow_none=True, error_messages={"invalid": "应为 true 或 false"})


class WorkplanReviewBody(Body):
    """The form `workplan_review`, for one lead department's latest report."""

    department_id = number_id()
    decision = choice(("accept", "return", "complete"), required=True)
    opinion = chars(4000)
