"""The request procedure end to end through the API on both databases, with a real worker:
intake, review, handling in the department holding the information, reply, sign-off, delivery."""

from datetime import date as D

import pytest
import time_machine

from engine import queue
from engine.models import Notification
from engine.workflow import timers
from tests.support.flows import rows, run_worker
from tests.support.information_requests import (
    APPLICANT,
    detail,
    do,
    morning,
    payload,
    register,
    reply,
    sign_and_deliver,
    task_for,
)
from tests.support.web import login

PUBLIC_KEYS = {"request_no", "status", "status_name", "agency", "received_on", "due_on", "correction_due_on",
               "correction_items", "correction_received_on", "replied_on", "outcome_name", "letter", "attachment"}
MATERIAL = "2026年城区道路改造工程预算表\n联系人李四，身份证号110101199003074573，电话13912341234。\n合计：1200万元。"


def test_public_request_is_handled_by_the_holding_department_and_replied(staff, client):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        filed = client.post("/api/public/requests", json=payload())
        assert filed.status_code == 201, filed.get_json()
        filed = filed.get_json()
        assert set(filed) == {"request_no", "access_code", "agency", "received_on", "due_on"}
        assert (filed["received_on"], filed["due_on"]) == ("2026-11-02", "2026-11-30")
        no, code = filed["request_no"], filed["access_code"]
        publisher = staff("publisher1")
        (item,) = publisher.get("/api/requests").get_json()["items"]
        rid = item["id"]
        do(publisher, rid, "review_request", {"decision": "accept", "department": "财政局"})
        assert detail(publisher, rid)["status"] == "handling"
        # The handling department's staff get the task; the intake office's drafter does not.
        assert staff("drafter1").get(f"/api/tasks?scope=available&request_id={rid}").get_json()["items"] == []
        assert staff("drafter2").get(f"/api/requests/{rid}").status_code == 200
        assert staff("reviewer1").get(f"/api/requests/{rid}").status_code == 404

        handler = staff("drafter2")
        found = handler.get("/api/requests/register?q=预算").get_json()
        assert "items" in found
        do(handler, rid, "handle", {"decision": "reply"})
        do(handler, rid, "draft_reply", {"outcome": "disclosed", "material": MATERIAL})
        assert detail(publisher, rid)["status"] == "deidentifying"
        run_worker()
        d = detail(publisher, rid)
        assert d["status"] == "secrecy_review"
        assert "110101199003074573" not in d["redacted_material"] and "1200万元" in d["redacted_material"]
        do(staff("secrecy1"), rid, "secrecy_review_reply", {"decision": "approve", "opinion": "不涉密"})
        assert detail(publisher, rid)["status"] == "awaiting_signoff"
        sign_and_deliver(staff, rid, D(2026, 11, 2))

        d = detail(publisher, rid)
        assert (d["status"], d["outcome"], d["closed_on"]) == ("replied", "disclosed", "2026-11-02")
        letter = d["reply_letter"]
        assert letter["signed_by"] == "leader1" and letter["delivery_method"] == "email"
        assert "第三十六条第（二）项" in letter["text"] and APPLICANT["name"] in letter["text"]
        assert "示例市人民政府" in letter["text"] and "六十日" in letter["text"] and "示例县人民法院" in letter["text"]
        assert {"instance_started", "reply_drafted", "complete"} <= {h["action"] for h in d["history"]}

        public = client.get(f"/api/public/requests/{no}?code={code}").get_json()
        assert set(public) == PUBLIC_KEYS
        assert (public["status"], public["replied_on"]) == ("replied", "2026-11-02")
        # At the end the applicant has the outcome, the letter and its attachment; never staff names.
        assert public["outcome_name"] == "予以公开" and public["letter"] == letter["text"] and public["attachment"]
        assert "leader1" not in str(public) and "drafter2" not in str(public)


def test_public_lookup_needs_the_right_code_and_shows_status_and_dates_only(settings, client):
    filed = client.post("/api/public/requests", json=payload()).get_json()
    no, code = filed["request_no"], filed["access_code"]
    for bad in ("", "WRONGCODE1", code.lower() + "x"):
        resp = client.get(f"/api/public/requests/{no}?code={bad}")
        assert resp.status_code == 404
    assert client.get(f"/api/public/requests/YSQ999999999?code={code}").status_code == 404
    body = client.get(f"/api/public/requests/{no}?code={code.lower()}").get_json()
    assert set(body) == PUBLIC_KEYS and body["status"] == "reviewing"
    assert not any(v for k, v in body.items() if isinstance(v, str) and ("张三" in v or "1101" in v))


