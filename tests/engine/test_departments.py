"""Which department a task goes to: the business data's `department`, else the starter's; a step's
own `department` expression can route its task elsewhere (会签 by another department).

Demo users: drafter2/reviewer2 work in 财政局, everyone else in 办公室.
"""

from tests.support.bpmn import diagram, user_task
from tests.support.flows import deploy, deploy_ok, start

APPROVE = {"data": {"decision": "approve", "opinion": "同意"}}
ONE_STEP = diagram("dept_one_step", [user_task("review", name="初审")])
COUNTERSIGN = diagram("dept_countersign", [
    user_task("review", name="初审"),
    user_task("countersign", name="财政局会签", props={"department": "'财政局'"}),
    user_task("final", name="终审"),
])


def available(api):
    return [t["name"] for t in api.get("/api/tasks?scope=available").get_json()["items"]]


def do(api, name):
    task = next(t for t in api.get("/api/tasks?scope=available").get_json()["items"] if t["name"] == name)
    assert api.post(f"/api/tasks/{task['id']}/claim").status_code == 200
    assert api.post(f"/api/tasks/{task['id']}/complete", json=APPROVE).status_code == 200


def test_the_business_datas_department_decides_else_the_starters(backend, api_as):
    admin, reviewer1, reviewer2 = api_as("admin"), api_as("reviewer1"), api_as("reviewer2")
    deploy_ok(admin, ONE_STEP)
    start(admin, "dept_one_step", {"department": "财政局"})
    assert available(reviewer2) == ["初审"]
    assert available(reviewer1) == []
    start(admin, "dept_one_step")  # no department in the data: the admin's own, 办公室
    assert available(reviewer1) == ["初审"]


def test_an_unknown_department_is_refused_and_nothing_starts(backend, api_as):
    admin = api_as("admin")
    deploy_ok(admin, ONE_STEP)
    resp = admin.post("/api/process-instances", json={"definition_key": "dept_one_step",
                                                      "data": {"department": "不存在的局"}})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["fields"] == {"department": ["unknown"]}
    assert admin.get("/api/tasks?scope=all").get_json()["total"] == 0


def test_a_step_routes_its_task_to_another_department_and_back(backend, api_as):
    admin, reviewer1, reviewer2 = api_as("admin"), api_as("reviewer1"), api_as("reviewer2")
    deploy_ok(admin, COUNTERSIGN)
    iid = start(admin, "dept_countersign", {"title": "关于预算调整的请示"})
    do(reviewer1, "初审")
    assert available(reviewer1) == []
    assert available(reviewer2) == ["财政局会签"]
    # Whoever is given a step may read the instance's history, though it belongs to 办公室.
    history = reviewer2.get(f"/api/process-instances/{iid}")
    assert history.status_code == 200
    assert [h["action"] for h in history.get_json()["history"]][:3] == ["instance_started", "claim", "complete"]
    routed = reviewer2.get("/api/tasks?scope=available").get_json()["items"][0]
    assert reviewer2.get(f"/api/tasks/{routed['id']}").get_json()["can_act"] is True
    assert admin.get(f"/api/tasks/{routed['id']}").get_json()["can_act"] is False  # sees all, acts on none
    do(reviewer2, "财政局会签")
    assert available(reviewer1) == ["终审"]  # no department on this step: the instance's again
    assert available(reviewer2) == []
    assert api_as("drafter2").get(f"/api/process-instances/{iid}").status_code == 404  # not a reviewer: not seen


def test_a_department_expression_is_checked_at_deploy(backend, api_as):
    bad = diagram("dept_bad", [user_task("review", props={"department": "().__class__"})])
    resp = deploy(api_as("admin"), bad)
    assert resp.status_code == 422
    (error,) = resp.get_json()["errors"]
    assert error["element_id"] == "review" and error["message"].startswith("department:")


def test_a_step_naming_an_unknown_department_fails_clearly_and_changes_nothing(backend, api_as):
    admin, reviewer1 = api_as("admin"), api_as("reviewer1")
    deploy_ok(admin, diagram("dept_typo", [user_task("review", name="初审"),
                                            user_task("next", props={"department": "'财务局'"})]))
    start(admin, "dept_typo")
    task = reviewer1.get("/api/tasks?scope=available").get_json()["items"][0]
    reviewer1.post(f"/api/tasks/{task['id']}/claim")
    resp = reviewer1.post(f"/api/tasks/{task['id']}/complete", json=APPROVE)
    assert resp.status_code == 422
    assert "财务局" in resp.get_json()["error"]["message"]
    assert reviewer1.get("/api/tasks?scope=mine").get_json()["items"][0]["id"] == task["id"]  # still open
