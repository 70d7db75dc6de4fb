"""The engine's JSON API: who may call what, the OpenAPI document, and no 500 for bad input.

Demo users: drafter2/reviewer2 work in 财政局, everyone else in 办公室.
"""

import re

from openapi_spec_validator import validate as validate_openapi

from tests.support.bpmn import diagram, user_task
from tests.support.flows import deploy, deploy_ok, start

ONE_STEP = diagram("one_step", [user_task("review")])
APPROVE = {"data": {"decision": "approve", "opinion": "同意"}}
PUBLIC = {"/api/login", "/api/openapi.json"}


def _api_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule not in PUBLIC and not rule.rule.startswith("/api/public/"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "x" if m.group(1) == "key" else "1", rule.rule)


def test_every_endpoint_needs_a_login(backend, app, client):
    checked = 0
    for method, url in _api_rules(app):
        resp = client.open(url, method=method, json={})
        assert resp.status_code == 401, (method, url, resp.status_code)
        assert resp.get_json()["error"]["code"] == "unauthorized"
        bad = client.open(url, method=method, json={}, headers={"Authorization": "Bearer forged.token"})
        assert bad.status_code == 401, (method, url)
        checked += 1
    assert checked >= 14


def test_wrong_roles_are_refused(backend, api_as):
    admin, reviewer, drafter = api_as("admin"), api_as("reviewer1"), api_as("drafter1")
    deploy_ok(admin, ONE_STEP)
    iid = start(admin, "one_step")
    task_id = reviewer.get("/api/tasks?scope=available").get_json()["items"][0]["id"]

    assert deploy(reviewer, ONE_STEP).status_code == 403
    assert reviewer.post("/api/process-instances", json={"definition_key": "one_step"}).status_code == 403
    assert reviewer.get("/api/incidents").status_code == 403
    assert reviewer.post("/api/incidents/1/retry").status_code == 403
    # A drafter of the same department sees the instance, not the reviewer's task: it answers as missing.
    assert drafter.get(f"/api/process-instances/{iid}").status_code == 200
    assert drafter.get(f"/api/tasks/{task_id}").status_code == 404
    assert drafter.post(f"/api/tasks/{task_id}/claim").status_code == 404
    assert drafter.post(f"/api/tasks/{task_id}/complete", json=APPROVE).status_code == 404
    assert drafter.post(f"/api/tasks/{task_id}/delegate", json={"to": "drafter1", "reason": "x"}).status_code == 404
    assert drafter.post(f"/api/tasks/{task_id}/release").status_code == 404
    # Everyone logged in may read the catalogue of definitions and their diagrams.
    assert drafter.get("/api/process-definitions").status_code == 200
    assert drafter.get("/api/process-definitions/one_step/versions/1/xml").status_code == 200


def test_departments_are_kept_apart(backend, api_as):
    admin, reviewer1, reviewer2 = api_as("admin"), api_as("reviewer1"), api_as("reviewer2")
    deploy_ok(admin, ONE_STEP)
    iid = start(admin, "one_step")  # admin works in 办公室
    task_id = reviewer1.get("/api/tasks?scope=available").get_json()["items"][0]["id"]

    for scope in ("available", "all", "mine", "overdue", "completed"):
        assert reviewer2.get(f"/api/tasks?scope={scope}").get_json() == {"items": [], "total": 0}
    assert reviewer2.get(f"/api/tasks?scope=all&instance_id={iid}").get_json()["total"] == 0
    assert reviewer2.get(f"/api/tasks/{task_id}").status_code == 404
    assert reviewer2.get(f"/api/process-instances/{iid}").status_code == 404
    assert reviewer2.post(f"/api/tasks/{task_id}/claim").status_code == 404
    assert reviewer2.post(f"/api/tasks/{task_id}/complete", json=APPROVE).status_code == 404
    assert reviewer1.post(f"/api/tasks/{task_id}/delegate",
                          json={"to": "reviewer2", "reason": "出差"}).status_code == 422

    assert reviewer1.post(f"/api/tasks/{task_id}/claim").status_code == 200
    assert reviewer2.post(f"/api/tasks/{task_id}/release").status_code == 404  # not even seen
    assert admin.get(f"/api/tasks/{task_id}").status_code == 200  # admins see every task
    assert reviewer1.post(f"/api/tasks/{task_id}/complete", json=APPROVE).status_code == 200