def test_invalid_requests_are_refused_with_field_errors(settings, client, staff):
    bad = client.post("/api/public/requests", json={"applicant": {"type": "legal_person"}, "form": "fax"})
    assert bad.status_code == 422
    fields = bad.get_json()["error"]["fields"]
    assert {"applicant.name", "applicant.subtype", "description", "form", "delivery"} <= set(fields)
    assert staff("drafter1").post("/api/requests", json={**payload(), "channel": "in_person",
                                                         "received_on": "2026-11-02"}).status_code == 403
    resp = staff("publisher1").post("/api/requests", json={**payload(), "channel": "pigeon", "received_on": "2099-01-01"})
    assert resp.status_code == 422 and {"channel", "received_on"} <= set(resp.get_json()["error"]["fields"])


def test_staff_registration_uses_the_receipt_date_of_article_31(staff):
    with time_machine.travel(morning(D(2026, 11, 6)), tick=False):
        publisher = staff("publisher1")
        letter = register(publisher, channel="letter", received_on="2026-11-02", confirmed_on="2026-11-03")
        assert letter["due_on"] == "2026-12-01"  # counted from the confirmation day
        posted = register(publisher, channel="registered_post", received_on="2026-11-02", confirmed_on="2026-11-03")
        assert posted["due_on"] == "2026-11-30"  # counted from the day the agency signed for it
        d = detail(publisher, letter["id"])
        assert (d["received_on"], d["receipt_on"], d["channel"]) == ("2026-11-02", "2026-11-03", "letter")


def test_correction_stops_the_clock_and_the_applicant_restarts_it(staff, client):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        filed = client.post("/api/public/requests", json=payload("道路的预算")).get_json()
        no, code = filed["request_no"], filed["access_code"]
        publisher = staff("publisher1")
        rid = publisher.get("/api/requests").get_json()["items"][0]["id"]
        do(publisher, rid, "review_request", {"decision": "correction", "correction_items": "请写明道路名称\n请写明年度"})
        public = client.get(f"/api/public/requests/{no}?code={code}").get_json()
        assert (public["status"], public["due_on"], public["correction_due_on"]) == \
            ("awaiting_correction", None, "2026-11-23")
        d = detail(publisher, rid)
        assert d["correction_items"] == ["请写明道路名称", "请写明年度"] and d["due_on"] is None
        assert any(h["action"] == "notice_sent" and "第三十条" in h["detail"]["text"] for h in d["history"])

        clock.move_to(morning(D(2026, 11, 10)))
        resp = client.post(f"/api/public/requests/{no}/correction",
                           json={"code": code, "description": "申请公开2026年人民路改造工程的预算"})
        assert resp.status_code == 200, resp.get_json()
        assert (resp.get_json()["status"], resp.get_json()["due_on"]) == ("reviewing", "2026-12-08")
        publisher = staff("publisher1")
        d = detail(publisher, rid)
        assert d["clock_start"] == "2026-11-10" and d["description"] == "申请公开2026年人民路改造工程的预算"
        assert d["pauses"] == [{"reason": "correction", "started_on": "2026-11-02", "ended_on": "2026-11-10", "note": None}]
        # All corrections are asked for at once: a second request for correction is refused.
        do(publisher, rid, "review_request", {"decision": "correction", "correction_items": "再补正"}, status=422)


def test_staff_register_a_correction_received_by_post(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "correction", "correction_items": "请写明年度"})
        clock.move_to(morning(D(2026, 11, 10)))
        publisher = staff("publisher1")
        assert staff("drafter1").post(f"/api/requests/{rid}/correction", json={
            "received_on": "2026-11-09", "description": "2026年的预算"}).status_code == 403
        resp = publisher.post(f"/api/requests/{rid}/correction", json={"received_on": "2026-11-09",
                                                                      "description": "2026年的预算"})
        assert resp.status_code == 200, resp.get_json()
        assert resp.get_json()["due_on"] == "2026-12-07"
        assert publisher.post(f"/api/requests/{rid}/correction", json={
            "received_on": "2026-11-09", "description": "again"}).status_code == 409


