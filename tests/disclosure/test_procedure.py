"""The disclosure procedure end to end through the API, with the demo users and a real worker."""

import pytest

from tests.support.flows import claim_and_complete, run_worker

BODY = ("关于公布2026年度城乡低保对象名单的通知\n申请人张三，身份证号110101199003074573，"
        "联系电话13912341234。其邻居老周反映情况属实。咨询电话：0538-8221234。")
GOOD = {"title": "关于调整城乡低保标准的通知", "doc_number": "泰政办发〔2026〕12号", "category": "general",
        "attribute": "proactive", "formed_on": "2026-11-02", "body": BODY, "channels": ["catalogue", "static_export"]}


def task_of(api, document_id, scope="available"):
    items = api.get(f"/api/tasks?scope={scope}&document_id={document_id}").get_json()["items"]
    assert len(items) == 1, items
    return items[0]


def complete(api, task, data):
    claim_and_complete(api, task["id"], data)


def doc(api, document_id):
    return api.get(f"/api/documents/{document_id}").get_json()


def test_missing_attribute_is_returned_then_reviewed_redacted_and_published(api_as):
    drafter, reviewer, secrecy, publisher = (api_as(u) for u in ("drafter1", "reviewer1", "secrecy1", "publisher1"))
    resp = drafter.post("/api/documents", json={**GOOD, "attribute": None})
    assert resp.status_code == 201, resp.get_json()
    doc_id = resp.get_json()["id"]
    d = doc(drafter, doc_id)
    assert (d["status"], d["returns"]) == ("returned", 1)
    assert "未标注公开属性" in d["return_reason"]

    revise = task_of(drafter, doc_id)
    detail = drafter.get(f"/api/tasks/{revise['id']}").get_json()
    assert detail["form_data"]["body"] == BODY
    complete(drafter, revise, {**GOOD})
    d = doc(drafter, doc_id)
    assert d["status"] == "dept_review" and d["publish_by"] == "2026-11-30"

    complete(reviewer, task_of(reviewer, doc_id), {"decision": "approve", "opinion": "内容属实，同意公开"})
    assert doc(drafter, doc_id)["status"] == "secrecy_review"
    complete(secrecy, task_of(secrecy, doc_id), {"decision": "approve", "opinion": "不涉密"})
    assert doc(drafter, doc_id)["status"] == "deidentifying"
    run_worker()
    d = doc(publisher, doc_id)
    assert d["status"] == "confirming_redaction"
    assert "110101199003074573" not in d["redacted_text"] and "0538-8221234" in d["redacted_text"]

    confirm = task_of(publisher, doc_id)
    assert publisher.post(f"/api/tasks/{confirm['id']}/claim").status_code == 200
    # The publisher adds a span the detector cannot know (a nickname) and releases one it flagged.
    findings = d["findings"]
    assert {f["text"] for f in findings} >= {"张三", "110101199003074573", "13912341234"}
    start = BODY.index("老周")
    findings.append({"start": start, "end": start + 2, "kind": "person_name"})
    for f in findings:
        if f.get("text") == "13912341234":
            f["redacted"] = False
    edited = publisher.put(f"/api/documents/{doc_id}/redaction", json={"findings": findings}).get_json()
    assert "老周" not in edited["redacted_text"] and "张三" not in edited["redacted_text"]
    assert "13912341234" in edited["redacted_text"]
    assert any(f["reason"] == "manual" and f["text"] == "老周" for f in edited["findings"])
    resp = publisher.post(f"/api/tasks/{confirm['id']}/complete", json={"data": {"decision": "confirm"}})
    assert resp.status_code == 200, resp.get_json()
    run_worker()
    d = doc(publisher, doc_id)
    assert d["status"] == "published"
    assert {p["channel"] for p in d["publications"]} == {"catalogue", "static_export"}
    assert [r["stage"] for r in d["reviews"]] == ["dept_review", "secrecy_review", "confirm_redaction"]
    # DOMAIN §3: who confirmed the redaction is recorded, on the document and in the signed record.
    assert d["redaction_confirmed_by"] == "publisher1" and d["reviews"][-1]["reviewer_name"] == "publisher1"
    assert drafter.get(f"/api/documents/{doc_id}/reviews/verify").get_json()["intact"] is True

    public = publisher.client.get(f"/api/public/documents/{doc_id}").get_json()
    assert public["text"] == edited["redacted_text"]
    assert "110101199003074573" not in public["text"] and "张三" not in public["text"] and "老周" not in public["text"]
    assert "reviews" not in public and "body" not in public
    listing = publisher.client.get("/api/public/documents?q=低保").get_json()
    assert [i["id"] for i in listing["items"]] == [doc_id]


@pytest.mark.parametrize("payload,reason", [
    ({"attribute": "withheld", "attribute_ground": None, "attribute_reason": None}, "法定依据和理由"),
    ({"category": "policy"}, "政策解读"),
    ({"category": "normative"}, "规范性文件须同步提交政策解读"),
])
def test_source_check_returns_incomplete_submissions(api_as, payload, reason):
    drafter = api_as("drafter1")
    doc_id = drafter.post("/api/documents", json={**GOOD, **payload}).get_json()["id"]
    d = doc(drafter, doc_id)
    assert d["status"] == "returned" and reason in d["return_reason"]


def test_withholding_needs_leader_signoff(api_as):
    drafter, reviewer, secrecy, leader = (api_as(u) for u in ("drafter1", "reviewer1", "secrecy1", "leader1"))
    doc_id = drafter.post("/api/documents", json=GOOD).get_json()["id"]
    complete(reviewer, task_of(reviewer, doc_id), {"decision": "approve", "opinion": "同意"})
    secrecy_task = task_of(secrecy, doc_id)
    bad = secrecy.post(f"/api/tasks/{secrecy_task['id']}/complete",
                       json={"data": {"decision": "withhold", "opinion": "涉及个人隐私"}})
    assert bad.status_code == 422 and "attribute_ground" in bad.get_json()["error"]["fields"]
    complete(secrecy, secrecy_task, {"decision": "withhold", "opinion": "涉及个人隐私",
                                     "attribute_ground": "third_party_rights"})
    d = doc(drafter, doc_id)
    assert (d["status"], d["attribute"], d["attribute_ground"]) == ("awaiting_signoff", "withheld", "third_party_rights")
    complete(leader, task_of(leader, doc_id), {"decision": "confirm", "opinion": "同意不予公开"})
    d = doc(drafter, doc_id)
    assert d["status"] == "withheld"
    assert drafter.client.get(f"/api/public/documents/{doc_id}").status_code == 404


def test_other_department_cannot_read_the_document(api_as):
    doc_id = api_as("drafter1").post("/api/documents", json=GOOD).get_json()["id"]
    assert api_as("drafter2").get(f"/api/documents/{doc_id}").status_code == 404
    assert api_as("reviewer2").get(f"/api/documents/{doc_id}").status_code == 404
    assert api_as("reviewer1").get(f"/api/documents/{doc_id}").status_code == 200
