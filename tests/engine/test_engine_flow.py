"""A whole instance through the API: deploy, start, inbox, claim, complete, worker, completed."""


from tests.support.bpmn import diagram, service_task, user_task
from tests.support.flows import run_worker

ONE_REVIEW = diagram("one_review", [
    user_task("review", lane="dept_reviewer", form="review", name="初审"),
    service_task("tell_drafter", params={"role": "'drafter'", "message": "'审核完成'"}),
])


def deploy(api, xml=ONE_REVIEW):
    return api.post("/api/process-definitions", data=xml.encode(), headers={"Content-Type": "application/xml"})


def test_instance_runs_to_completion_through_a_real_worker(api_as):
    admin, reviewer, drafter = api_as("admin"), api_as("reviewer1"), api_as("drafter1")
    assert deploy(admin).status_code == 201
    started = admin.post("/api/process-instances", json={"definition_key": "one_review", "data": {"title": "关于X的通知"}})
    assert started.status_code == 201, started.get_json()
    instance_id = started.get_json()["id"]

    available = reviewer.get("/api/tasks?scope=available").get_json()
    assert available["total"] == 1
    task = available["items"][0]
    assert (task["name"], task["role"], task["form_key"]) == ("初审", "dept_reviewer", "review")
    assert drafter.get("/api/tasks?scope=available").get_json()["total"] == 0

    assert reviewer.post(f"/api/tasks/{task['id']}/claim").status_code == 200
    bad = reviewer.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "maybe"}})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"decision", "opinion"}
    done = reviewer.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "approve", "opinion": "同意"}})
    assert done.status_code == 200, done.get_json()

    assert admin.get(f"/api/process-instances/{instance_id}").get_json()["status"] == "running"
    run_worker()
    body = admin.get(f"/api/process-instances/{instance_id}").get_json()
    assert body["status"] == "completed"
    assert body["data"]["tell_drafter_result"] == {"notified": ["drafter1"]}
    actions = [h["action"] for h in body["history"]]
    assert actions[:4] == ["instance_started", "claim", "complete", "service_task_done"]
    assert reviewer.post(f"/api/tasks/{task['id']}/complete", json={"data": {}}).status_code == 409
