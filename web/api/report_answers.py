"""marshmallow schemas of the annual report's and the work plans' answers (see `answers` for why
they exist: /api/openapi.json declares them and the tests check real answers against them)."""

from marshmallow import Schema, fields

from web.api.schemas import Iso

# The annual report (国办公开办函〔2021〕30号) -------------------------------------------------------


class KeyNameSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)


class RegulationRowSchema(Schema):
    label = fields.String(required=True)
    source = fields.String(required=True)
    issued = fields.Integer(required=True)
    repealed = fields.Integer(required=True)
    in_force = fields.Integer(required=True)


class Section2Schema(Schema):
    """Proactive disclosure: rules issued and in force, licensing, penalties, coercion, fees."""

    regulations = fields.List(fields.Nested(RegulationRowSchema), required=True)
    licensing = fields.Integer(required=True)
    penalty = fields.Integer(required=True)
    coercion = fields.Integer(required=True)
    fees_amount = fields.Float(required=True)
    proactive_published = fields.Integer(required=True)


class Section3RowSchema(Schema):
    key = fields.String(required=True)
    group = fields.String(required=True)
    label = fields.String(required=True)
    values = fields.Dict(keys=fields.String(), required=True, metadata={"description": "figure per column key"})


class IdentitySchema(Schema):
    formula = fields.String(required=True)
    holds = fields.Boolean(required=True)
    by_column = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True)


class Section3Schema(Schema):
    """Requests received and handled, per kind of applicant (the columns)."""

    columns = fields.List(fields.Nested(KeyNameSchema), required=True)
    rows = fields.List(fields.Nested(Section3RowSchema), required=True)
    identity = fields.Nested(IdentitySchema, metadata={"description": "the report's arithmetic check (staff)"})


class CaseSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    result = fields.String(required=True)
    case_no = fields.String(allow_none=True, required=True)


class Section4KindSchema(KeyNameSchema):
    values = fields.Dict(keys=fields.String(), required=True, metadata={"description": "cases per result key"})


class Section4Schema(Schema):
    """Reconsiderations and lawsuits, per result."""

    kinds = fields.List(fields.Nested(Section4KindSchema), required=True)
    results = fields.List(fields.Nested(KeyNameSchema), required=True)
    cases = fields.List(fields.Nested(CaseSchema), required=True)


class MonthSchema(Schema):
    month = fields.Integer(required=True)
    received = fields.Integer(required=True)
    groups = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class CorrectionsSchema(Schema):
    received = fields.Integer(required=True)
    corrected = fields.Integer(required=True)
    not_corrected = fields.Integer(required=True)
    referred = fields.Integer(required=True)


class FeesSchema(Schema):
    count = fields.Integer(required=True)
    amount = fields.Float(required=True)


class PublishedVersionSchema(Schema):
    year = fields.Integer(required=True)
    version = fields.Integer(required=True)
    agency = fields.String(allow_none=True, required=True)
    agency_id = fields.Integer(allow_none=True, required=True, metadata={"description": "null: the installation's report"})
    published_at = Iso(required=True)
    late = fields.Boolean(required=True)
    reopened_reason = fields.String(allow_none=True, required=True)
    reopened_at = Iso(allow_none=True, required=True)
    deidentified = fields.Dict(keys=fields.String(), metadata={
        "description": "on publishing: what de-identification removed from each free-text field (kind and replacement)"})


class PublishedReportListSchema(Schema):
    items = fields.List(fields.Nested(PublishedVersionSchema), required=True)


class VersionListedSchema(Schema):
    version = fields.Integer(required=True)
    published_at = Iso(required=True)
    reopened_reason = fields.String(allow_none=True)


class AnnualReportSchema(Schema):
    """The year's report: computed for staff, or the frozen published version (with `published`)."""

    year = fields.Integer(required=True)
    agency = fields.String(required=True)
    agency_id = fields.Integer(allow_none=True, metadata={"description": "null: the installation's report"})
    agency_kind = fields.String()
    format = fields.String(required=True)
    publish_by = fields.String(required=True)
    overview = fields.String(required=True)
    problems = fields.String(required=True)
    other_matters = fields.String(required=True)
    section2 = fields.Nested(Section2Schema, required=True)
    section3 = fields.Nested(Section3Schema, required=True)
    section4 = fields.Nested(Section4Schema, required=True)
    by_month = fields.List(fields.Nested(MonthSchema), required=True)
    corrections = fields.Nested(CorrectionsSchema, required=True)
    fees_collected = fields.Nested(FeesSchema, required=True)
    fee_notices = fields.Nested(FeesSchema, metadata={"description": "收费通知书 issued in the year: how many, and for how much"})
    supervision = fields.Dict(keys=fields.String(), metadata={
        "description": "监督保障 counted from the supervision records, per kind (suggestion, assessment, social_review, "
                       "accountability, complaint, report): {received, handled, adopted, upheld, persons}"})
    entered_figures = fields.Dict(keys=fields.String(), metadata={"description": "figures staff entered (staff)"})
    versions = fields.List(fields.Nested(VersionListedSchema), metadata={"description": "published versions (staff)"})
    published = fields.Nested(PublishedVersionSchema, metadata={"description": "the published version (public)"})


