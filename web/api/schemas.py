"""marshmallow schemas for API bodies and answers; the OpenAPI document is generated from them."""

from functools import lru_cache

from flask import jsonify, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from engine.errors import Invalid


@lru_cache(maxsize=None)
def _instance(schema_cls):
    # A schema instance is reusable and building one deep-copies every field: build it once. A request
    # body (web.api.bodies) refuses a field it does not name; the older schemas drop it.
    return schema_cls() if getattr(schema_cls, "refuses_unknown", False) else schema_cls(unknown=EXCLUDE)


def parse(schema_cls, payload=None) -> dict:
    """Load the JSON body (or `payload`) with `schema_cls`; raise Invalid with field errors."""
    if payload is None:
        payload = request.get_json(silent=True)
        if payload is None:
            raise Invalid("请求体必须是 JSON 对象 (body must be a JSON object)")
    try:
        return _instance(schema_cls).load(payload)
    except ValidationError as exc:
        raise Invalid("请求参数有误 (invalid request)", fields=field_errors(exc.messages)) from exc


def field_errors(messages, prefix="") -> dict:
    """marshmallow's nested errors as the engine names fields: `applicant.name`, `rows[0].rule`."""
    if not isinstance(messages, dict):
        return {prefix: messages}
    out = {}
    for key, value in messages.items():
        if key == "_schema" and prefix:  # the nested value as a whole: an object was due
            out[prefix] = ["应为对象 (must be an object)"]
            continue
        name = f"{prefix}[{key}]" if isinstance(key, int) else (f"{prefix}.{key}" if prefix else str(key))
        if isinstance(value, dict) and set(value) <= {"key", "value"}:  # a Dict field's entry: name the entry
            value = [m for part in value.values() for m in (part if isinstance(part, list) else [part])]
        out.update(field_errors(value, name) if isinstance(value, dict) else {name: value})
    return out


def respond(schema_cls, data, status: int = 200):
    """Serialize an answer through its schema: what the OpenAPI document declares is what is sent."""
    return jsonify(_dumper(schema_cls).dump(data)), status


@lru_cache(maxsize=None)
def _dumper(schema_cls):
    return schema_cls()


