"""Timers and messages wherever BPMN allows them: behind an event-based gateway, inside a
sub-process, on a sub-process's boundary; a timer whose next step fails opens an incident for its
instance while the sweep goes on with the others.

The clock is moved with time_machine and the sweep called as the worker's periodic list does.
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import time_machine

from engine.models import Incident, Timer
from engine.workflow import timers
from tests.support.bpmn import diagram, script_task, timer_event, user_task
from tests.support.flows import deploy_ok, instance, open_tasks, rows, start

DIAGRAMS = Path(__file__).parent / "diagrams"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def _xml(name: str) -> str:
    return (DIAGRAMS / name).read_text(encoding="utf-8")


def _waiting_timers(iid) -> dict:
    return {t.bpmn_id: t.due_at for t in rows(Timer, Timer.instance_id == iid, Timer.status == "waiting")}


def test_a_timer_behind_an_event_based_gateway_is_scheduled_and_fires(backend, api_as):
    with time_machine.travel(T0, tick=False) as clock:
        admin, publisher = api_as("admin"), api_as("publisher1")
        deploy_ok(admin, _xml("wait_for_reply.bpmn"))
        iid = start(admin, "wait_for_reply")
        assert _waiting_timers(iid) == {"two_hours": T0 + timedelta(hours=2)}
        clock.shift(timedelta(hours=2, seconds=1))
        assert timers.fire_due() == 1
        assert [t["bpmn_id"] for t in open_tasks(publisher, iid)] == ["chase"]
        assert _waiting_timers(iid) == {}


def test_a_message_behind_an_event_based_gateway_arrives_by_correlation(backend, api_as):
    with time_machine.travel(T0, tick=False):
        admin, publisher = api_as("admin"), api_as("publisher1")
        deploy_ok(admin, _xml("wait_for_reply.bpmn"))
        first = start(admin, "wait_for_reply", {"case_no": "A-1"})
        second = start(admin, "wait_for_reply", {"case_no": "B-2"})

        ambiguous = admin.post("/api/messages", json={"name": "reply", "data": {}})
        assert ambiguous.status_code == 422 and "correlation" in ambiguous.get_json()["error"]["fields"]
        nobody = admin.post("/api/messages", json={"name": "reply", "correlation": {"case_no": "C-3"}})
        assert nobody.status_code == 404

        resp = admin.post("/api/messages", json={"name": "reply", "correlation": {"case_no": "B-2"},
                                                 "data": {"reply_text": "同意提供"}})
        assert resp.status_code == 200, resp.get_json()
        assert resp.get_json()["delivered"] == [second]
        (task,) = open_tasks(publisher, second)
        assert task["bpmn_id"] == "handle"
        assert publisher.get(f"/api/tasks/{task['id']}").get_json()["data"]["reply_text"] == "同意提供"
        assert _waiting_timers(second) == {}  # the gateway's other branch is gone
        assert open_tasks(publisher, first) == [] and "two_hours" in _waiting_timers(first)
        assert api_as("reviewer1").post("/api/messages", json={"name": "reply"}).status_code == 403


def test_timers_inside_a_sub_process_fire(backend, api_as):
    with time_machine.travel(T0, tick=False) as clock:
        admin, reviewer = api_as("admin"), api_as("reviewer1")
        deploy_ok(admin, _xml("timers_in_subprocess.bpmn"))
        iid = start(admin, "timers_in_subprocess")
        assert _waiting_timers(iid) == {"cool_down": T0 + timedelta(hours=1), "too_long": T0 + timedelta(hours=3)}
        clock.shift(timedelta(hours=1, seconds=1))
        assert timers.fire_due() == 1
        assert [t["bpmn_id"] for t in open_tasks(reviewer, iid)] == ["review"]
        assert _waiting_timers(iid) == {}


def test_a_boundary_timer_on_a_sub_process_interrupts_it(backend, api_as):
    with time_machine.travel(T0, tick=False) as clock:
        admin, reviewer = api_as("admin"), api_as("reviewer1")
        deploy_ok(admin, _xml("timers_in_subprocess.bpmn").replace('"PT1H"', '"PT5H"'))
        iid = start(admin, "timers_in_subprocess")
        clock.shift(timedelta(hours=3, seconds=1))
        assert timers.fire_due() == 1
        assert [t["bpmn_id"] for t in open_tasks(reviewer, iid)] == ["late_review"]
        assert _waiting_timers(iid) == {}


BROKEN_AFTER_TIMER = diagram("broken_after_timer", [
    timer_event("wait", "'PT1H'"),
    script_task("compute", "total = missing_value + 1"),
    user_task("review"),
])
FINE_AFTER_TIMER = diagram("fine_after_timer", [timer_event("wait", "'PT2H'"), user_task("review")])


def test_a_failing_step_after_a_timer_opens_an_incident_and_the_sweep_goes_on(backend, api_as):
    with time_machine.travel(T0, tick=False) as clock:
        admin, reviewer = api_as("admin"), api_as("reviewer1")
        deploy_ok(admin, BROKEN_AFTER_TIMER)
        deploy_ok(admin, FINE_AFTER_TIMER)
        broken = start(admin, "broken_after_timer")
        fine = start(admin, "fine_after_timer")
        clock.shift(timedelta(hours=2, seconds=1))  # both due; the broken one first
        assert timers.fire_due() == 2

        shown = instance(admin, broken)
        assert shown["status"] == "error"
        (incident,) = shown["incidents"]
        assert incident["bpmn_id"] == "compute" and "missing_value" in incident["message"]
        assert [t["bpmn_id"] for t in open_tasks(reviewer, fine)] == ["review"]
        assert timers.fire_due() == 0  # the failed timer does not fail again on every sweep

        # Retrying after the fix is not possible for a script; retrying runs it again, and fails again.
        resp = admin.post(f"/api/incidents/{incident['id']}/retry")
        assert resp.status_code == 200
        assert len(rows(Incident, Incident.instance_id == broken, Incident.resolved_at.is_(None))) == 1


def test_a_message_starts_the_process_whose_start_event_it_is(backend, api_as):
    admin, publisher = api_as("admin"), api_as("publisher1")
    deploy_ok(admin, _xml("collaboration.bpmn"))
    resp = admin.post("/api/messages", json={"name": "filed", "data": {"title": "2026年预算报告"}})
    assert resp.status_code == 200, resp.get_json()
    (started,) = resp.get_json()["started"]
    assert resp.get_json()["delivered"] == []
    (task,) = open_tasks(publisher, started)
    assert task["bpmn_id"] == "register"
    assert publisher.get(f"/api/tasks/{task['id']}").get_json()["data"]["title"] == "2026年预算报告"
    bad = admin.post("/api/messages", json={"name": "", "correlation": "x"})
    assert bad.status_code == 422
