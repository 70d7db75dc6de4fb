"""Service tasks through a real rq worker on real Redis: retries, incidents, retry, the sweeper.

A test-only operation is registered for the length of one test (operations are a plain registry
and must be known at deploy). Retry back-off is set to zero so a burst worker runs every try.
"""

import pytest

from engine import config, queue
from engine.models import AuditEvent, Incident, Outbox
from engine.workflow import operations, service_tasks
from tests.support.bpmn import diagram, script_task, service_task, user_task
from tests.support.flows import deploy_ok, instance, rows, run_worker, start


@pytest.fixture
def flaky(monkeypatch):
    """Register `fail_n_times`: it fails `state["fail"]` times, then returns its call count."""
    monkeypatch.setattr(config.current(), "retry_backoff", (0,))
    monkeypatch.setattr(config.current(), "job_retries", 3)
    state = {"fail": 0, "calls": 0}

    @operations.operation("fail_n_times")
    def fail_n_times(ctx):
        state["calls"] += 1
        if state["calls"] <= state["fail"]:
            raise RuntimeError(f"对端不可用 (try {state['calls']})")
        return {"calls": state["calls"], "param": ctx.params.get("what")}

    yield state
    operations._registry.pop("fail_n_times", None)


FLAKY = diagram("flaky", [service_task("call", operation="fail_n_times", params={"what": "'x' + '1'"}),
                          user_task("after")])


def _outbox(instance_id) -> Outbox:
    (row,) = rows(Outbox, Outbox.instance_id == instance_id)
    return row


def test_a_service_task_waits_for_the_worker_and_gets_its_result(backend, api_as, flaky):
    admin = api_as("admin")
    deploy_ok(admin, FLAKY)
    iid = start(admin, "flaky")
    row = _outbox(iid)
    assert (row.status, row.operation, row.params) == ("pending", "fail_n_times", {"what": "x1"})
    assert instance(admin, iid)["status"] == "running"
    assert flaky["calls"] == 0  # nothing ran inside the web request

    run_worker()
    assert _outbox(iid).status == "done"
    body = instance(admin, iid)
    assert body["data"]["call_result"] == {"calls": 1, "param": "x1"}
    assert "after" not in body["completed_bpmn_ids"] and "call" in body["completed_bpmn_ids"]
    # The job is idempotent: running the row again does nothing.
    assert service_tasks.run_outbox(row.id) == "skipped"
    assert flaky["calls"] == 1


def test_failures_are_retried_with_the_queue(backend, api_as, flaky):
    flaky["fail"] = 2
    admin = api_as("admin")
    deploy_ok(admin, FLAKY)
    iid = start(admin, "flaky")
    run_worker()
    row = _outbox(iid)
    assert (row.status, row.attempts) == ("done", 2)
    assert "try 2" in row.last_error
    assert instance(admin, iid)["incidents"] == []
    assert instance(admin, iid)["data"]["call_result"]["calls"] == 3


def test_the_last_failure_opens_an_incident_an_admin_can_retry(backend, api_as, flaky):
    flaky["fail"] = 99
    admin, reviewer = api_as("admin"), api_as("reviewer1")
    deploy_ok(admin, FLAKY)
    iid = start(admin, "flaky")
    run_worker()
    row = _outbox(iid)
    assert (row.status, row.attempts) == ("failed", 3)
    body = instance(admin, iid)
    assert body["status"] == "error"
    (incident,) = body["incidents"]
    assert incident["bpmn_id"] == "call" and "对端不可用" in incident["message"]
    assert [i["id"] for i in admin.get("/api/incidents").get_json()["items"]] == [incident["id"]]
    assert reviewer.get("/api/incidents").status_code == 403
    assert reviewer.post(f"/api/incidents/{incident['id']}/retry").status_code == 403

    flaky["fail"] = 0
    retried = admin.post(f"/api/incidents/{incident['id']}/retry")
    assert retried.status_code == 200, retried.get_json()
    assert admin.post(f"/api/incidents/{incident['id']}/retry").status_code == 409
    run_worker()
    body = instance(admin, iid)
    assert body["status"] == "running"  # on to the user task
    assert body["incidents"][0]["resolved_at"] is not None
    assert _outbox(iid).status == "done"
    assert admin.get("/api/incidents").get_json()["items"] == []
    assert admin.post("/api/incidents/999999/retry").status_code == 404


def test_a_failure_after_the_operation_also_ends_in_an_incident(backend, api_as, flaky):
    admin = api_as("admin")
    deploy_ok(admin, diagram("breaks_after", [service_task("call", operation="fail_n_times"),
                                              script_task("oops", "x = 1 / 0"), user_task("after")]))
    iid = start(admin, "breaks_after")
    run_worker()
    row = _outbox(iid)
    assert (row.status, row.attempts) == ("failed", 3)
    assert "ZeroDivisionError" in row.last_error or "division" in row.last_error
    assert instance(admin, iid)["status"] == "error"
    assert len(rows(Incident, Incident.instance_id == iid)) == 1


def test_the_sweeper_re_enqueues_jobs_lost_with_redis(backend, api_as, flaky):
    admin = api_as("admin")
    deploy_ok(admin, FLAKY)
    iid = start(admin, "flaky")
    assert service_tasks.sweep_outbox(grace_seconds=0) == 0  # its job is still queued

    queue.redis().flushdb()  # Redis restarted empty: the job is gone, the row is not
    run_worker()
    assert _outbox(iid).status == "pending"
    assert service_tasks.sweep_outbox(grace_seconds=0) == 1
    assert service_tasks.sweep_outbox(grace_seconds=0) == 0  # enqueued once, not twice
    assert service_tasks.sweep_outbox(grace_seconds=3600) == 0  # young rows are left alone
    run_worker()
    assert _outbox(iid).status == "done"
    assert flaky["calls"] == 1
    assert instance(admin, iid)["data"]["call_result"]["calls"] == 1


def test_the_sweeper_leaves_a_retried_incident_alone(backend, api_as, flaky):
    flaky["fail"] = 3
    admin = api_as("admin")
    deploy_ok(admin, FLAKY)
    iid = start(admin, "flaky")
    run_worker()
    (incident,) = instance(admin, iid)["incidents"]
    admin.post(f"/api/incidents/{incident['id']}/retry")
    assert service_tasks.sweep_outbox(grace_seconds=0) == 0  # the retry job is queued
    run_worker()
    assert flaky["calls"] == 4
    assert len(rows(AuditEvent, AuditEvent.instance_id == iid, AuditEvent.action == "service_task_done")) == 1
