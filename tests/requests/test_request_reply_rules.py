"""What a reply must state: where to obtain it (36(1)), who holds it (36(5)), and Art. 35's reasons first."""

from datetime import date as D

import time_machine

from tests.support.information_requests import detail, do, morning, register, task_for


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


def test_reasons_are_answered_after_they_were_asked_for(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        clock.move_to(morning(D(2026, 11, 4)))
        publisher = staff("publisher1")
        notice = publisher.post(f"/api/requests/{rid}/reasons", json={"period_days": 5}).get_json()
        url = f"/api/requests/{rid}/notices/{notice['id']}/answer"
        early = publisher.post(url, json={"answered_on": "2026-11-03", "reasons": "用于研究", "reasonable": True})
        assert early.status_code == 422
        assert "不能早于发出说明理由通知书之日" in early.get_json()["error"]["fields"]["answered_on"][0]
        assert publisher.post(url, json={"answered_on": "2026-11-04", "reasons": "用于研究", "reasonable": True}).status_code == 200


def test_reasonable_reasons_rule_out_not_processing(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        publisher = staff("publisher1")
        rid = register(publisher)["id"]
        notice = publisher.post(f"/api/requests/{rid}/reasons", json={"period_days": 5}).get_json()
        again = publisher.post(f"/api/requests/{rid}/reasons", json={"period_days": 5})
        assert again.status_code == 409 and "2026-11-09" in again.get_json()["error"]["message"]
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
    from datetime import timedelta

    from engine.clock import today as clock_today
    from engine.requests import deadlines
    from engine.workflow import timers

    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "co_producer",
                                              "third_party": "示例县财政局"})
        # Never recorded as delivered: the provisional end (5 working days to arrive, then the 15) applies.
        clock.move_to(morning(deadlines.provisional_after_delivery(D(2026, 11, 2), 15) + timedelta(days=1)))
        assert timers.fire_due() >= 1
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "third_party",
                                              "third_party": "示例建设公司"})
        clock.move_to(morning(deadlines.provisional_after_delivery(clock_today(), 15) + timedelta(days=1)))
        assert timers.fire_due() >= 1
        co, third = detail(staff("publisher1"), rid)["consultations"]
        assert (co["party"], co["answer"], co["effective"]) == ("co_producer", "silent", "agree")
        assert (third["party"], third["answer"], third["effective"]) == ("third_party", "silent", None)


