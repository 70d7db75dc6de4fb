"""What a reply must state: where to obtain it (36(1)), who holds it (36(5)), and Art. 35's reasons first."""

from datetime import date as D

import time_machine

from tests.support.ysq import detail, do, morning, register


def to_draft(staff, rid):
    do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
    do(staff("drafter1"), rid, "handle", {"decision": "reply"})


def test_already_public_needs_the_way_to_obtain_it(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        rid = register(staff("publisher1"))["id"]
        to_draft(staff, rid)
        resp = do(staff("drafter1"), rid, "draft_reply", {"outcome": "already_public", "location": " "}, status=422)
        assert "location" in resp["error"]["fields"]


def test_not_this_agencys_information_names_the_agency_and_its_contact(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        rid = register(staff("publisher1"))["id"]
        to_draft(staff, rid)
        resp = do(staff("drafter1"), rid, "draft_reply", {"outcome": "not_held", "holder_agency": "示例县自然资源局"},
                  status=422)
        assert "holder_contact" in resp["error"]["fields"]
        do(staff("drafter1"), rid, "draft_reply", {"outcome": "not_held", "holder_agency": "示例县自然资源局",
                                                   "holder_contact": "0538-6991234，示例县泰山大街9号"})
        text = detail(staff("publisher1"), rid)["reply_letter"]["text"]
        assert "不属于本机关负责公开" in text and "示例县自然资源局" in text and "0538-6991234" in text
        assert "第三十六条第（五）项" in text and "第三十六条第（四）项" not in text


def test_an_excessive_request_is_first_asked_for_reasons(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        publisher = staff("publisher1")
        rid = register(publisher)["id"]
        refused = do(publisher, rid, "review_request", {"decision": "not_request", "not_processed_reason": "excessive"},
                     status=422)
        assert "not_processed_reason" in refused["error"]["fields"]
        bad = publisher.post(f"/api/requests/{rid}/reasons", json={"period_days": 0})
        assert bad.status_code == 422 and "period_days" in bad.get_json()["error"]["fields"]
        asked = publisher.post(f"/api/requests/{rid}/reasons", json={"period_days": 5})
        assert asked.status_code == 201, asked.get_json()
        notice = asked.get_json()
        assert notice["kind"] == "reasons" and "第三十五条" in notice["text"] and "2026年11月9日前" in notice["text"]
        # While the period runs, no 不予处理 on this ground.
        do(publisher, rid, "review_request", {"decision": "not_request", "not_processed_reason": "excessive"}, status=422)
        clock.move_to(morning(D(2026, 11, 10)))
        publisher = staff("publisher1")
        do(publisher, rid, "review_request", {"decision": "not_request", "not_processed_reason": "excessive"})
        text = detail(publisher, rid)["reply_letter"]["text"]
        assert "您未在规定期限内说明理由" in text and "理由不合理" not in text


def test_reasonable_reasons_rule_out_not_processing(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        publisher = staff("publisher1")
        rid = register(publisher)["id"]
        notice = publisher.post(f"/api/requests/{rid}/reasons", json={"period_days": 5}).get_json()
        clock.move_to(morning(D(2026, 11, 4)))
        publisher = staff("publisher1")
        url = f"/api/requests/{rid}/notices/{notice['id']}/answer"
        assert publisher.post(url, json={"answered_on": "2026-11-05", "reasons": "x", "reasonable": True}).status_code == 422
        ok = publisher.post(url, json={"answered_on": "2026-11-04", "reasons": "用于课题研究，需逐年比对", "reasonable": True})
        assert ok.status_code == 200, ok.get_json()
        do(publisher, rid, "review_request", {"decision": "not_request", "not_processed_reason": "excessive"}, status=422)
        # Unreasonable reasons: the letter says so, and only then.
        publisher.post(url, json={"answered_on": "2026-11-04", "reasons": "就是想要", "reasonable": False})
        do(publisher, rid, "review_request", {"decision": "not_request", "not_processed_reason": "excessive"})
        assert "您所说明的理由不合理" in detail(publisher, rid)["reply_letter"]["text"]


def test_disclosing_over_a_third_partys_objection_needs_the_public_interest_and_tells_it(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "third_party",
                                              "third_party": "示例建设公司"})
        do(staff("drafter1"), rid, "consult_third_party", {"third_party_answer": "object", "opinion": "涉及商业秘密"})
        do(staff("drafter1"), rid, "handle", {"decision": "reply"})
        draft = {"outcome": "disclosed", "material": "道路改造工程预算：1200万元。"}
        resp = do(staff("drafter1"), rid, "draft_reply", draft, status=422)
        assert "public_interest_reason" in resp["error"]["fields"]
        do(staff("drafter1"), rid, "draft_reply", {**draft, "public_interest_reason": "涉及公共财政资金使用，公众知情利益重大"})
        told = [n for n in staff("publisher1").get(f"/api/requests/{rid}/notices").get_json()["items"]
                if n["kind"] == "disclosure_decision"]
        assert len(told) == 1 and told[0]["recipient"] == "示例建设公司" and "公众知情利益重大" in told[0]["text"]
        assert "第三十二条" in told[0]["text"]


def test_a_silent_co_producer_agrees_a_silent_third_party_leaves_it_to_the_agency(staff):
    from engine.workflow import timers

    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "co_producer",
                                              "third_party": "示例县财政局"})
        clock.move_to(morning(D(2026, 11, 24)))
        assert timers.fire_due() >= 1
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "third_party",
                                              "third_party": "示例建设公司"})
        clock.move_to(morning(D(2026, 12, 16)))
        assert timers.fire_due() >= 1
        co, third = detail(staff("publisher1"), rid)["consultations"]
        assert (co["party"], co["answer"], co["effective"]) == ("co_producer", "silent", "agree")
        assert (third["party"], third["answer"], third["effective"]) == ("third_party", "silent", None)