def test_a_correction_may_only_be_asked_within_seven_working_days(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        clock.move_to(morning(D(2026, 11, 12)))  # 8 working days after receipt
        do(staff("publisher1"), rid, "review_request", {"decision": "correction", "correction_items": "年度"}, status=422)


def test_no_correction_within_the_period_closes_the_request(staff, client):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        filed = client.post("/api/public/requests", json=payload()).get_json()
        publisher = staff("publisher1")
        rid = publisher.get("/api/requests").get_json()["items"][0]["id"]
        do(publisher, rid, "review_request", {"decision": "correction", "correction_items": "请写明年度"})
        clock.move_to(morning(D(2026, 11, 23), 23))
        assert timers.fire_due() == 0  # the correction period runs to the end of 23 Nov
        clock.move_to(morning(D(2026, 11, 24)))
        assert timers.fire_due() == 1
        d = detail(staff("publisher1"), rid)
        assert (d["status"], d["outcome"], d["outcome_reason"], d["closed_on"]) == \
            ("closed", "other", "no_correction", "2026-11-24")
        assert "视为放弃申请" in d["reply_letter"]["text"] and "第三十条" in d["reply_letter"]["text"]
        public = client.get(f"/api/public/requests/{filed['request_no']}?code={filed['access_code']}").get_json()
        assert public["status"] == "closed"


def test_consultation_days_are_excluded_and_silence_lets_the_agency_decide(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "third_party", "third_party": "示例建设公司 0538-1234567"})
        d = detail(staff("publisher1"), rid)
        assert d["status"] == "consulting" and d["due_on"] == "2026-11-30"
        clock.move_to(morning(D(2026, 11, 5)))
        do(staff("drafter1"), rid, "consult_third_party", {"third_party_answer": "agree"})
        d = detail(staff("publisher1"), rid)
        assert (d["status"], d["paused_days"], d["due_on"]) == ("handling", 3, "2026-12-03")
        handle = task_for(staff("drafter1"), rid, "handle")
        assert handle["due_at"].startswith("2026-12-03T15:59:59")  # 23:59:59 in Beijing

        # A second consultation the third party never answers: 15 working days after it received the
        # letter (handed over that day) the agency decides.
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "third_party", "third_party": "示例建设公司"})
        letter = [n for n in staff("publisher1").get(f"/api/requests/{rid}/notices").get_json()["items"]
                  if n["kind"] == "third_party"][-1]
        assert staff("publisher1").post(f"/api/requests/{rid}/notices/{letter['id']}/delivery",
                                        json={"delivery_method": "in_person", "delivered_on": "2026-11-05"}).status_code == 200
        clock.move_to(morning(D(2026, 11, 27)))
        assert timers.fire_due() >= 1
        d = detail(staff("publisher1"), rid)
        assert d["status"] == "handling"
        assert d["pauses"][-1]["ended_on"] == "2026-11-27" and d["paused_days"] == 3 + 16
        assert d["due_on"] == "2026-12-25"  # 20 + 3 + 16 working days after 2 Nov


def test_extension_needs_the_leader_and_is_granted_once(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "extend", "extension_days": 21, "opinion": "情况复杂"},
           status=422)
        do(staff("drafter1"), rid, "handle", {"decision": "extend", "extension_days": 10, "opinion": "情况复杂"})
        assert detail(staff("publisher1"), rid)["status"] == "extension_review"
        do(staff("leader1"), rid, "approve_extension", {"decision": "approve", "opinion": "同意延期"})
        d = detail(staff("publisher1"), rid)
        assert (d["status"], d["extension_days"], d["due_on"]) == ("handling", 10, "2026-12-14")
        notice = [h for h in d["history"] if h["action"] == "notice_sent"]
        assert notice and "延长10个工作日" in notice[0]["detail"]["text"]
        do(staff("drafter1"), rid, "handle", {"decision": "extend", "extension_days": 5, "opinion": "再延"}, status=422)


