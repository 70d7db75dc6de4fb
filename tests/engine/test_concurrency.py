"""Two people completing the same task at the same moment: one wins, the other gets 409.

The instance advances exactly once: one completion in the audit trail, one new outbox row.
"""

import threading

from engine import users
from engine.models import AuditEvent, HumanTask, Outbox
from engine.workflow import tasks
from tests.conftest import Api
from tests.support.bpmn import diagram, service_task, user_task
from tests.support.flows import deploy_ok, instance, rows, start

RACE = diagram("race", [user_task("review"), service_task("tell")])
APPROVE = {"data": {"decision": "approve", "opinion": "同意"}}


def _race(*actions) -> list:
    """Run the callables at the same moment in threads; return their results in order."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(i, fn):
        barrier.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # collected and compared by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _second_reviewer():
    users.create_user("reviewer3", "harbour-lantern-3", ["dept_reviewer"], "办公室")
    return users.by_username("reviewer3")


def _assert_advanced_once(instance_id):
    completions = rows(AuditEvent, AuditEvent.instance_id == instance_id, AuditEvent.action == "complete")
    assert len(completions) == 1
    assert len(rows(Outbox, Outbox.instance_id == instance_id)) == 1
    (task,) = rows(HumanTask, HumanTask.instance_id == instance_id)
    assert task.status == "completed" and task.completed_by == completions[0].actor_id


def test_two_api_clients_complete_the_same_task(backend, app, api_as):
    admin = api_as("admin")
    deploy_ok(admin, RACE)
    iid = start(admin, "race")
    _second_reviewer()
    one, two = Api(app.test_client(), "reviewer1"), Api(app.test_client()).login("reviewer3", "harbour-lantern-3")
    task_id = one.get(f"/api/tasks?scope=available&instance_id={iid}").get_json()["items"][0]["id"]

    responses = _race(lambda: one.post(f"/api/tasks/{task_id}/complete", json=APPROVE),
                      lambda: two.post(f"/api/tasks/{task_id}/complete", json=APPROVE))
    assert sorted(r.status_code for r in responses) == [200, 409], [r.get_json() for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.get_json()["error"]["code"] == "conflict"
    _assert_advanced_once(iid)
    assert instance(admin, iid)["status"] == "running"


def test_the_engine_function_itself_serialises_completions(backend, api_as):
    admin = api_as("admin")
    deploy_ok(admin, RACE)
    iid = start(admin, "race")
    first, second = users.by_username("reviewer1"), _second_reviewer()
    (task,) = rows(HumanTask, HumanTask.instance_id == iid)

    results = _race(lambda: tasks.complete(first, task.id, APPROVE["data"]),
                    lambda: tasks.complete(second, task.id, APPROVE["data"]))
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds == ["Conflict", "dict"], results
    _assert_advanced_once(iid)


def test_claiming_at_once_gives_the_task_to_one_person(backend, api_as):
    admin = api_as("admin")
    deploy_ok(admin, RACE)
    iid = start(admin, "race")
    first, second = users.by_username("reviewer1"), _second_reviewer()
    (task,) = rows(HumanTask, HumanTask.instance_id == iid)
    results = _race(lambda: tasks.claim(first, task.id), lambda: tasks.claim(second, task.id))
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "dict"], results
    (claims,) = [rows(AuditEvent, AuditEvent.action == "claim")]
    assert len(claims) == 1
