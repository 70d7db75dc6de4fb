"""依申请转主动公开: similar requests from several applicants propose a conversion; converting
starts the disclosure procedure for the information in the handling department."""

from datetime import date as D

import time_machine

from engine.requests import similarity
from tests.support.information_requests import APPLICANT, COMPANY, detail, do, morning, payload

SIMILAR = ("申请公开2026年城区道路改造工程的预算", "请提供城区道路改造工程2026年预算信息",
           "城区道路改造工程（2026年）预算")


def test_similarity_matches_rephrased_requests_not_unrelated_ones():
    assert similarity.jaccard(SIMILAR[0], SIMILAR[1]) >= 0.5
    assert similarity.jaccard(SIMILAR[0], SIMILAR[2]) >= 0.5
    assert similarity.jaccard(SIMILAR[0], "申请公开2025年城乡低保资金发放名单") < 0.2
    assert similarity.jaccard("申请公开", "请提供相关信息") == 0.0  # boilerplate alone matches nothing


def test_three_applicants_asking_for_the_same_information_get_it_proposed_for_proactive_disclosure(staff, client):
    applicants = [APPLICANT, COMPANY, {**APPLICANT, "name": "李四", "id_number": "110101198001010018"}]
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        # The same applicant asking twice counts once.
        client.post("/api/public/requests", json=payload(SIMILAR[0], applicants[0]))
        client.post("/api/public/requests", json=payload(SIMILAR[1], applicants[0]))
        client.post("/api/public/requests", json=payload("申请公开2025年城乡低保资金发放名单", applicants[1]))
        publisher = staff("publisher1")
        assert _proposals(publisher) == []
        client.post("/api/public/requests", json=payload(SIMILAR[1], applicants[1]))
        assert _proposals(publisher) == []
        client.post("/api/public/requests", json=payload(SIMILAR[2], applicants[2]))
        (task,) = _proposals(publisher)
        # A fourth similar request does not propose the same conversion again.
        client.post("/api/public/requests", json=payload(SIMILAR[0], {**APPLICANT, "id_number": "110101197001010012"}))
        assert len(_proposals(publisher)) == 1

        shown = publisher.get(f"/api/tasks/{task['id']}").get_json()["data"]
        assert shown["applicants"] == 3 and len(shown["request_nos"]) == 4
        assert publisher.post(f"/api/tasks/{task['id']}/claim").status_code == 200
        resp = publisher.post(f"/api/tasks/{task['id']}/complete", json={"data": {
            "decision": "convert", "title": "2026年城区道路改造工程预算", "category": "general",
            "body": "2026年城区道路改造工程预算共1200万元。"}})
        assert resp.status_code == 200, resp.get_json()
        docs = publisher.get("/api/documents").get_json()["items"]
        assert [(d["title"], d["attribute"], d["status"]) for d in docs] == \
            [("2026年城区道路改造工程预算", "proactive", "dept_review")]
        review = staff("reviewer1").get(f"/api/tasks?scope=available&document_id={docs[0]['id']}").get_json()["items"]
        assert [t["bpmn_id"] for t in review] == ["dept_review"]
        # The requests themselves carry on as before.
        rid = publisher.get("/api/requests").get_json()["items"][-1]["id"]
        assert detail(publisher, rid)["status"] == "reviewing"
        do(publisher, rid, "review_request", {"decision": "accept"})


def _proposals(api):
    items = api.get("/api/tasks?scope=available&process_key=request_conversion").get_json()["items"]
    return [t for t in items if t["bpmn_id"] == "propose_conversion"]
