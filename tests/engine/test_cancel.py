"""Cancelling an instance: admins only, with a reason; everything waiting on it ends with it, its
domain record is told, and nothing cancelled can run or be completed afterwards."""

from datetime import datetime, timedelta, timezone

import time_machine

from engine.models import HumanTask, Outbox, Timer
from engine.workflow import timers
from tests.support.bpmn import diagram, service_task, user_task
from tests.support.flows import deploy_ok, instance, rows, run_worker, start

APPROVE = {"data": {"decision": "approve", "opinion": "同意"}}
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
PARALLEL_WORK = diagram("cancellable", [
    user_task("review", name="初审", boundary=[
        {"id": "remind", "duration": "'PT2H'", "interrupting": False,
         "target": service_task("remind_notify", params={"role": "'dept_reviewer'", "message": "'请尽快审核'"})}]),
])


def test_an_admin_cancels_and_everything_waiting_ends(backend, api_as):
    with time_machine.travel(T0, tick=False) as clock:
        admin, reviewer = api_as("admin"), api_as("reviewer1")
        deploy_ok(admin, PARALLEL_WORK)
        iid = start(admin, "cancellable", {"title": "将被撤销的流程"})
        clock.move_to(T0 + timedelta(hours=3))
        assert timers.fire_due() == 1  # the reminder's notification now waits for a worker
        task = reviewer.get("/api/tasks?scope=available").get_json()["items"][0]
        assert reviewer.post(f"/api/tasks/{task['id']}/claim").status_code == 200

        assert reviewer.post(f"/api/process-instances/{iid}/cancel", json={"reason": "重复提交"}).status_code == 403
        assert admin.post(f"/api/process-instances/{iid}/cancel", json={}).status_code == 422
        resp = admin.post(f"/api/process-instances/{iid}/cancel", json={"reason": "重复提交"})
        assert resp.status_code == 200 and resp.get_json() == {"id": iid, "status": "cancelled"}

        assert [t.status for t in rows(HumanTask, HumanTask.instance_id == iid)] == ["cancelled"]
        assert {o.status for o in rows(Outbox, Outbox.instance_id == iid)} == {"cancelled"}
        assert {t.status for t in rows(Timer, Timer.instance_id == iid)} <= {"done"}
        run_worker()  # the notification job finds nothing to do
        body = instance(admin, iid)
        assert body["status"] == "cancelled" and body["completed_at"]
        assert body["history"][-1]["action"] == "instance_cancelled"
        assert body["history"][-1]["detail"] == {"reason": "重复提交"}
        assert "service_task_done" not in [h["action"] for h in body["history"]]

        done = reviewer.post(f"/api/tasks/{task['id']}/complete", json=APPROVE)
        assert done.status_code == 409
        assert reviewer.get("/api/tasks?scope=mine").get_json()["total"] == 0
        again = admin.post(f"/api/process-instances/{iid}/cancel", json={"reason": "再来一次"})
        assert again.status_code == 409


def test_a_cancelled_document_is_withdrawn_and_a_request_closes_as_other(api_as, settings):
    from tests.support.information_requests import Staff, detail, register

    admin = api_as("admin")
    doc_id = api_as("drafter1").post("/api/documents", json={
        "title": "撤回的文件", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
        "body": "正文"}).get_json()["id"]
    doc = admin.get(f"/api/documents/{doc_id}").get_json()
    assert admin.post(f"/api/process-instances/{doc['instance_id']}/cancel",
                      json={"reason": "起草人撤回"}).status_code == 200
    assert admin.get(f"/api/documents/{doc_id}").get_json()["status"] == "withdrawn"

    publisher = Staff(api_as, settings.secret_key)("publisher1")
    req = register(publisher)
    assert admin.post(f"/api/process-instances/{detail(publisher, req['id'])['instance_id']}/cancel",
                      json={"reason": "申请人撤回申请"}).status_code == 200
    after = detail(publisher, req["id"])
    assert (after["status"], after["outcome"], after["outcome_reason"]) == ("withdrawn", "other", "other")
    assert after["closed_on"] is not None
    assert admin.get(f"/api/tasks?scope=all&request_id={req['id']}").get_json()["total"] == 0
