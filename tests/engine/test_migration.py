"""Migrating running instances to a new version, refused where completed work would change."""

from engine import users
from engine.db import reading
from engine.models import HumanTask
from engine.workflow import definitions, instances, migration, tasks
from tests.support.bpmn import diagram, user_task

V1 = diagram("migrating", [user_task("first", form="review", name="第一步"),
                           user_task("second", form="review", name="第二步")])
V2 = diagram("migrating", [user_task("first", form="review", name="第一步"),
                           user_task("second", form="review", name="第二步（改名）"),
                           user_task("third", form="review", name="新增第三步")])
V3 = diagram("migrating", [user_task("second", form="review", name="第二步")])


def open_tasks(instance_id):
    with reading() as s:
        return [(t.bpmn_id, t.name) for t in s.query(HumanTask).filter_by(instance_id=instance_id, status="open")]


def test_running_instance_moves_to_a_compatible_version(settings):
    admin, reviewer = users.by_username("admin"), users.by_username("reviewer1")
    definitions.deploy(admin, V1)
    row = instances.start_instance(admin, "migrating", {"title": "迁移测试"})
    task_id = tasks.list_for(reviewer, "available", instance_id=row.id)["items"][0]["id"]
    tasks.complete(reviewer, task_id, {"decision": "approve", "opinion": "同意"})
    assert open_tasks(row.id) == [("second", "第二步")]
    definitions.deploy(admin, V2)

    result = migration.migrate(admin, "migrating", from_version=1)
    assert [r["migrated"] for r in result["results"]] == [True]
    assert open_tasks(row.id) == [("second", "第二步（改名）")]
    task_id = tasks.list_for(reviewer, "available", instance_id=row.id)["items"][0]["id"]
    tasks.complete(reviewer, task_id, {"decision": "approve", "opinion": "同意"})
    assert open_tasks(row.id) == [("third", "新增第三步")]
    assert instances.get_for(admin, row.id)["version"] == 2


def test_migration_is_refused_when_completed_work_would_change(settings):
    admin, reviewer = users.by_username("admin"), users.by_username("reviewer1")
    definitions.deploy(admin, V1)
    row = instances.start_instance(admin, "migrating", {"title": "迁移测试"})
    task_id = tasks.list_for(reviewer, "available", instance_id=row.id)["items"][0]["id"]
    tasks.complete(reviewer, task_id, {"decision": "approve", "opinion": "同意"})
    definitions.deploy(admin, V3)  # the completed step "first" is gone
    result = migration.migrate(admin, "migrating", from_version=1)
    assert result["results"][0]["migrated"] is False and "first" in result["results"][0]["reason"]
    assert instances.get_for(admin, row.id)["version"] == 1
    assert open_tasks(row.id) == [("second", "第二步")]


def test_migration_api_is_admin_only_and_reports_per_instance(api_as):
    admin, reviewer = api_as("admin"), api_as("reviewer1")
    for xml in (V1, V2):
        admin.post("/api/process-definitions", data=xml.encode(), headers={"Content-Type": "application/xml"})
    assert reviewer.post("/api/process-definitions/migrating/migrate", json={"from_version": 1}).status_code == 403
    assert admin.post("/api/process-definitions/migrating/migrate", json={"from_version": "x"}).status_code == 422
    body = admin.post("/api/process-definitions/migrating/migrate", json={"from_version": 1}).get_json()
    assert body == {"key": "migrating", "to_version": 2, "results": []}


def test_admin_migrates_from_the_process_page(app, api_as):
    import re

    from tests.support.web import login

    admin = api_as("admin")
    admin.post("/api/process-definitions", data=V1.encode(), headers={"Content-Type": "application/xml"})
    instance_id = admin.post("/api/process-instances", json={"definition_key": "migrating", "data": {}}).get_json()["id"]
    admin.post("/api/process-definitions", data=V2.encode(), headers={"Content-Type": "application/xml"})
    client = login(app.test_client(), "admin")
    page = client.get("/admin/processes").get_data(as_text=True)
    assert "迁移到 v2" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = client.post("/admin/processes/migrating/migrate", data={"csrf_token": token, "from_version": 1},
                       follow_redirects=True)
    assert "已迁移 1 个实例到 v2" in resp.get_data(as_text=True)
    assert admin.get(f"/api/process-instances/{instance_id}").get_json()["version"] == 2


def test_one_instance_migrates_through_the_api_and_a_refusal_is_a_409(api_as):
    admin, reviewer = api_as("admin"), api_as("reviewer1")
    admin.post("/api/process-definitions", data=V1.encode(), headers={"Content-Type": "application/xml"})
    moving = admin.post("/api/process-instances", json={"definition_key": "migrating", "data": {}}).get_json()["id"]
    stuck = admin.post("/api/process-instances", json={"definition_key": "migrating", "data": {}}).get_json()["id"]
    task = reviewer.get(f"/api/tasks?scope=available&instance_id={stuck}").get_json()["items"][0]
    reviewer.post(f"/api/tasks/{task['id']}/claim")
    reviewer.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "approve", "opinion": "同意"}})
    for xml in (V2, V3):
        admin.post("/api/process-definitions", data=xml.encode(), headers={"Content-Type": "application/xml"})
    assert reviewer.post(f"/api/process-instances/{moving}/migrate", json={"to_version": 2}).status_code == 403
    ok = admin.post(f"/api/process-instances/{moving}/migrate", json={"to_version": 2})
    assert ok.status_code == 200 and ok.get_json()["to_version"] == 2
    refused = admin.post(f"/api/process-instances/{stuck}/migrate", json={})  # latest: v3 drops "first"
    assert refused.status_code == 409 and "first" in refused.get_json()["error"]["message"]
    assert admin.get(f"/api/process-instances/{stuck}").get_json()["version"] == 1
