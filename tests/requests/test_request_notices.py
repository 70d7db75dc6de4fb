"""Notices are letters: each is stored, listed, downloadable as .docx, and its delivery recorded
with a date that can be; the agency named is the one the receiving department speaks as."""

import io
from datetime import date as D

import docx
import time_machine

from engine import calendar, clock
from engine.workflow import timers
from tests.support.flows import run_worker
from tests.support.information_requests import detail, do, morning, register
from tests.support.web import csrf_from, login


def notices(api, rid) -> list[dict]:
    resp = api.get(f"/api/requests/{rid}/notices")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["items"]


def docx_text(api, url) -> str:
    resp = api.get(url)
    assert resp.status_code == 200 and resp.mimetype.endswith("wordprocessingml.document")
    return "\n".join(p.text for p in docx.Document(io.BytesIO(resp.data)).paragraphs)


def test_a_correction_notice_is_a_letter_with_its_delivery_recorded(staff):
    with time_machine.travel(morning(D(2026, 11, 4)), tick=False):
        publisher = staff("publisher1")
        rid = register(publisher, received_on="2026-11-03")["id"]
        do(publisher, rid, "review_request", {"decision": "correction", "correction_items": "请写明道路名称\n请写明年度"})
        [notice] = notices(publisher, rid)
        assert notice["kind"] == "correction" and notice["delivered_on"] is None and notice["created_at"]
        text = docx_text(publisher, notice["docx_url"])
        assert "政府信息公开申请补正告知书" in text and "1. 请写明道路名称" in text and "第三十条" in text
        url = f"/api/requests/{rid}/notices/{notice['id']}/delivery"
        for day, why in (("2026-11-02", "before"), ("2026-11-05", "future"), ("11/04", "format")):
            resp = publisher.post(url, json={"delivery_method": "post", "delivered_on": day})
            assert resp.status_code == 422 and "delivered_on" in resp.get_json()["error"]["fields"], why
        assert staff("drafter1").post(url, json={"delivery_method": "post", "delivered_on": "2026-11-04"}).status_code == 404
        ok = publisher.post(url, json={"delivery_method": "post", "delivered_on": "2026-11-04"})
        assert ok.status_code == 200, ok.get_json()
        assert notices(publisher, rid)[0]["delivered_on"] == "2026-11-04"
        assert staff("drafter2").get(f"/api/requests/{rid}/notices").status_code == 404


def test_a_fee_notice_states_basis_standard_calculation_amount_and_payment(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "fee", "fee_method": "per_page", "pages": 150})
        [notice] = notices(staff("publisher1"), rid)
        assert notice["kind"] == "fee"
        for words in ("国办函〔2020〕109号", "收费标准：按量计收", "计算方式：共150页", "应缴金额：人民币1700元",
                      "缴纳方式：", "自收到本通知书之次日起20个工作日内"):
            assert words in notice["text"], words
        clock.move_to(morning(D(2026, 11, 5)))
        url = f"/api/requests/{rid}/notices/{notice['id']}/delivery"
        assert staff("publisher1").post(url, json={"delivery_method": "post", "delivered_on": "2026-11-04"}).status_code == 200
        # The 20 working days run from the day after the applicant received the notice.
        pay_by = detail(staff("publisher1"), rid)["fee"]["pay_by"]
        assert pay_by == calendar.add_working_days(D(2026, 11, 4), 20).isoformat() == "2026-12-02"


def test_consultation_and_extension_notices_name_the_right_article(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False):
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "third_party",
                                              "third_party": "示例建设公司"})
        do(staff("drafter1"), rid, "consult_third_party", {"third_party_answer": "agree"})
        do(staff("drafter1"), rid, "handle", {"decision": "consult", "consulted_party": "co_producer",
                                              "third_party": "示例县财政局"})
        do(staff("drafter1"), rid, "consult_third_party", {"third_party_answer": "agree"})
        do(staff("drafter1"), rid, "handle", {"decision": "extend", "extension_days": 10, "opinion": "情况复杂"})
        do(staff("leader1"), rid, "approve_extension", {"decision": "approve", "opinion": "同意"})
        third, co, extension = notices(staff("publisher1"), rid)
        assert (third["kind"], third["recipient"]) == ("third_party", "示例建设公司") and "第三十二条" in third["text"]
        assert co["recipient"] == "示例县财政局" and "第三十四条" in co["text"] and "视为同意公开" in co["text"]
        assert extension["kind"] == "extension" and "延长10个工作日" in extension["text"]
        assert "第三十三条第二款" in extension["text"]


