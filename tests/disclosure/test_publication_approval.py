"""Approval before publication: after 初审 and 复审 the category's row of publication_approval.dmn
says who approves (none, 分管领导, 主要负责人) — 规范性文件 the head by default — and the admin changes a
row in the DMN editor, deploying the procedure again, without a release. Taking down a 规范性文件
still in force goes through the same approval: a publisher alone cannot."""

from datetime import timedelta
from pathlib import Path

from engine import clock
from tests.support.disclosure import APPROVE, do_task, publish, run_worker
from tests.support.flows import deploy_ok
from tests.support.web import csrf_from, login

SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "bpmn"


def _submit(api_as, **fields) -> int:
    body = {"title": "示例县城市绿化管理办法", "category": "normative", "attribute": "proactive",
            "formed_on": clock.today().isoformat(), "body": "第一条 为加强城市绿化管理……", "interpretation": "解读：……",
            **fields}
    resp = api_as("drafter1").post("/api/documents", json=body)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def _available(api, doc_id) -> list[str]:
    return [t["bpmn_id"] for t in api.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"]]


def test_a_normative_document_is_approved_by_the_head_before_it_is_published(api_as, client):
    doc_id = _submit(api_as)
    do_task(api_as("reviewer1"), doc_id, APPROVE)
    do_task(api_as("secrecy1"), doc_id, APPROVE)
    assert api_as("drafter1").get(f"/api/documents/{doc_id}").get_json()["status"] == "awaiting_approval"
    assert _available(api_as("leader1"), doc_id) == [] and _available(api_as("publisher1"), doc_id) == []
    assert _available(api_as("head1"), doc_id) == ["approve_publication_head"]
    # Returned: back to the drafter with the head's opinion, through both reviews again.
    do_task(api_as("head1"), doc_id, {"decision": "return", "opinion": "第三条表述不准确"})
    d = api_as("drafter1").get(f"/api/documents/{doc_id}").get_json()
    assert (d["status"], d["return_reason"]) == ("returned", "第三条表述不准确")
    do_task(api_as("drafter1"), doc_id, {"title": "示例县城市绿化管理办法", "category": "normative",
                                         "attribute": "proactive", "formed_on": clock.today().isoformat(),
                                         "body": "第一条 修改后……", "interpretation": "解读：……"})
    do_task(api_as("reviewer1"), doc_id, APPROVE)
    do_task(api_as("secrecy1"), doc_id, APPROVE)
    do_task(api_as("head1"), doc_id, {"decision": "approve", "opinion": "同意公开"})
    run_worker()
    do_task(api_as("publisher1"), doc_id, {"decision": "confirm"})
    run_worker()
    assert client.get(f"/api/public/documents/{doc_id}").status_code == 200
    stages = [r["stage"] for r in api_as("drafter1").get(f"/api/documents/{doc_id}").get_json()["reviews"]]
    assert stages.count("approve_publication_head") == 2  # each decision signed (谁审查谁负责)


def test_the_admin_changes_who_approves_a_category_without_a_release(app, api_as):
    general = _submit(api_as, title="关于召开工作会议的通知", category="general", interpretation="")
    do_task(api_as("reviewer1"), general, APPROVE)
    do_task(api_as("secrecy1"), general, APPROVE)
    assert _available(api_as("leader1"), general) == []  # 其他: no approval, straight to de-identification

    admin = login(app.test_client(), "admin")
    page = admin.get("/admin/decisions/publication_approval.dmn/edit").get_data(as_text=True)
    xml = (SHIPPED / "publication_approval.dmn").read_text(encoding="utf-8").replace(
        '<outputEntry id="publication_approval_r2_out"><text>"none"</text>',
        '<outputEntry id="publication_approval_r2_out"><text>"leader"</text>')
    saved = admin.post("/admin/decisions/publication_approval.dmn", json={"xml": xml},
                       headers={"X-CSRFToken": csrf_from(page)})
    assert saved.status_code == 200, saved.get_json()
    deploy_ok(api_as("admin"), (SHIPPED / "disclosure_review.bpmn").read_text(encoding="utf-8"))  # picks the table up
    later = _submit(api_as, title="关于召开第二次工作会议的通知", category="general", interpretation="")
    do_task(api_as("reviewer1"), later, APPROVE)
    do_task(api_as("secrecy1"), later, APPROVE)
    assert _available(api_as("leader1"), later) == ["approve_publication"]


def test_taking_down_a_normative_document_in_force_needs_the_same_approval(api_as, client):
    doc_id, publisher = publish(api_as, title="示例县停车管理办法", category="normative", body="第一条……",
                                interpretation="解读")
    first = publisher.post(f"/api/documents/{doc_id}/take-down", json={"reason": "内容有误，需重新发布"})
    assert first.status_code == 202 and first.get_json()["take_down"]["approval"] == "head"
    assert client.get(f"/api/public/documents/{doc_id}").status_code == 200  # still public until approved
    again = publisher.post(f"/api/documents/{doc_id}/take-down", json={"reason": "再次申请"})
    assert again.status_code == 409
    assert _available(api_as("head1"), doc_id) == ["approve_takedown_head"]
    do_task(api_as("head1"), doc_id, {"decision": "approve", "opinion": "同意撤下"})
    run_worker()
    gone = client.get(f"/api/public/documents/{doc_id}")
    assert gone.status_code == 410
    d = api_as("publisher1").get(f"/api/documents/{doc_id}").get_json()
    assert d["status"] == "taken_down" and "审批同意" in d["taken_down"]["reason"]
    assert d["reviews"][-1]["stage"] == "takedown_approval"
    # A general document is still the publisher's alone to take down.
    other, publisher = publish(api_as, title="关于开展植树活动的通知", body="正文")
    assert publisher.post(f"/api/documents/{other}/take-down", json={"reason": "活动已结束"}).status_code == 200


def test_a_category_has_its_own_publicity_minimum(api_as, client):
    """重大行政决策 公开征求意见: at least 30 days (国务院令第713号 第十四条), the row publicity:major_decision;
    other 公示 keep the general 10 days."""
    too_short = (clock.today() + timedelta(days=20)).isoformat()
    refused = api_as("drafter1").post("/api/documents", json={
        "title": "关于示例县城区停车规划的征求意见公告", "category": "major_decision", "attribute": "proactive",
        "formed_on": clock.today().isoformat(), "body": "征求意见稿", "publicity": True, "publicity_until": too_short})
    assert refused.status_code == 422 and "公示期不得少于30天" in refused.get_json()["error"]["fields"]["publicity_until"][0]
    doc_id, publisher = publish(api_as, title="关于示例县城区停车规划的征求意见公告", category="major_decision",
                                body="征求意见稿", publicity=True, formed_on=clock.today().isoformat())
    period = client.get(f"/api/public/documents/{doc_id}").get_json()["publicity"]
    assert period["min_days"] == 30 and period["may_end_on"] == (clock.today() + timedelta(days=30)).isoformat()
    early = publisher.post(f"/api/documents/{doc_id}/take-down", json={"reason": "征求意见结束"})
    assert early.status_code == 422 and period["may_end_on"] in early.get_json()["error"]["message"]
    general, _ = publish(api_as, title="关于拟推荐先进集体的公示", body="名单", publicity=True,
                         formed_on=clock.today().isoformat())
    assert client.get(f"/api/public/documents/{general}").get_json()["publicity"]["min_days"] == 10
