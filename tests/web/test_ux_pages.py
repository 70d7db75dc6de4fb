"""The server side of issue 17's pages: the actionable scope, the progress endpoint's access, the
department options a form reads, and the conditional `required` a form declares."""

import forms
from tests.support.web import login

DOCUMENT = {"title": "关于公开预算的通知", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
            "body": "正文"}


def _submit(api_as) -> int:
    return api_as("drafter1").post("/api/documents", json=DOCUMENT).get_json()["id"]


def test_actionable_is_what_is_mine_plus_what_i_may_claim(api_as):
    _submit(api_as)
    reviewer, other = api_as("reviewer1"), api_as("reviewer2")
    assert [t["bpmn_id"] for t in reviewer.get("/api/tasks?scope=actionable").get_json()["items"]] == ["dept_review"]
    assert reviewer.get("/api/tasks?scope=mine").get_json()["total"] == 0
    task = reviewer.get("/api/tasks?scope=actionable").get_json()["items"][0]
    reviewer.post(f"/api/tasks/{task['id']}/claim")
    assert reviewer.get("/api/tasks?scope=actionable").get_json()["total"] == 1  # still there, now mine
    assert other.get("/api/tasks?scope=actionable").get_json()["total"] == 0  # 财政局 may not claim it
    assert api_as("admin").get("/api/tasks?scope=actionable").get_json()["total"] == 0  # admins see all, act on theirs


def test_progress_is_shown_to_those_who_may_see_the_document(app, api_as):
    doc_id = _submit(api_as)
    own = login(app.test_client(), "drafter1").get(f"/documents/{doc_id}/progress")
    assert own.status_code == 200
    assert own.get_json() | {"current_tasks": None} == {"status": "dept_review", "status_label": "初审中",
                                                        "working": None, "incident": None, "current_tasks": None}
    assert [t["name"] for t in own.get_json()["current_tasks"]] == ["初审"]
    assert login(app.test_client(), "drafter2").get(f"/documents/{doc_id}/progress").status_code == 404


def test_request_review_offers_the_departments_as_a_list(api_as):
    from tests.support.information_requests import register

    publisher = api_as("publisher1")
    rid = register(publisher)["id"]
    task = publisher.get(f"/api/tasks?scope=available&request_id={rid}").get_json()["items"][0]
    shown = publisher.get(f"/api/tasks/{task['id']}").get_json()["form_data"]
    assert {"label": "财政局", "value": "财政局"} in shown["departments"]
    publisher.post(f"/api/tasks/{task['id']}/claim")
    refused = publisher.post(f"/api/tasks/{task['id']}/complete", json={"data": {"decision": "accept",
                                                                                  "department": "不存在的局"}})
    assert refused.status_code == 422 and "department" in refused.get_json()["error"]["fields"]


def test_required_when_is_checked_by_the_server():
    partial = {"outcome": "partially_disclosed", "material": "材料"}
    assert forms.validate_data("reply_draft", partial)[1] == {"explanation": ["此项必填"]}
    assert forms.validate_data("reply_draft", {**partial, "explanation": "第三方信息不予公开"})[1] == {}
    assert forms.validate_data("reply_draft", {"outcome": "disclosed"})[1] == {"material": ["此项必填"]}
    assert forms.validate_data("reply_draft", {"outcome": "disclosed", "source_document_id": 3})[1] == {}
    assert forms.validate_data("reply_draft", {"outcome": "not_held"})[1] == {}  # hidden or not required: fine
