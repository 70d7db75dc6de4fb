"""Every transition runs under a budget: a diagram that never stops fails into an incident.

A self-calling call activity and an endless script loop are started through the API; the request
returns within seconds with the instance in `error` and an incident naming the element, and a
login sent at the same moment on SQLite answers normally instead of "database is locked".
"""

import threading
import time
from pathlib import Path

from engine import bootstrap
from engine.models import Incident
from tests.support.bpmn import diagram, script_task, user_task
from tests.support.flows import deploy_ok, instance, open_tasks, rows, start

DIAGRAMS = Path(__file__).parent / "diagrams"


def _xml(name: str) -> str:
    return (DIAGRAMS / name).read_text(encoding="utf-8")


def test_a_self_calling_process_fails_into_an_incident_while_logins_go_on(backend, api_as, app):
    admin = api_as("admin")
    deploy_ok(admin, _xml("self_call.bpmn"))
    answers = {}

    def start_it():
        began = time.monotonic()
        resp = admin.post("/api/process-instances", json={"definition_key": "self_call", "data": {}})
        answers["start"] = (resp.status_code, resp.get_json(), time.monotonic() - began)

    thread = threading.Thread(target=start_it)
    thread.start()
    time.sleep(0.05)  # the start holds the write lock now
    began = time.monotonic()
    login = app.test_client().post("/api/login", json={"username": "reviewer1", "password": bootstrap.DEMO_PASSWORD})
    login_seconds = time.monotonic() - began
    thread.join(timeout=30)

    assert login.status_code == 200, login.get_json()
    assert login_seconds < 10
    status, body, seconds = answers["start"]
    assert status == 201 and body["status"] == "error", body
    assert seconds < 10
    shown = instance(admin, body["id"])
    assert shown["status"] == "error", shown
    (incident,) = shown["incidents"]
    assert incident["bpmn_id"] == "again" and "子流程嵌套" in incident["message"]


def test_an_endless_loop_stops_at_the_step_budget(backend, api_as):
    admin = api_as("admin")
    deploy_ok(admin, _xml("endless_loop.bpmn"))
    began = time.monotonic()
    iid = start(admin, "endless_loop")
    assert time.monotonic() - began < 10
    shown = instance(admin, iid)
    assert shown["status"] == "error", shown
    assert shown["incidents"][0]["bpmn_id"] in ("count", "join")
    # Retrying runs it again from its last good state: the same loop, a new incident.
    first = shown["incidents"][0]["id"]
    assert admin.post(f"/api/incidents/{first}/retry").status_code == 200
    again = instance(admin, iid)
    assert again["status"] == "error", again
    assert [i["resolved_at"] is None for i in again["incidents"]].count(True) == 1


FAILS_AFTER_REVIEW = diagram("fails_after_review", [
    user_task("review"),
    script_task("compute", "total = price * 2"),  # `price` is never set
])


def test_a_step_that_fails_after_a_completion_is_a_422_naming_it(backend, api_as):
    admin, reviewer = api_as("admin"), api_as("reviewer1")
    deploy_ok(admin, FAILS_AFTER_REVIEW)
    iid = start(admin, "fails_after_review")
    (task,) = open_tasks(reviewer, iid)
    before = instance(admin, iid)["status"]
    resp = reviewer.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "approve", "opinion": "好"}})
    assert resp.status_code == 422, resp.get_json()
    body = resp.get_json()
    assert "compute" in body["error"]["message"] and "price" in body["error"]["message"]
    # Nothing changed: the task is still open, the instance still waits for it.
    assert [t["id"] for t in open_tasks(reviewer, iid)] == [task["id"]]
    assert instance(admin, iid)["status"] == before
    assert rows(Incident, Incident.instance_id == iid) == []


def _complete_review(api, iid):
    (task,) = open_tasks(api, iid)
    return task, api.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "approve", "opinion": "好"}})


def test_a_multi_instance_step_without_its_output_item_is_a_422_naming_it(backend, api_as):
    admin, reviewer = api_as("admin"), api_as("reviewer1")
    deploy_ok(admin, _xml("multi_instance_output.bpmn"))
    iid = start(admin, "multi_instance_output")
    task, resp = _complete_review(reviewer, iid)
    assert resp.status_code == 422, resp.get_json()
    body = resp.get_json()
    assert body["errors"][0]["element_id"] == "each_opinion"
    assert "each_opinion" in body["error"]["message"] and "output" in body["error"]["message"]
    assert [t["id"] for t in open_tasks(reviewer, iid)] == [task["id"]]


def test_a_conditional_event_on_an_unknown_variable_is_a_422_naming_it(backend, api_as):
    admin, reviewer = api_as("admin"), api_as("reviewer1")
    deploy_ok(admin, _xml("conditional_wait.bpmn"))
    iid = start(admin, "conditional_wait")
    task, resp = _complete_review(reviewer, iid)
    assert resp.status_code == 422, resp.get_json()
    assert "until_funded" in resp.get_json()["error"]["message"]
    assert [t["id"] for t in open_tasks(reviewer, iid)] == [task["id"]]
