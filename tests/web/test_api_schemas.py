"""The OpenAPI document tells the truth (issue 13, item 13): answers are serialized through the
schemas it declares, and the error answers each operation can give are documented."""

import re

from openapi_schema_validator import OAS30Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from tests.support import information_requests
from tests.support.web import start_review


def _declared(spec, operation, status="200") -> dict:
    ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_an_instance_answer_has_exactly_the_declared_fields(client, api_as):
    start_review()
    admin = api_as("admin")
    spec = client.get("/api/openapi.json").get_json()
    task = admin.get("/api/tasks?scope=all").get_json()["items"][0]
    body = admin.get(f"/api/process-instances/{task['instance_id']}").get_json()
    declared = _declared(spec, spec["paths"]["/api/process-instances/{instance_id}"]["get"])
    assert set(body) <= set(declared["properties"]) and set(declared["required"]) <= set(body)
    assert {"document_id", "request_id", "title", "created_at", "completed_at", "completed_bpmn_ids"} <= set(body)
    assert declared["additionalProperties"] is False
    task_schema = spec["components"]["schemas"]["TaskSchema"]
    assert set(task) <= set(task_schema["properties"])


def test_error_answers_are_documented(client):
    spec = client.get("/api/openapi.json").get_json()
    complete = spec["paths"]["/api/tasks/{task_id}/complete"]["post"]["responses"]
    assert {"401", "403", "404", "409", "422"} <= {str(code) for code in complete}
    assert complete["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponseSchema")
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = {str(code) for code in operation["responses"]}
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put"):
                assert {"404", "409", "422"} <= codes, (method, path)


def _honouring_idempotency(app) -> set:
    """(method, path) of every API operation whose view honours Idempotency-Key."""
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and getattr(app.view_functions[rule.endpoint], "idempotent", False):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            out |= {(method.lower(), path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return out


def test_idempotency_key_is_declared_where_it_is_honoured(app, client, api_as):
    spec = client.get("/api/openapi.json").get_json()
    parameter = spec["components"]["parameters"]["IdempotencyKey"]
    assert (parameter["in"], parameter["name"], parameter["required"]) == ("header", "Idempotency-Key", False)
    declared = {(method, path) for path, operations in spec["paths"].items() for method, operation in operations.items()
                if {"$ref": "#/components/parameters/IdempotencyKey"} in operation.get("parameters", [])}
    assert declared == _honouring_idempotency(app)
    assert {("post", "/api/documents"), ("post", "/api/public/requests"), ("post", "/api/requests"),
            ("post", "/api/process-instances"), ("post", "/api/documents/import")} <= declared
    submit = spec["paths"]["/api/documents"]["post"]["responses"]
    assert "Idempotency-Key" in submit["422"]["description"]
    assert "Idempotent-Replayed" in submit["201"]["headers"]
    # What the document promises is what the API does: the same key with another body is that 422.
    drafter = api_as("drafter1")
    body = {"title": "键", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02", "body": "。"}
    assert drafter.post("/api/documents", json=body, headers={parameter["name"]: "once"}).status_code == 201
    reused = drafter.post("/api/documents", json={**body, "title": "另一个"}, headers={parameter["name"]: "once"})
    assert reused.status_code == 422 and parameter["name"] in reused.get_json()["error"]["fields"]


def test_every_successful_answer_declares_its_body(client):
    spec = client.get("/api/openapi.json").get_json()
    undeclared = [(method, path, status) for path, operations in spec["paths"].items()
                  for method, operation in operations.items() for status, response in operation["responses"].items()
                  if str(status).startswith("2") and not response.get("content")]
    assert undeclared == []


def _conforms(spec, method, path, resp):
    """Validate a real answer against the schema the document declares for its status."""
    assert resp.status_code < 300, resp.get_json()
    declared = spec["paths"][path][method]["responses"][str(resp.status_code)]["content"]["application/json"]
    registry = Registry().with_resource("urn:spec", DRAFT4.create_resource(spec))
    schema = {"$ref": "urn:spec" + declared["schema"]["$ref"]}
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in OAS30Validator(schema, registry=registry).iter_errors(resp.get_json())]
    assert problems == [], (method, path, problems)
    return resp.get_json()


def test_answers_built_as_dicts_have_the_declared_fields(backend, client, api_as):
    spec = client.get("/api/openapi.json").get_json()
    drafter, publisher, admin, reviewer = (api_as(name) for name in ("drafter1", "publisher1", "admin", "reviewer1"))
    body = {"title": "预算说明", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
            "body": "联系人张三，电话13912341234。"}
    doc = _conforms(spec, "post", "/api/documents", drafter.post("/api/documents", json=body))
    _conforms(spec, "get", "/api/documents", drafter.get("/api/documents"))
    _conforms(spec, "get", "/api/documents/{document_id}", drafter.get(f"/api/documents/{doc['id']}"))
    task = reviewer.get(f"/api/tasks?scope=available&document_id={doc['id']}").get_json()["items"][0]
    _conforms(spec, "get", "/api/tasks/{task_id}", reviewer.get(f"/api/tasks/{task['id']}"))
    _conforms(spec, "post", "/api/tasks/{task_id}/claim", reviewer.post(f"/api/tasks/{task['id']}/claim"))
    _conforms(spec, "post", "/api/tasks/{task_id}/release", reviewer.post(f"/api/tasks/{task['id']}/release"))
    _conforms(spec, "get", "/api/documents/{document_id}/reviews/verify",
              drafter.get(f"/api/documents/{doc['id']}/reviews/verify"))
    filed = _conforms(spec, "post", "/api/public/requests", client.post("/api/public/requests", json=information_requests.payload()))
    _conforms(spec, "get", "/api/public/requests/{request_no}",
              client.get(f"/api/public/requests/{filed['request_no']}?code={filed['access_code']}"))
    requests = _conforms(spec, "get", "/api/requests", publisher.get("/api/requests"))
    request_id = requests["items"][0]["id"]
    _conforms(spec, "get", "/api/requests/{request_id}", publisher.get(f"/api/requests/{request_id}"))
    _conforms(spec, "get", "/api/requests/{request_id}/notices", publisher.get(f"/api/requests/{request_id}/notices"))
    _conforms(spec, "get", "/api/requests/settings", publisher.get("/api/requests/settings"))
    _conforms(spec, "get", "/api/requests/register", publisher.get("/api/requests/register"))
    _conforms(spec, "get", "/api/departments", admin.get("/api/departments"))
    _conforms(spec, "get", "/api/public/guide", client.get("/api/public/guide"))
    _conforms(spec, "get", "/api/public/agencies", client.get("/api/public/agencies"))
    _conforms(spec, "get", "/api/reports/returns", admin.get("/api/reports/returns"))
    _conforms(spec, "get", "/api/reports/annual/{year}", admin.get("/api/reports/annual/2026"))
    _conforms(spec, "get", "/api/workplans", admin.get("/api/workplans"))