def test_a_claimed_task_belongs_to_its_claimant(backend, api_as):
    from engine import users

    users.create_user("reviewer3", "harbour-lantern-3", ["dept_reviewer"], "办公室")
    admin, reviewer1 = api_as("admin"), api_as("reviewer1")
    reviewer3 = api_as().login("reviewer3", "harbour-lantern-3")
    deploy_ok(admin, ONE_STEP)
    start(admin, "one_step")
    task_id = reviewer1.get("/api/tasks?scope=available").get_json()["items"][0]["id"]
    assert reviewer1.post(f"/api/tasks/{task_id}/claim").status_code == 200
    assert reviewer3.get("/api/tasks?scope=available").get_json()["total"] == 0
    assert reviewer3.post(f"/api/tasks/{task_id}/claim").status_code == 409
    assert reviewer3.post(f"/api/tasks/{task_id}/complete", json=APPROVE).status_code == 409
    assert reviewer1.get("/api/tasks?scope=mine").get_json()["total"] == 1
    assert reviewer1.post(f"/api/tasks/{task_id}/release").status_code == 200
    assert reviewer3.get("/api/tasks?scope=available").get_json()["total"] == 1


def test_openapi_document_is_valid_and_lists_the_endpoints(backend, client):
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200
    spec = resp.get_json()
    validate_openapi(spec)
    assert spec["openapi"].startswith("3.")
    for path, method in [("/api/login", "post"), ("/api/process-definitions", "get"),
                         ("/api/process-definitions", "post"), ("/api/process-instances", "post"),
                         ("/api/process-instances/{instance_id}", "get"), ("/api/tasks", "get"),
                         ("/api/tasks/{task_id}", "get"), ("/api/tasks/{task_id}/claim", "post"),
                         ("/api/tasks/{task_id}/release", "post"), ("/api/tasks/{task_id}/delegate", "post"),
                         ("/api/tasks/{task_id}/complete", "post"), ("/api/incidents", "get"),
                         ("/api/incidents/{incident_id}/retry", "post")]:
        assert method in spec["paths"].get(path, {}), (path, method)


BAD_QUERIES = ["limit=100000", "limit=-1", "limit=abc", "offset=-5", "offset=99999999999999999999999",
               "scope=everything", "instance_id=abc", "instance_id=99999999999999999999", "sort=sideways",
               "overdue=perhaps", "q=" + "x" * 5000]


def test_bad_task_queries_are_422(backend, api_as):
    reviewer = api_as("reviewer1")
    for query in BAD_QUERIES:
        resp = reviewer.get(f"/api/tasks?{query}")
        assert resp.status_code == 422, (query, resp.status_code)
        assert resp.get_json()["error"]["code"] == "invalid"


def test_bad_input_never_gives_a_500(backend, api_as):
    admin, reviewer = api_as("admin"), api_as("reviewer1")
    deploy_ok(admin, ONE_STEP)
    start(admin, "one_step")
    task_id = reviewer.get("/api/tasks?scope=available").get_json()["items"][0]["id"]
    json_headers = {"Content-Type": "application/json"}
    cases = [
        (admin.post("/api/process-instances", data="{not json", headers=json_headers), 422),
        (admin.post("/api/process-instances", json=["a", "list"]), 422),
        (admin.post("/api/process-instances", json={"definition_key": 5}), 422),
        (admin.post("/api/process-instances", json={"definition_key": "one_step", "data": "text"}), 422),
        (admin.post("/api/process-instances", json={"definition_key": "nope"}), 404),
        (admin.post("/api/process-instances", json={"definition_key": "x" * 100000}), 422),
        (reviewer.post(f"/api/tasks/{task_id}/complete", data="{oops", headers=json_headers), 422),
        (reviewer.post(f"/api/tasks/{task_id}/complete", json={"data": [1, 2]}), 422),
        (reviewer.post(f"/api/tasks/{task_id}/complete", json={"data": {"decision": {"$gt": 1}}}), 422),
        (reviewer.post(f"/api/tasks/{task_id}/delegate", data="nonsense", headers=json_headers), 422),
        (reviewer.post(f"/api/tasks/{task_id}/delegate", json={"to": 7, "reason": ""}), 422),
        (reviewer.get("/api/tasks/99999999999999999999"), 404),
        (reviewer.post("/api/tasks/2147483648/claim"), 404),
        (reviewer.get("/api/process-instances/99999999999999999999"), 404),
        (admin.post("/api/incidents/99999999999999999999/retry"), 404),
        (admin.get("/api/process-definitions/one_step/versions/99999999999999999999/xml"), 404),
        (admin.post("/api/process-definitions", data=b"\xff\xfe not xml",
                    headers={"Content-Type": "application/xml"}), 422),
        (admin.post("/api/process-definitions", data="<a><b></a>", headers={"Content-Type": "text/xml"}), 422),
        (admin.post("/api/process-definitions", data="plain", headers={"Content-Type": "text/plain"}), 422),
        (admin.post("/api/login", json={"username": None, "password": 5}), 422),
    ]
    for resp, expected in cases:
        assert resp.status_code == expected, (resp.request.path, resp.status_code, resp.get_json())
        assert "error" in resp.get_json()