class Iso(fields.String):
    """A day or a moment as ISO 8601 text: the engine hands over `date`/`datetime`, the answer says
    `2026-11-02` or `2026-11-02T09:30:00+08:00` (the OpenAPI type stays a string)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None or isinstance(value, str):
            return value
        return value.isoformat()


class ErrorSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields")


class ErrorResponseSchema(Schema):
    """Every 4xx/5xx answer of the API: {error: {code, message, fields?}, errors?}."""

    error = fields.Nested(ErrorSchema, required=True)
    errors = fields.List(fields.Raw())


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(Schema):
    token = fields.String(required=True)


class LoginUserSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)


class LoginAnswerSchema(TokenSchema):
    user = fields.Nested(LoginUserSchema, required=True)


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class NewPasswordSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class UserSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    department = fields.String(allow_none=True)
    department_id = fields.Integer(allow_none=True)
    roles = fields.List(fields.String())
    active = fields.Boolean(required=True)
    out_of_office = fields.Boolean()
    locked = fields.Boolean()  # after too many failed logins, until an admin unlocks it


class UserListSchema(Schema):
    items = fields.List(fields.Nested(UserSchema), required=True)


class StartInstanceSchema(Schema):
    definition_key = fields.String(required=True, validate=validate.Length(min=1, max=100))
    data = fields.Dict(load_default=dict)


class InstanceStartedSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)


class HistoryEventSchema(Schema):
    at = Iso(required=True)
    action = fields.String(required=True)
    actor = fields.String(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    task_id = fields.Integer(allow_none=True)
    detail = fields.Dict()


class IncidentSchema(Schema):
    id = fields.Integer(required=True)
    instance_id = fields.Integer()
    bpmn_id = fields.String(allow_none=True)
    message = fields.String(allow_none=True)
    created_at = Iso(required=True)
    resolved_at = Iso(allow_none=True)


class IncidentListSchema(Schema):
    items = fields.List(fields.Nested(IncidentSchema), required=True)


class NotificationSchema(Schema):
    id = fields.Integer(required=True)
    message = fields.String(required=True)
    kind = fields.String(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    created_at = Iso(required=True)
    read = fields.Boolean(required=True)


class NotificationListSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema), required=True)


class InstanceSchema(InstanceStartedSchema):
    definition_key = fields.String(required=True)
    version = fields.Integer(required=True)
    document_id = fields.Integer(allow_none=True)
    request_id = fields.Integer(allow_none=True)
    title = fields.String(allow_none=True)
    created_at = Iso(required=True)
    completed_at = Iso(allow_none=True)
    history = fields.List(fields.Nested(HistoryEventSchema), required=True)
    incidents = fields.List(fields.Nested(IncidentSchema), required=True)
    data = fields.Dict()
    completed_bpmn_ids = fields.List(fields.String())
    jobs = fields.List(fields.Dict(), metadata={"description": "service-task jobs and their tries"})


class TaskSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(allow_none=True)
    bpmn_id = fields.String(required=True)
    instance_id = fields.Integer(required=True)
    process_key = fields.String(allow_none=True)
    document_id = fields.Integer(allow_none=True)
    request_id = fields.Integer(allow_none=True)
    role = fields.String(allow_none=True)
    department = fields.Integer(allow_none=True)
    claimed_by = fields.Integer(allow_none=True)
    assignee = fields.Integer(allow_none=True)
    created_at = Iso(required=True)
    due_at = Iso(allow_none=True)
    form_key = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    doc_number = fields.String(allow_none=True)
    status = fields.String(required=True)
    completed_at = Iso(allow_none=True)
    completed_by = fields.Integer(allow_none=True)
    outcome = fields.String(allow_none=True)


class TaskListSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema), required=True)
    total = fields.Integer(required=True)


class ValiditySchema(Schema):
    code = fields.String(required=True, metadata={"description": "valid / expired / repealed"})
    name = fields.String(required=True, metadata={"description": "有效 / 失效 / 废止"})
    since = Iso(allow_none=True)


class PublicityPeriodSchema(Schema):
    """公示期 of a 公示: from its publication day to its last day (null: until taken down)."""
    from_ = Iso(allow_none=True, attribute="from", data_key="from", metadata={"description": "公示期起 (publication day)"})
    to = Iso(allow_none=True, metadata={"description": "公示期至 (never before the minimum period ends)"})
    min_days = fields.Integer(required=True, metadata={
        "description": "minimum period (DMN workplan_deadlines: row publicity:<category>, else publicity)"})
    unit = fields.String(required=True, metadata={"description": "calendar / working days"})
    may_end_on = Iso(allow_none=True, metadata={"description": "first day it may be taken down"})


class PublicDocumentSchema(Schema):
    """A published document as the catalogue lists it, with the catalogue fields (DOMAIN §7)."""
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    doc_number = fields.String(allow_none=True)
    summary = fields.String(allow_none=True, metadata={"description": "内容概述 (de-identified)"})
    category = fields.String(required=True)
    category_name = fields.String(required=True)
    formed_on = Iso(allow_none=True)
    published_at = Iso(allow_none=True)
    index_no = fields.String(allow_none=True, metadata={"description": "索引号"})
    publisher = fields.String(allow_none=True, metadata={"description": "发布机构"})
    published_on = Iso(allow_none=True, metadata={"description": "发布日期"})
    topic = fields.String(allow_none=True, metadata={"description": "主题分类"})
    area = fields.String(allow_none=True, metadata={"description": "基层政务公开标准目录 area"})
    validity = fields.Nested(ValiditySchema)
    publicity = fields.Nested(PublicityPeriodSchema, allow_none=True, metadata={"description": "公示期; null: not a 公示"})


class PublicSearchItemSchema(PublicDocumentSchema):
    """A catalogue item found by a search: its title and a snippet of its text, the terms marked."""
    title_html = fields.String(required=True, metadata={
        "description": "the title as escaped HTML, each place a term matches in <mark>"})
    snippet = fields.String(required=True, metadata={
        "description": "about 120 characters of the text around the first match, escaped HTML with <mark>"})


class PublicDocumentListSchema(Schema):
    items = fields.List(fields.Nested(PublicSearchItemSchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "every match, not only this page"})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


class DocumentChangeSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    kind_name = fields.String(required=True)
    index_no = fields.String(allow_none=True)


class PublicFileSchema(Schema):
    """A published file: always its redacted version."""

    name = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "body | attachment"})
    url = fields.String(required=True, metadata={"description": "download; 410 once the document is taken down"})
    media_type = fields.String(required=True)
    format = fields.String(required=True)
    size = fields.Integer(required=True, metadata={"description": "bytes"})


class PublishedDocumentSchema(PublicDocumentSchema):
    text = fields.String(required=True)
    interpretation = fields.String(allow_none=True)
    changed_by = fields.List(fields.Nested(DocumentChangeSchema))
    files = fields.List(fields.Nested(PublicFileSchema), required=True)


INT_MAX = 2**31 - 1  # INTEGER columns: PostgreSQL errors on larger values, SQLite on 64-bit overflow


def _id_field(**kwargs):
    # Bounded like the INTEGER columns it is compared with.
    return fields.Integer(validate=validate.Range(min=-(2**31), max=INT_MAX), **kwargs)


def db_int(value) -> int:
    """`type=` for request.args/form: an int a database column holds; ValueError otherwise."""
    number = int(value)
    if not -(2**31) <= number <= INT_MAX:
        raise ValueError("out of range")
    return number


def _limit(default: int, most: int):
    return fields.Integer(load_default=default, validate=validate.Range(min=1, max=most))


def _offset():
    return fields.Integer(load_default=0, validate=validate.Range(min=0, max=INT_MAX))


class ListQuerySchema(Schema):
    """?status=&limit=&offset= of the staff lists (documents, requests)."""

    status = fields.String(validate=validate.Length(max=50))
    limit = _limit(50, 200)
    offset = _offset()


class PublicQuerySchema(Schema):
    """?q=&category=&year=&agency=&validity=&publicity=&limit=&offset= of the public catalogue: the
    terms of q (separated by spaces) must all match; title or number matches first, then newest."""

    q = fields.String(validate=validate.Length(max=200))
    category = fields.String(validate=validate.Length(max=50))
    year = fields.Integer(validate=validate.Range(min=1900, max=2200))
    agency = fields.String(validate=validate.Length(max=20), metadata={
        "description": "发布机构: root (the installation) or the department id of an agency (GET /api/public/agencies)"})
    validity = fields.String(validate=validate.OneOf(["valid", "expired", "repealed"]), metadata={
        "description": "有效性: valid (有效), expired (失效), repealed (废止)"})
    publicity_only = fields.Boolean(data_key="publicity", metadata={"description": "true: 公示 items only"})
    limit = _limit(20, 100)
    offset = _offset()


class MigrateOneSchema(Schema):
    to_version = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=1, max=INT_MAX))


class MigrateSchema(MigrateOneSchema):
    from_version = fields.Integer(required=True, validate=validate.Range(min=1, max=INT_MAX))


class TaskQuerySchema(Schema):
    scope = fields.String(load_default="mine",
                          validate=validate.OneOf(["actionable", "mine", "available", "all", "completed", "overdue"]))
    instance_id = _id_field()
    document_id = _id_field()
    request_id = _id_field()
    overdue = fields.Boolean()
    q = fields.String(validate=validate.Length(max=200))
    process_key = fields.String()
    name = fields.String()
    sort = fields.String(load_default="newest", validate=validate.OneOf(["newest", "oldest", "due"]))
    limit = _limit(50, 200)
    offset = _offset()


class CompleteSchema(Schema):
    data = fields.Dict(load_default=dict)


class TakeDownSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "撤下理由, recorded in the audit and the document's timeline"})


class RepublishSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "重新发布理由, recorded in the audit log and the version"})


class CancelSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class DelegateSchema(Schema):
    to = Iso(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class VersionSchema(Schema):
    version = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    deployed_by = fields.String(allow_none=True)
    deployed_at = Iso(required=True)
    running_instances = fields.Integer(required=True)


class DefinitionSummarySchema(Schema):
    key = fields.String(required=True)
    name = fields.String(allow_none=True)
    latest_version = fields.Integer(allow_none=True)
    starter_roles = fields.List(fields.String(), required=True)
    has_draft = fields.Boolean(required=True)
    versions = fields.List(fields.Nested(VersionSchema), required=True)


class DefinitionListSchema(Schema):
    items = fields.List(fields.Nested(DefinitionSummarySchema), required=True)


class DeployedProcessSchema(Schema):
    key = fields.String(required=True)
    version = fields.Integer(required=True)
    created = fields.Boolean(required=True)


class DefinitionSchema(Schema):
    key = fields.String(required=True)
    version = fields.Integer(required=True)
    created = fields.Boolean(required=True)
    processes = fields.List(fields.Nested(DeployedProcessSchema), metadata={
        "description": "every process of the file (a collaboration deploys all its executable processes)"})


class MessageSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    correlation = fields.Dict(load_default=dict, metadata={
        "description": "keys the waiting step's data (or instance_id, document_id, request_id) must equal"})
    data = fields.Dict(load_default=dict)


class MessageDeliveredSchema(Schema):
    name = fields.String()
    delivered = fields.List(fields.Integer())
    started = fields.List(fields.Integer())
