"""A request cannot be stranded: an agency is made only with someone to take its requests, the
public form offers only agencies that can take one, and a task nobody can take — no user with the
role in the department, or its last holder disabled — opens an incident the admin and the 政务公开办
see, resolved once someone can take it."""

from engine import users
from engine.workflow import stranded
from tests.support.flows import run_worker
from tests.support.information_requests import add_staff, do, payload, task_for
from tests.support.web import login


def _patch(api, url, body):
    return api.client.patch(url, json=body, headers=api.headers)


def _finance_agency(staff) -> int:
    admin = staff("admin")
    cz = next(d["id"] for d in admin.get("/api/departments").get_json()["items"] if d["name"] == "财政局")
    refused = _patch(admin, f"/api/departments/{cz}", {"agency_name": "示例县财政局"})
    assert refused.status_code == 422 and "没有在岗的公开专员" in refused.get_json()["error"]["fields"]["agency_name"][0]
    add_staff("publisher_cz", ["publisher"], "财政局")
    assert _patch(admin, f"/api/departments/{cz}", {"agency_name": "示例县财政局"}).status_code == 200
    return cz


def test_a_task_nobody_can_take_is_an_incident_until_someone_can(client, app, staff):
    cz = _finance_agency(staff)
    filed = client.post("/api/public/requests", json=payload(agency=str(cz)))
    assert filed.status_code == 201, filed.get_json()
    rid = next(r["id"] for r in staff("publisher_cz").get("/api/requests").get_json()["items"]
               if r["request_no"] == filed.get_json()["request_no"])
    do(staff("publisher_cz"), rid, "review_request", {"decision": "accept", "department": "财政局"})
    do(staff("drafter2"), rid, "handle", {"decision": "reply"})
    do(staff("drafter2"), rid, "draft_reply", {"outcome": "already_public", "location": "财政局网站"})
    run_worker()
    # The sign-off goes to 财政局's leader, and 财政局 has none: seen at once, not found later.
    [item] = staff("admin").get("/api/tasks/stranded").get_json()["items"]
    assert item["request_id"] == rid and item["role"] == "leader" and item["department"] == "财政局"
    assert "财政局没有在岗的分管领导" in item["message"]
    assert staff("drafter2").get("/api/tasks/stranded").status_code == 403
    incidents = staff("admin").get("/api/incidents").get_json()["items"]
    assert any(i["id"] == item["incident_id"] for i in incidents)
    page = login(app.test_client(), "admin").get("/inbox").get_data(as_text=True)
    assert "data-stranded" in page and "无人可办的任务" in page
    # The admin's retry says what is still missing; a leader added, the sweep resolves it.
    retry = staff("admin").post(f"/api/incidents/{item['incident_id']}/retry")
    assert retry.status_code == 409 and "分管领导" in retry.get_json()["error"]["message"]
    add_staff("leader_cz", ["leader"], "财政局")
    stranded.sweep()
    assert staff("admin").get("/api/tasks/stranded").get_json()["items"] == []
    assert task_for(staff("leader_cz"), rid, "leader_signoff")["name"] == "领导签发答复"


def test_a_disabled_publisher_strands_the_agencys_requests_and_leaves_the_public_form(client, staff):
    cz = _finance_agency(staff)
    listed = {a["key"]: a["takes_requests"] for a in client.get("/api/public/agencies").get_json()["items"]}
    assert listed[str(cz)] is True
    filed = client.post("/api/public/requests", json=payload(agency=str(cz))).get_json()
    assert staff("admin").get("/api/tasks/stranded").get_json()["items"] == []
    publisher_id = users.by_username("publisher_cz").id
    assert staff("admin").post(f"/api/users/{publisher_id}/disable").status_code == 200
    assert stranded.sweep() == 1  # the periodic sweep a worker runs
    [item] = staff("admin").get("/api/tasks/stranded").get_json()["items"]
    assert item["name"] == "审查申请" and filed["request_no"] in item["title"]
    # The form no longer offers an agency nobody there can answer for; filing to it says why.
    listed = {a["key"]: a["takes_requests"] for a in client.get("/api/public/agencies").get_json()["items"]}
    assert listed[str(cz)] is False
    assert "示例县财政局" not in client.get("/public/requests/new").get_data(as_text=True)
    refused = client.post("/api/public/requests", json=payload(agency=str(cz)))
    assert refused.status_code == 422 and "没有在岗的公开专员" in refused.get_json()["error"]["fields"]["agency"][0]
    assert stranded.sweep() == 0  # one incident per task, not one per sweep