def test_reasonable_reasons_without_time_to_reply_get_a_delayed_reply_period(staff, app):
    from engine.models import Notification
    from engine.workflow import timers
    from tests.support.flows import rows, run_worker
    from tests.support.web import login

    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        publisher = staff("publisher1")
        rid = register(publisher)["id"]
        url = f"/api/requests/{rid}/delay"
        before = publisher.post(url, json={"reply_by": "2026-12-14"})  # no reasons asked yet
        assert before.status_code == 422 and "reply_by" in before.get_json()["error"]["fields"]
        notice = publisher.post(f"/api/requests/{rid}/reasons", json={"period_days": 5}).get_json()
        clock.move_to(morning(D(2026, 11, 4)))
        publisher = staff("publisher1")
        # Neither Art. 35 nor DOMAIN.md stops the clock while reasons are asked for: still 20 working days.
        assert detail(publisher, rid)["due_on"] == "2026-11-30"
        answer = f"/api/requests/{rid}/notices/{notice['id']}/answer"
        publisher.post(answer, json={"answered_on": "2026-11-04", "reasons": "就是想要", "reasonable": False})
        assert publisher.post(url, json={"reply_by": "2026-12-14"}).status_code == 422  # unreasonable reasons
        publisher.post(answer, json={"answered_on": "2026-11-04", "reasons": "用于课题研究，需逐年比对", "reasonable": True})
        do(publisher, rid, "review_request", {"decision": "accept"})
        page = login(app.test_client(), "publisher1").get(f"/requests/{rid}").get_data(as_text=True)
        assert 'id="delay-form"' in page and 'max="2026-12-28"' in page
        for day, why in (("2026-11-30", "not after the deadline"), ("2026-12-12", "a Saturday"),
                         ("2026-12-29", "over 20 working days after it"), ("12/14", "format")):
            resp = publisher.post(url, json={"reply_by": day})
            assert resp.status_code == 422 and "reply_by" in resp.get_json()["error"]["fields"], why
        assert staff("drafter1").post(url, json={"reply_by": "2026-12-14"}).status_code == 403

        made = publisher.post(url, json={"reply_by": "2026-12-14"})
        assert made.status_code == 201, made.get_json()
        letter = made.get_json()
        assert letter["kind"] == "delayed_reply" and letter["kind_name"] == "延迟答复告知书"
        for words in ("政府信息公开申请延迟答复告知书", "第三十五条", "理由合理", "2026年12月14日前作出答复"):
            assert words in letter["text"], words
        listed = publisher.get(f"/api/requests/{rid}/notices").get_json()["items"]
        assert [n["kind"] for n in listed] == ["reasons", "delayed_reply"]
        assert publisher.get(letter["docx_url"]).status_code == 200
        delivered = publisher.post(f"/api/requests/{rid}/notices/{letter['id']}/delivery",
                                   json={"delivery_method": "post", "delivered_on": "2026-11-04"})
        assert delivered.status_code == 200 and delivered.get_json()["delivered_on"] == "2026-11-04"
        d = detail(publisher, rid)
        assert (d["due_on"], d["delay_days"]) == ("2026-12-14", 10)
        assert "reply_delayed" in [h["action"] for h in d["history"]]
        handle = task_for(staff("drafter1"), rid, "handle")
        assert handle["due_at"].startswith("2026-12-14T15:59:59")  # 23:59:59 in Beijing
        assert publisher.post(url, json={"reply_by": "2026-12-15"}).status_code == 422  # set once
        page = login(app.test_client(), "publisher1").get(f"/requests/{rid}").get_data(as_text=True)
        assert 'id="delay-form"' not in page and 'id="delayed-reply"' in page

        # The reminders and the escalation follow the new date: nothing is overdue on 1 December.
        instance_id = d["instance_id"]
        clock.move_to(morning(D(2026, 12, 1)))
        timers.fire_due()
        run_worker()
        notes = [n.message for n in rows(Notification, Notification.instance_id == instance_id)]
        assert not any("超过法定期限" in m for m in notes)
        assert not any("个工作日" in m for m in notes)
        clock.move_to(morning(D(2026, 12, 7), 10))  # 5 working days left to 14 Dec
        timers.fire_due()
        run_worker()
        clock.move_to(morning(D(2026, 12, 10), 10))  # 2 working days left to 14 Dec
        timers.fire_due()
        run_worker()
        notes = [n.message for n in rows(Notification, Notification.instance_id == instance_id)]
        assert any("5个工作日" in m for m in notes) and any("2个工作日" in m for m in notes), notes
        assert not any("超过法定期限" in m for m in notes)
        clock.move_to(morning(D(2026, 12, 15)))
        timers.fire_due()
        run_worker()
        notes = [n.message for n in rows(Notification, Notification.instance_id == instance_id)]
        assert any("超过法定期限" in m for m in notes)

        # The reply itself says nothing of reasons: none were found unreasonable.
        drafter = staff("drafter1")
        do(drafter, rid, "handle", {"decision": "reply"})
        do(drafter, rid, "draft_reply", {"outcome": "already_public", "location": "本机关门户网站政府信息公开专栏"})
        assert "理由不合理" not in detail(staff("publisher1"), rid)["reply_letter"]["text"]


def test_the_request_page_sets_the_delayed_reply(staff, app):
    from tests.support.web import csrf_from, login

    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        publisher = staff("publisher1")
        rid = register(publisher)["id"]
        notice = publisher.post(f"/api/requests/{rid}/reasons", json={"period_days": 5}).get_json()
        publisher.post(f"/api/requests/{rid}/notices/{notice['id']}/answer",
                       json={"answered_on": "2026-11-02", "reasons": "课题研究", "reasonable": True})
        client = login(app.test_client(), "publisher1")
        page = client.get(f"/requests/{rid}").get_data(as_text=True)
        bad = client.post(f"/requests/{rid}/delay", data={"csrf_token": csrf_from(page), "reply_by": "2026-11-27"})
        assert bad.status_code == 422
        ok = client.post(f"/requests/{rid}/delay", data={"csrf_token": csrf_from(page), "reply_by": "2026-12-07"})
        assert ok.status_code == 302
        page = client.get(f"/requests/{rid}").get_data(as_text=True)
        assert 'data-notice="delayed_reply"' in page and "延迟答复告知书" in page
        assert detail(publisher, rid)["due_on"] == "2026-12-07"