def test_fee_stops_the_clock_until_paid(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "fee", "fee_method": "per_page", "pages": 20}, status=422)
        do(staff("drafter1"), rid, "handle", {"decision": "fee", "fee_method": "per_page", "pages": 150})
        d = detail(staff("publisher1"), rid)
        assert d["status"] == "fee_pending" and d["fee"]["amount"] == 1700
        # Provisional until the notice's delivery is recorded: 5 working days to reach the applicant, then 20.
        assert (d["fee"]["pay_by"], d["fee"]["pay_by_provisional"]) == ("2026-12-07", True)
        clock.move_to(morning(D(2026, 11, 6)))
        do(staff("publisher1"), rid, "fee_pending", {"decision": "paid", "paid_on": "2026-11-06"})
        d = detail(staff("publisher1"), rid)
        assert (d["status"], d["paused_days"], d["due_on"], d["fee"]["paid_on"]) == \
            ("handling", 4, "2026-12-04", "2026-11-06")


def test_reminders_at_five_and_two_days_left_and_escalation(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        instance_id = detail(staff("publisher1"), rid)["instance_id"]
        clock.move_to(morning(D(2026, 11, 23), 10))  # 5 working days left to 30 Nov
        timers.fire_due()
        run_worker()
        clock.move_to(morning(D(2026, 11, 26), 10))  # 2 working days left
        timers.fire_due()
        run_worker()
        clock.move_to(morning(D(2026, 12, 1)))  # overdue
        timers.fire_due()
        run_worker()
        notes = [(n.message, n.user_id) for n in rows(Notification, Notification.instance_id == instance_id)]
        messages = [m for m, _ in notes]
        assert any("5个工作日" in m for m in messages) and any("2个工作日" in m for m in messages)
        assert any("超过法定期限" in m for m in messages)


@pytest.mark.parametrize("path", ["scheduler", "sweep"])
def test_after_an_outage_every_due_reminder_and_the_escalation_arrive_once(staff, app, path):
    """The worker was down past both reminders and the deadline. Its scheduler (the timer jobs kept
    in Redis) or, if Redis lost them, the periodic sweep fires all three boundary timers in one
    transition: each is its own notify job, so each arrives, once, however many paths run."""
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        if path == "sweep":
            queue.redis().delete(queue.queue().scheduled_job_registry.key)  # Redis lost the timer jobs
        clock.move_to(morning(D(2026, 12, 8)))  # 5 and 2 working days before 30 Nov, and the deadline: all past
        if path == "scheduler":
            run_worker(with_scheduler=True)
        assert timers.fire_due() == (1 if path == "sweep" else 0)  # one instance changed, three timers fired
        run_worker(with_scheduler=True)
        assert timers.fire_due() == 0
        run_worker(with_scheduler=True)

        def received(username):
            return sorted((n["kind"], n["message"]) for n in staff(username).get("/api/notifications").get_json()["items"])

        # Late reminders say what is true when they arrive, not the days they would have promised.
        assert received("drafter1") == [("remind2", "已超过答复期限，请立即办理"), ("remind5", "已超过答复期限，请立即办理")]
        assert received("leader1") == [("escalate", "依申请公开答复已超过法定期限，请督办")]
        assert received("publisher1") == []
        page = login(app.test_client(), "leader1").get("/notifications").get_data(as_text=True)
        assert "督办" in page and "依申请公开答复已超过法定期限，请督办" in page
        d = detail(staff("publisher1"), rid)
        assert d["status"] == "handling"  # non-interrupting: the task stays
        (fired,) = [h["detail"] for h in d["history"] if h["action"] == "timer_fired"]
        assert fired["timers"] == ["remind5_handle", "remind2_handle", "escalate_handle"]
        assert fired["task"] == "期限提醒、期限提醒、逾期督办"


def test_each_outcome_gets_its_letter(staff):
    cases = [("already_public", {}, "第三十六条第（一）项"), ("not_held", {}, "第三十六条第（四）项"),
             ("needs_new_work", {}, "第三十八条"), ("unclear_after_correction", {}, "第三十条"),
             ("withheld", {"withheld_reason": "process_information"}, "第十六条第二款"),
             ("not_processed", {"not_processed_reason": "repeated"}, "第三十六条第（六）项"),
             ("other", {"explanation": "申请人撤回申请"}, "申请人撤回申请")]
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        for outcome, extra, expected in cases:
            rid = register(staff("publisher1"), description=f"申请{outcome}的信息")["id"]
            reply(staff, rid, outcome, **extra)
            d = detail(staff("publisher1"), rid)
            assert (d["status"], d["outcome"]) == ("replied", outcome)
            assert expected in d["reply_letter"]["text"], (outcome, d["reply_letter"]["text"])
            assert "六个月内" in d["reply_letter"]["text"]


def test_not_a_request_is_answered_without_handling(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        rid = register(staff("publisher1"), description="投诉某小区物业乱收费")["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "not_request"}, status=422)
        do(staff("publisher1"), rid, "review_request", {"decision": "not_request",
                                                        "not_processed_reason": "petition_complaint"})
        d = detail(staff("publisher1"), rid)
        assert (d["status"], d["outcome"], d["outcome_reason"]) == ("awaiting_signoff", "not_processed",
                                                                     "petition_complaint")
        # The leader sends it back: it returns to the review, not to a handler.
        do(staff("leader1"), rid, "leader_signoff", {"decision": "return", "opinion": "请核实"})
        assert detail(staff("publisher1"), rid)["status"] == "reviewing"
        do(staff("publisher1"), rid, "review_request", {"decision": "not_request",
                                                        "not_processed_reason": "petition_complaint"})
        sign_and_deliver(staff, rid, D(2026, 11, 2))
        d = detail(staff("publisher1"), rid)
        assert d["status"] == "replied" and "信访、投诉、举报" in d["reply_letter"]["text"]


def test_request_settings_are_admin_only_and_name_the_remedy_bodies(staff):
    body = {"reconsideration_body": {"name": "泰安市人民政府", "address": "泰安市东岳大街"},
            "litigation_court": {"name": "泰山区人民法院", "address": "泰安市灵山大街"}}
    assert staff("publisher1").put("/api/requests/settings", json=body).status_code == 403
    assert staff("admin").put("/api/requests/settings", json={"conversion_threshold": 1}).status_code == 422
    assert staff("admin").put("/api/requests/settings", json=body).status_code == 200
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        rid = register(staff("publisher1"))["id"]
        reply(staff, rid, "not_held")
        text = detail(staff("publisher1"), rid)["reply_letter"]["text"]
        assert "泰安市人民政府（地址：泰安市东岳大街）" in text and "泰山区人民法院" in text


def test_the_state_round_trips_between_steps(staff):
    """Every step reloads the instance; saving what was restored must change nothing."""
    from engine.db import reading
    from engine.workflow import state

    def round_trip(instance_id):
        with reading() as s:
            row, workflow = state.load(s, instance_id, lock=False)
            assert state.dump(state.restore(row)) == state.dump(workflow) == row.state_json

    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        rid = register(staff("publisher1"))["id"]
        instance_id = detail(staff("publisher1"), rid)["instance_id"]
        round_trip(instance_id)
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        round_trip(instance_id)
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "third_party", "third_party": "某公司"})
        round_trip(instance_id)


def test_consulting_a_co_producing_agency_is_art_34_and_also_stops_the_clock(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "co_producer",
                                              "third_party": "示例县财政局（共同发文机关）"})
        d = detail(staff("publisher1"), rid)
        assert d["status"] == "consulting" and "第三十四条" in d["pauses"][-1]["note"]
        clock.move_to(morning(D(2026, 11, 5)))
        do(staff("drafter1"), rid, "consult_third_party", {"third_party_answer": "agree"})
        d = detail(staff("publisher1"), rid)
        assert (d["paused_days"], d["due_on"]) == (3, "2026-12-03")


def test_a_delivered_reply_counts_at_once_while_a_reminder_still_waits_for_the_worker(staff):
    with time_machine.travel(morning(D(2026, 3, 2)), tick=False) as clock:
        publisher = staff("publisher1")
        rid = register(publisher)["id"]
        do(publisher, rid, "review_request", {"decision": "accept", "department": ""})
        do(staff("drafter1"), rid, "handle", {"decision": "reply"})
        do(staff("drafter1"), rid, "draft_reply", {"outcome": "already_public", "location": "本机关门户网站"})
        do(staff("leader1"), rid, "leader_signoff", {"decision": "approve", "opinion": "同意"})
        due = D.fromisoformat(detail(publisher, rid)["due_on"])
        clock.move_to(morning(due, hour=10))
        assert timers.fire_due() >= 1  # the delivery step's reminders: their notifications now wait
        do(staff("publisher1"), rid, "deliver_reply", {"delivery_method": "post", "delivered_on": due.isoformat(),
                                                       "delivery_note": "挂号信 XA123"})
        after = detail(staff("publisher1"), rid)
        assert (after["status"], after["closed_on"]) == ("replied", due.isoformat())
        run_worker()
        assert detail(staff("publisher1"), rid)["status"] == "replied"