def test_an_extension_after_the_due_date_is_refused(staff):
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        clock.move_to(morning(D(2026, 12, 1)))  # due 2026-11-30
        resp = do(staff("drafter1"), rid, "handle", {"decision": "extend", "extension_days": 5, "opinion": "来不及"},
                  status=422)
        assert "extension_days" in resp["error"]["fields"]


def test_a_reply_cannot_be_delivered_before_the_request_was_received(staff):
    with time_machine.travel(morning(D(2026, 11, 4)), tick=False):
        rid = register(staff("publisher1"), received_on="2026-11-03")["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
        do(staff("drafter1"), rid, "handle", {"decision": "reply"})
        do(staff("drafter1"), rid, "draft_reply", {"outcome": "already_public", "location": "门户网站"})
        do(staff("leader1"), rid, "leader_signoff", {"decision": "approve", "opinion": "同意"})
        resp = do(staff("publisher1"), rid, "deliver_reply", {"delivery_method": "post", "delivered_on": "2026-11-02"},
                  status=422)
        assert "delivered_on" in resp["error"]["fields"]


def test_letters_carry_the_agency_the_receiving_office_speaks_as(staff, api_as):
    admin = api_as("admin")
    office = next(d for d in admin.get("/api/departments").get_json()["items"] if d["name"] == "办公室")
    admin.client.patch(f"/api/departments/{office['id']}", json={"agency_name": "示例县人民政府"}, headers=admin.headers)
    with time_machine.travel(morning(D(2026, 11, 4)), tick=False):
        rid = register(staff("publisher1"))["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "correction", "correction_items": "请写明年度"})
        text = notices(staff("publisher1"), rid)[0]["text"]
        assert text.startswith("示例县人民政府\n政府信息公开申请补正告知书") and text.rstrip().endswith("2026年11月4日")


def test_the_request_page_lists_notices_and_records_their_delivery(staff, app):
    with time_machine.travel(morning(D(2026, 11, 4)), tick=False):
        rid = register(staff("publisher1"), received_on="2026-11-03")["id"]
        do(staff("publisher1"), rid, "review_request", {"decision": "correction", "correction_items": "请写明年度"})
        client = login(app.test_client(), "publisher1")
        page = client.get(f"/requests/{rid}").get_data(as_text=True)
        assert 'data-notice="correction"' in page and "补正告知书" in page and f"/api/requests/{rid}/notices/" in page
        notice_id = notices(staff("publisher1"), rid)[0]["id"]
        url = f"/requests/{rid}/notices/{notice_id}/delivery"
        bad = client.post(url, data={"csrf_token": csrf_from(page), "delivery_method": "post", "delivered_on": "2026-11-01"})
        assert bad.status_code == 422
        ok = client.post(url, data={"csrf_token": csrf_from(page), "delivery_method": "post", "delivered_on": "2026-11-04"})
        assert ok.status_code == 302
        assert notices(staff("publisher1"), rid)[0]["delivered_on"] == "2026-11-04"


def test_a_fee_notice_e_mailed_by_the_worker_is_delivered_that_day(staff, mail_server):
    rid = register(staff("publisher1"))["id"]
    do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
    do(staff("drafter1"), rid, "handle", {"decision": "fee", "fee_method": "per_page", "pages": 150})
    publisher = staff("publisher1")
    [notice] = notices(publisher, rid)
    url = f"/api/requests/{rid}/notices/{notice['id']}/email"
    bad = publisher.post(url, json={"email_to": "not-an-address"})
    assert bad.status_code == 422 and "email_to" in bad.get_json()["error"]["fields"]
    assert publisher.post(url, json={"email_to": "zhangsan@example.com"}).status_code == 202
    assert notices(publisher, rid)[0]["delivered_on"] is None  # the worker sends it
    run_worker()
    [(to, message)] = mail_server.messages
    assert to == ["zhangsan@example.com"] and "收费通知书" in message["Subject"]
    attachment = next(message.iter_attachments())
    assert "应缴金额：人民币1700元" in "\n".join(p.text for p in docx.Document(io.BytesIO(attachment.get_content())).paragraphs)
    today = clock.today()
    assert notices(publisher, rid)[0]["delivered_on"] == today.isoformat()
    assert detail(publisher, rid)["fee"]["pay_by"] == calendar.add_working_days(today, 20).isoformat()
    assert publisher.post(url, json={"email_to": "zhangsan@example.com"}).status_code == 409


def test_the_fee_timer_follows_the_recorded_delivery_of_the_notice(staff, mail_server):
    """国办函〔2020〕109号: 20 working days from the day after the applicant receives the notice —
    recorded by hand (received 6 Nov) or by the worker that e-mails it (sent 5 Nov)."""
    with time_machine.travel(morning(D(2026, 11, 2)), tick=False) as clock:
        publisher = staff("publisher1")
        by_hand, by_mail = register(publisher)["id"], register(publisher, description="申请公开2026年公园建设预算")["id"]
        for rid in (by_hand, by_mail):
            do(publisher, rid, "review_request", {"decision": "accept"})
            do(staff("drafter1"), rid, "handle", {"decision": "fee", "fee_method": "per_page", "pages": 150})
        # Notice day + 20 working days would be 30 Nov; not delivered yet, the deadline is provisional.
        assert detail(publisher, by_hand)["fee"]["pay_by"] == "2026-12-07"

        clock.move_to(morning(D(2026, 11, 5)))
        publisher = staff("publisher1")
        [mailed] = notices(publisher, by_mail)
        assert publisher.post(f"/api/requests/{by_mail}/notices/{mailed['id']}/email",
                              json={"email_to": "zhangsan@example.com"}).status_code == 202
        run_worker()  # sends it and records the delivery on 5 Nov
        assert notices(publisher, by_mail)[0]["delivered_on"] == "2026-11-05" and len(mail_server.messages) == 1

        clock.move_to(morning(D(2026, 11, 9)))
        publisher = staff("publisher1")
        [handed] = notices(publisher, by_hand)
        assert publisher.post(f"/api/requests/{by_hand}/notices/{handed['id']}/delivery",
                              json={"delivery_method": "post", "delivered_on": "2026-11-06"}).status_code == 200
        assert detail(publisher, by_mail)["fee"]["pay_by"] == "2026-12-03"
        assert detail(publisher, by_hand)["fee"]["pay_by"] == "2026-12-04"

        def statuses():
            timers.fire_due()
            run_worker()
            return detail(staff("publisher1"), by_hand)["status"], detail(staff("publisher1"), by_mail)["status"]

        clock.move_to(morning(D(2026, 12, 1)))  # past notice day + 20 working days: neither lapses
        assert statuses() == ("fee_pending", "fee_pending")
        clock.move_to(morning(D(2026, 12, 3), 23))
        assert statuses() == ("fee_pending", "fee_pending")
        clock.move_to(morning(D(2026, 12, 4)))  # 3 Dec has ended: the e-mailed one lapses
        assert statuses() == ("fee_pending", "closed")
        clock.move_to(morning(D(2026, 12, 5)))
        assert statuses() == ("closed", "closed")
        for rid, closed_on in ((by_hand, "2026-12-05"), (by_mail, "2026-12-04")):
            d = detail(staff("publisher1"), rid)
            assert (d["outcome"], d["outcome_reason"], d["closed_on"]) == ("other", "fee_unpaid", closed_on)
            assert "未在收费通知规定的期限内缴纳信息处理费" in d["reply_letter"]["text"]
