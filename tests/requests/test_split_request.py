"""一事一申请: a request for several unrelated things is split by the receiving agency's publisher
into requests with their own numbers and deadlines, the day of receipt carried over, the applicant
told by a letter listing each part's number and access code; each counts in the report."""

from datetime import timedelta

import time_machine

from engine import clock
from engine.requests import deadlines
from tests.support.flows import run_worker
from tests.support.information_requests import detail, do, morning, register
from tests.support.web import csrf_from, login


def test_a_request_is_split_into_parts_with_their_own_numbers_and_deadlines(client, staff):
    received = clock.today() - timedelta(days=2)
    publisher = staff("publisher1")
    filed = register(publisher, received_on=received.isoformat(),
                     description="申请公开2026年城区道路改造预算；2026年中小学食堂招标结果；2025年路灯维修记录")
    rid = filed["id"]
    report_before = publisher.get(f"/api/reports/annual/{received.year}").get_json()["section3"]["rows"][0]["values"]
    assert staff("drafter1").post(f"/api/requests/{rid}/split", json={"parts": ["a", "b"]}).status_code in (403, 404)
    bad = publisher.post(f"/api/requests/{rid}/split", json={"parts": ["只有一项"]})
    assert bad.status_code == 422 and "parts" in bad.get_json()["error"]["fields"]
    resp = publisher.post(f"/api/requests/{rid}/split", json={"parts": [
        "申请公开2026年城区道路改造预算", "申请公开2026年中小学食堂招标结果", "申请公开2025年路灯维修记录"]})
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["request"]["description"] == "申请公开2026年城区道路改造预算"
    parts = body["parts"]
    assert len(parts) == 2 and len({p["request_no"] for p in parts} | {filed["request_no"]}) == 3
    for part in parts:  # the day of receipt carried over: the same deadline, counted on its own
        assert (part["receipt_on"], part["due_on"]) == (filed["received_on"], filed["due_on"])
        d = detail(publisher, part["id"])
        assert d["split_from_id"] == rid and d["status"] == "reviewing"
        assert any(h["action"] == "request_split_from" for h in d["history"])
    [notice] = [n for n in publisher.get(f"/api/requests/{rid}/notices").get_json()["items"] if n["kind"] == "split"]
    assert notice["kind_name"] == "分件处理告知书" and "一事一申请" in notice["text"]
    for part in parts:
        assert part["request_no"] in notice["text"]
    code = notice["text"].split(f"申请编号{parts[0]['request_no']}（查询码：")[1][:10]
    status = client.get(f"/api/public/requests/{parts[0]['request_no']}?code={code}").get_json()
    assert status["status"] == "reviewing"  # the applicant follows each part with the code the letter gives
    history = detail(publisher, rid)["history"]
    assert any(h["action"] == "request_split" for h in history)
    report_after = publisher.get(f"/api/reports/annual/{received.year}").get_json()["section3"]["rows"][0]["values"]
    assert report_after["total"] == report_before["total"] + 2  # 新收: each part is a request of its own
    # Each part goes its own way: one answered, the others still open.
    do(publisher, parts[0]["id"], "review_request", {"decision": "accept"})
    do(staff("drafter1"), parts[0]["id"], "handle", {"decision": "reply"})
    do(staff("drafter1"), parts[0]["id"], "draft_reply", {"outcome": "not_held", "explanation": "经检索，本机关未制作"})
    run_worker()
    assert detail(publisher, parts[0]["id"])["status"] == "awaiting_signoff"
    assert detail(publisher, rid)["status"] == "reviewing"
    # Once accepted, a request is no longer split.
    do(publisher, rid, "review_request", {"decision": "accept"})
    assert publisher.post(f"/api/requests/{rid}/split", json={"parts": ["x", "y"]}).status_code == 409


def test_the_publisher_splits_from_the_request_page(app, staff):
    start = deadlines.add(clock.today(), 1)
    with time_machine.travel(morning(start), tick=False):
        rid = register(staff("publisher1"), description="申请公开甲项目预算和乙项目审计报告")["id"]
        client = login(app.test_client(), "publisher1")
        page = client.get(f"/requests/{rid}").get_data(as_text=True)
        assert 'id="split"' in page
        one = client.post(f"/requests/{rid}/split", data={"csrf_token": csrf_from(page), "parts": "只有一项"})
        assert one.status_code == 422 and 'data-field="parts"' in one.get_data(as_text=True)
        ok = client.post(f"/requests/{rid}/split", data={"csrf_token": csrf_from(page),
                                                         "parts": "申请公开甲项目预算\n申请公开乙项目审计报告"})
        assert ok.status_code == 302
        assert "分件处理告知书" in client.get(f"/requests/{rid}").get_data(as_text=True)