class ReportTextSavedSchema(Schema):
    year = fields.Integer(required=True)
    agency_id = fields.Integer(allow_none=True, metadata={"description": "the agency's department id; null: root"})
    saved = fields.Boolean(required=True)


class ProceedingSchema(Schema):
    id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    agency_id = fields.Integer(allow_none=True, metadata={"description": "the agency's department id; null: root"})
    kind = fields.String(required=True)
    result = fields.String(required=True)


# Work plans (政务公开工作要点) ------------------------------------------------------------------------

class WorkplanSummarySchema(Schema):
    id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    title = fields.String(required=True)
    tasks = fields.Integer(required=True, metadata={"description": "tasks the caller may see"})


class WorkplanListSchema(Schema):
    items = fields.List(fields.Nested(WorkplanSummarySchema), required=True)


class SectionSchema(Schema):
    id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True, required=True)
    title = fields.String(required=True)


class LeadSchema(Schema):
    """A lead department's unit of a task, with its own status."""

    unit_id = fields.Integer(required=True)
    department_id = fields.Integer(allow_none=True, required=True)
    department = fields.String(allow_none=True, required=True)
    status = fields.String(required=True)
    status_name = fields.String(required=True)
    completed_on = Iso(allow_none=True, required=True)
    supervised_on = Iso(allow_none=True, required=True)
    instance_id = fields.Integer(allow_none=True, required=True)
    flags = fields.List(fields.String(), required=True)


class WorkplanTaskSchema(Schema):
    id = fields.Integer(required=True)
    plan_id = fields.Integer(required=True)
    section_id = fields.Integer(allow_none=True, required=True)
    task = fields.String(required=True)
    lead_units = fields.List(fields.String(allow_none=True), required=True)
    assist_units = fields.List(fields.String(allow_none=True), required=True)
    deadline = fields.String(allow_none=True, required=True)
    due_on = Iso(allow_none=True, required=True)
    ongoing = fields.Boolean(required=True)
    note = fields.String(allow_none=True, required=True)
    status = fields.String(required=True)
    status_name = fields.String(required=True)
    completed_on = Iso(allow_none=True, required=True)
    rule = fields.String(allow_none=True, metadata={"description": "the deadline rule it follows (poverty_fund_plan)"})
    rule_text = fields.String(allow_none=True)
    completion_note = fields.String(allow_none=True, metadata={"description": "recorded as done at import: how"})
    leads = fields.List(fields.Nested(LeadSchema), required=True)


class WorkplanSchema(Schema):
    id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    title = fields.String(required=True)
    report_cycle = fields.String(required=True)
    congress_ends_on = Iso(allow_none=True, metadata={"format": "date"})
    sections = fields.List(fields.Nested(SectionSchema), required=True)
    tasks = fields.List(fields.Nested(WorkplanTaskSchema), required=True)


class CountsSchema(Schema):
    tasks = fields.Integer(required=True)
    done = fields.Integer(required=True)
    on_time = fields.Integer(required=True)
    late = fields.Integer(required=True)
    at_risk = fields.Integer(required=True)
    no_report = fields.Integer(required=True)
    undelivered_notices = fields.Integer(metadata={"description": "督办单 whose delivery is not recorded yet"})


class DepartmentCountsSchema(CountsSchema):
    department = fields.String(allow_none=True, required=True)


class SectionCountsSchema(CountsSchema):
    section = fields.String(required=True)


class DashboardSchema(Schema):
    plan_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    title = fields.String(required=True)
    period_start = Iso(required=True)
    congress_ends_on = Iso(allow_none=True, metadata={"format": "date"})
    undelivered_notices = fields.Integer()
    departments = fields.List(fields.Nested(DepartmentCountsSchema), required=True)
    sections = fields.List(fields.Nested(SectionCountsSchema), required=True)
    reports = fields.List(fields.Dict(), required=True, metadata={"description": "the latest reports filed, newest first"})


