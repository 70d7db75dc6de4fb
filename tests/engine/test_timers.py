"""Timers: an intermediate wait, a non-interrupting reminder and an interrupting escalation.

The clock is moved with time_machine and the sweep (`timers.fire_due`) is called as the worker's
periodic list would; nothing sleeps. Users log in inside the travelled time: a token signed "in the
future" is rightly refused.
"""

from datetime import datetime, timedelta, timezone

import time_machine

from engine.models import HumanTask, Notification, Outbox, Timer
from engine.workflow import timers
from tests.support.bpmn import diagram, service_task, timer_event, user_task
from tests.support.flows import deploy_ok, instance, rows, run_worker, start

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # a Monday, 09:00 in Beijing

REMINDED = diagram("reminded", [
    timer_event("wait", "'PT1H'"),
    user_task("review", boundary=[
        {"id": "remind", "duration": "'PT2H'", "interrupting": False,
         "target": service_task("remind_notify", params={"role": "'dept_reviewer'", "message": "'请尽快审核'"})},
        {"id": "escalate", "duration": "'PT4H'",
         "target": user_task("escalated", lane="leader", form="review", name="领导督办")},
    ]),
])


def _timers(instance_id) -> dict:
    return {t.bpmn_id: (t.status, t.due_at) for t in rows(Timer, Timer.instance_id == instance_id)}


def _open_tasks(instance_id) -> list[str]:
    return [t.bpmn_id for t in rows(HumanTask, HumanTask.instance_id == instance_id, HumanTask.status == "open")]


def test_intermediate_timer_waits_then_moves_on(backend, api_as):
    with time_machine.travel(T0, tick=False) as clock:
        admin = api_as("admin")
        deploy_ok(admin, REMINDED)
        iid = start(admin, "reminded")
        assert instance(admin, iid)["status"] == "waiting"
        assert _timers(iid) == {"wait": ("waiting", T0 + timedelta(hours=1))}
        assert _open_tasks(iid) == []

        clock.shift(timedelta(minutes=59))
        assert timers.fire_due() == 0
        assert _open_tasks(iid) == []

        clock.shift(timedelta(minutes=2))
        assert timers.fire_due() == 1
        assert _open_tasks(iid) == ["review"]
        found = _timers(iid)
        assert found["wait"][0] == "done"
        assert found["remind"] == ("waiting", T0 + timedelta(hours=1, minutes=1) + timedelta(hours=2))
        assert found["escalate"] == ("waiting", T0 + timedelta(hours=1, minutes=1) + timedelta(hours=4))
        assert timers.fire_due() == 0  # nothing else is due; firing again changes nothing
        assert "timer_fired" in [h["action"] for h in instance(admin, iid)["history"]]


def test_reminder_notifies_and_escalation_takes_the_task_away(backend, api_as):
    with time_machine.travel(T0, tick=False) as clock:
        admin, reviewer, leader = api_as("admin"), api_as("reviewer1"), api_as("leader1")
        deploy_ok(admin, REMINDED)
        iid = start(admin, "reminded")
        clock.shift(timedelta(hours=1, seconds=1))
        assert timers.fire_due() == 1
        task_id = reviewer.get(f"/api/tasks?scope=available&instance_id={iid}").get_json()["items"][0]["id"]
        assert reviewer.post(f"/api/tasks/{task_id}/claim").status_code == 200

        clock.shift(timedelta(hours=2, seconds=1))
        assert timers.fire_due() == 1
        (outbox,) = rows(Outbox, Outbox.instance_id == iid)
        assert (outbox.operation, outbox.status) == ("notify", "pending")
        run_worker()
        assert [n.message for n in rows(Notification, Notification.instance_id == iid)] == ["请尽快审核"]
        assert _open_tasks(iid) == ["review"]  # a reminder does not interrupt
        assert _timers(iid)["remind"][0] == "done"

        clock.shift(timedelta(hours=2, seconds=1))
        assert timers.fire_due() == 1
        assert _open_tasks(iid) == ["escalated"]
        (review,) = rows(HumanTask, HumanTask.instance_id == iid, HumanTask.bpmn_id == "review")
        assert review.status == "cancelled"
        done = reviewer.post(f"/api/tasks/{task_id}/complete", json={"data": {"decision": "approve", "opinion": "晚了"}})
        assert done.status_code == 409
        assert all(status == "done" for status, _due in _timers(iid).values())

        escalated = leader.get(f"/api/tasks?scope=available&instance_id={iid}").get_json()["items"][0]
        assert escalated["name"] == "领导督办"
        finished = leader.post(f"/api/tasks/{escalated['id']}/complete",
                               json={"data": {"decision": "approve", "opinion": "已督办"}})
        assert finished.status_code == 200, finished.get_json()
        assert instance(admin, iid)["status"] == "completed"


def test_completing_in_time_cancels_the_timers(backend, api_as):
    with time_machine.travel(T0, tick=False) as clock:
        admin, reviewer = api_as("admin"), api_as("reviewer1")
        deploy_ok(admin, REMINDED)
        iid = start(admin, "reminded")
        clock.shift(timedelta(hours=1, seconds=1))
        assert timers.fire_due() == 1
        task_id = reviewer.get(f"/api/tasks?scope=available&instance_id={iid}").get_json()["items"][0]["id"]
        done = reviewer.post(f"/api/tasks/{task_id}/complete", json={"data": {"decision": "approve", "opinion": "同意"}})
        assert done.status_code == 200
        assert all(status == "done" for status, _due in _timers(iid).values())
        assert instance(admin, iid)["status"] == "completed"
        clock.shift(timedelta(days=1))
        assert timers.fire_due() == 0
    assert rows(Outbox, Outbox.instance_id == iid) == []


def test_a_timer_due_while_no_worker_ran_fires_on_the_next_sweep(backend, api_as):
    with time_machine.travel(T0, tick=False) as clock:
        admin = api_as("admin")
        deploy_ok(admin, REMINDED)
        iid = start(admin, "reminded")
        clock.shift(timedelta(days=3))  # no worker ran meanwhile
        assert timers.fire_due() == 1
        assert _open_tasks(iid) == ["review"]
        # The task's own timers count from when it appeared, not from when the wait was due.
        assert _timers(iid)["remind"] == ("waiting", T0 + timedelta(days=3, hours=2))
