"""A "不存在" or "不予公开" reply is checked against the agency's own catalogue first: the matches are
shown to the drafter and the reviewer, and replying so anyway needs a reason, recorded. The
catalogue item carries its 内容概述, de-identified like every published field."""

from tests.support.disclosure import publish
from tests.support.flows import run_worker
from tests.support.information_requests import detail, do, register, task_for


def test_a_not_held_reply_for_a_published_document_needs_a_reason(api_as, staff, client):
    doc_id, _publisher = publish(api_as, title="2026年城区道路改造工程预算", body="道路改造工程预算1200万元。",
                                 summary="城区道路改造工程的预算安排，经办人电话13912345678")
    public = client.get(f"/api/public/documents/{doc_id}").get_json()
    assert public["summary"].startswith("城区道路改造工程的预算安排") and "13912345678" not in public["summary"]
    assert "城区道路改造工程的预算安排" in client.get("/public").get_data(as_text=True)

    rid = register(staff("publisher1"), description="申请公开2026年城区道路改造工程的预算")["id"]
    do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
    do(staff("drafter1"), rid, "handle", {"decision": "reply"})
    task = task_for(staff("drafter1"), rid, "draft_reply")
    shown = staff("drafter1").get(f"/api/tasks/{task['id']}").get_json()["form_data"]["catalogue_matches_text"]
    assert "2026年城区道路改造工程预算" in shown
    refused = do(staff("drafter1"), rid, "draft_reply", {"outcome": "not_held"}, status=422)
    assert "2026年城区道路改造工程预算" in refused["error"]["fields"]["catalogue_override_reason"][0]
    do(staff("drafter1"), rid, "draft_reply", {"outcome": "not_held",
                                               "catalogue_override_reason": "目录中的预算为初步安排，申请的是决算数据"})
    run_worker()
    d = detail(staff("publisher1"), rid)
    assert [m["id"] for m in d["catalogue_check"]["matches"]] == [doc_id]
    assert d["catalogue_check"]["override_reason"].startswith("目录中的预算为初步安排")
    assert any(h["action"] == "catalogue_check_overridden" for h in d["history"])
    signoff = task_for(staff("leader1"), rid, "leader_signoff")
    seen = staff("leader1").get(f"/api/tasks/{signoff['id']}").get_json()["form_data"]["catalogue_check_text"]
    assert "2026年城区道路改造工程预算" in seen and "申请的是决算数据" in seen


def test_a_reply_with_nothing_in_the_catalogue_goes_through_and_says_it_searched(staff):
    rid = register(staff("publisher1"), description="申请公开《示例县古树名木保护名录》")["id"]
    do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
    do(staff("drafter1"), rid, "handle", {"decision": "reply"})
    do(staff("drafter1"), rid, "draft_reply", {"outcome": "withheld", "withheld_reason": "process_information",
                                               "explanation": "尚在讨论中"})
    check = detail(staff("publisher1"), rid)["catalogue_check"]
    assert check["matches"] == [] and "示例县古树名木保护名录" in check["terms"]
