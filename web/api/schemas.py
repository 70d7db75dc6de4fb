"""marshmallow schemas for API bodies and answers; the OpenAPI document is generated from them."""

from functools import lru_cache

from flask import request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from engine.errors import Invalid


@lru_cache(maxsize=None)
def _instance(schema_cls):
    # A schema instance is reusable and building one deep-copies every field: build it once.
    return schema_cls(unknown=EXCLUDE)


def parse(schema_cls, payload=None) -> dict:
    """Load the JSON body (or `payload`) with `schema_cls`; raise Invalid with field errors."""
    if payload is None:
        payload = request.get_json(silent=True)
        if payload is None:
            raise Invalid("请求体必须是 JSON 对象 (body must be a JSON object)")
    try:
        return _instance(schema_cls).load(payload)
    except ValidationError as exc:
        raise Invalid("请求参数有误 (invalid request)", fields=exc.messages) from exc


class ErrorSchema(Schema):
    code = fields.String()
    message = fields.String()
    fields_ = fields.Dict(data_key="fields")


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(Schema):
    token = fields.String()


class StartInstanceSchema(Schema):
    definition_key = fields.String(required=True, validate=validate.Length(min=1, max=100))
    data = fields.Dict(load_default=dict)


class InstanceSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    definition_key = fields.String()
    version = fields.Integer()
    data = fields.Dict()
    history = fields.List(fields.Dict())
    incidents = fields.List(fields.Dict())


class TaskSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    bpmn_id = fields.String()
    instance_id = fields.Integer()
    document_id = fields.Integer(allow_none=True)
    request_id = fields.Integer(allow_none=True)
    role = fields.String()
    department = fields.Integer(allow_none=True)
    claimed_by = fields.Integer(allow_none=True)
    created_at = fields.String()
    due_at = fields.String(allow_none=True)
    form_key = fields.String()


class TaskListSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema))
    total = fields.Integer()


def _id_field(**kwargs):
    # Bounded like the INTEGER columns it is compared with (PostgreSQL errors on larger values).
    return fields.Integer(validate=validate.Range(min=-(2**31), max=2**31 - 1), **kwargs)


class TaskQuerySchema(Schema):
    scope = fields.String(load_default="mine",
                          validate=validate.OneOf(["mine", "available", "all", "completed", "overdue"]))
    instance_id = _id_field()
    document_id = _id_field()
    request_id = _id_field()
    overdue = fields.Boolean()
    q = fields.String(validate=validate.Length(max=200))
    process_key = fields.String()
    name = fields.String()
    sort = fields.String(load_default="newest", validate=validate.OneOf(["newest", "oldest", "due"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**31 - 1))


class CompleteSchema(Schema):
    data = fields.Dict(load_default=dict)


class CancelSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class DelegateSchema(Schema):
    to = fields.String(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class DeployedProcessSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    created = fields.Boolean()


class DefinitionSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    created = fields.Boolean()
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