class YearSummarySchema(Schema):
    plan_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    text = fields.String(required=True)
    dashboard = fields.Nested(DashboardSchema, required=True)


class LinkedDocumentSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    doc_number = fields.String(allow_none=True, required=True)
    published_at = Iso(allow_none=True, required=True)


class PlanReportSchema(Schema):
    id = fields.Integer(required=True)
    department = fields.String(allow_none=True, required=True)
    text = fields.String(required=True)
    evidence = fields.List(fields.Dict(), required=True)
    request_completion = fields.Boolean(required=True)
    submitted_by = fields.String(allow_none=True, required=True)
    submitted_by_name = fields.String(allow_none=True, required=True)
    submitted_at = Iso(required=True)
    decision = fields.String(allow_none=True, required=True)
    opinion = fields.String(allow_none=True, required=True)
    reviewed_by = fields.String(allow_none=True, required=True)
    reviewed_by_name = fields.String(allow_none=True, required=True)
    reviewed_at = Iso(allow_none=True)


class SupervisionNoticeSchema(Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    text = fields.String(required=True)
    department = fields.String(allow_none=True, required=True)
    issued_at = Iso(required=True)
    docx_url = fields.String()
    delivery_method = fields.String(allow_none=True)
    delivery_method_name = fields.String(allow_none=True)
    delivered_on = Iso(allow_none=True, metadata={"format": "date"})
    delivered_by = fields.String(allow_none=True)


class WorkplanTaskDetailSchema(WorkplanTaskSchema):
    reports = fields.List(fields.Nested(PlanReportSchema), required=True)
    notices = fields.List(fields.Nested(SupervisionNoticeSchema), required=True)
    history = fields.List(fields.Dict(), metadata={"description": "[{at, event, text, department?}] in order"})
    documents = fields.List(fields.Nested(LinkedDocumentSchema), required=True)
    open_steps = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True,
                             metadata={"description": "per lead department, the steps it may take now"})
    may_report = fields.Boolean(required=True)
    may_review = fields.Boolean(required=True)


class PreviewRowSchema(Schema):
    """A row of an imported plan as the office corrects it, with the deadline it would get."""

    section = fields.String()
    task = fields.String(required=True)
    lead_units = fields.List(fields.String(), required=True)
    assist_units = fields.List(fields.String(), required=True)
    deadline = fields.String()
    note = fields.String()
    problems = fields.List(fields.String())
    rule = fields.String(allow_none=True, metadata={"enum": ["poverty_fund_plan", None]})
    rule_text = fields.String(allow_none=True)
    due_on = Iso(allow_none=True, metadata={"format": "date"})
    deadline_passed = fields.Boolean(required=True)
    overdue_choice = fields.String(allow_none=True)
    new_due_on = Iso(allow_none=True, metadata={"format": "date"})
    completion_note = fields.String(allow_none=True)
    completed_on = Iso(allow_none=True, metadata={"format": "date"})


class WorkplanPreviewSchema(Schema):
    rows = fields.List(fields.Nested(PreviewRowSchema), required=True)
    unknown_units = fields.List(fields.String())
    suggestions = fields.Dict(keys=fields.String(), values=fields.String(),
                              metadata={"description": "for an unknown unit, the department it probably is"})
    year = fields.Integer(required=True)
    title = fields.String(metadata={"description": "the plan's title as the text names it"})


class WorkplanCreatedSchema(Schema):
    id = fields.Integer(required=True)


class OverdueRuleTaskSchema(Schema):
    id = fields.Integer(required=True)
    task = fields.String(required=True)
    due_on = Iso(required=True, metadata={"format": "date"})


class CongressDateSchema(Schema):
    id = fields.Integer(required=True)
    congress_ends_on = Iso(allow_none=True, required=True, metadata={"format": "date"})
    moved = fields.Integer(required=True, metadata={"description": "how many open tasks' deadlines moved"})
    overdue = fields.List(fields.Nested(OverdueRuleTaskSchema), required=True, metadata={
        "description": "open rule tasks whose new deadline has already passed (their 督办 goes out at once)"})


class TaskRuleSchema(Schema):
    id = fields.Integer(required=True)
    rule = fields.String(allow_none=True, required=True)
    rule_text = fields.String(allow_none=True, required=True)
    due_on = Iso(allow_none=True, required=True, metadata={"format": "date"})
    moved = fields.Integer(required=True)


class NoticeDeliveredSchema(SupervisionNoticeSchema):
    task_id = fields.Integer(required=True)


class LinkedDocumentsSchema(Schema):
    task_id = fields.Integer(required=True)
    documents = fields.List(fields.Nested(LinkedDocumentSchema), required=True)
