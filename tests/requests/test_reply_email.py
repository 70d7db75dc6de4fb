"""Reply letters and notices e-mailed by the system: through a real worker to a real (local) SMTP
server; a server that is down opens an incident naming the letter and its recipient, and the
admin's retry sends it once the server is back."""

import io

import pytest
from docx import Document

from engine import clock, config
from engine.calendar import add_working_days
from tests.support.flows import run_worker
from tests.support.information_requests import APPLICANT, detail, do, payload, task_for
from tests.support.web import login


def signed_request(staff, contact="13912341234，zhangsan@example.com") -> int:
    publisher = staff("publisher1")
    body = {**payload(applicant={**APPLICANT, "contact": contact}), "channel": "in_person",
            "received_on": clock.today().isoformat()}
    rid = publisher.post("/api/requests", json=body).get_json()["id"]
    do(publisher, rid, "review_request", {"decision": "accept", "department": ""})
    do(staff("drafter1"), rid, "handle", {"decision": "reply"})
    do(staff("drafter1"), rid, "draft_reply", {"outcome": "already_public", "location": "本机关门户网站政府信息公开专栏"})
    do(staff("leader1"), rid, "leader_signoff", {"decision": "approve", "opinion": "同意"})
    return rid


def test_the_signed_letter_is_emailed_with_the_word_document(staff, mail_server):
    rid = signed_request(staff)
    publisher = staff("publisher1")
    task = task_for(publisher, rid, "deliver_reply")
    assert publisher.get(f"/api/tasks/{task['id']}").get_json()["form_data"]["email_to"] == "zhangsan@example.com"

    do(publisher, rid, "deliver_reply", {"delivery_method": "send_email", "email_to": "zhangsan@example.com"})
    assert detail(publisher, rid)["status"] == "delivering"  # the worker sends it
    run_worker()

    (recipients, message), = mail_server.messages
    assert recipients == ["zhangsan@example.com"] and message["From"] == "gongkai@example.gov.cn"
    assert detail(publisher, rid)["request_no"] in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "政府信息公开申请答复书" in body and "张三：" in body
    assert "行政复议" in body and "行政诉讼" in body  # DOMAIN §5: every reply names the remedy
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename().endswith("答复书.docx")
    assert "政府信息公开申请答复书" in [p.text for p in Document(io.BytesIO(attachment.get_content())).paragraphs]

    after = detail(publisher, rid)
    assert after["status"] == "replied" and after["closed_on"] == clock.today().isoformat()
    history = [h["action"] for h in after["history"]]
    assert "letter_emailed" in history


def test_a_missing_or_wrong_address_is_asked_for_and_nothing_is_sent(staff, mail_server):
    rid = signed_request(staff, contact="13912341234")
    publisher = staff("publisher1")
    for address in ("", "zhangsan at example"):
        body = do(publisher, rid, "deliver_reply", {"delivery_method": "send_email", "email_to": address}, status=422)
        assert set(body["error"]["fields"]) == {"email_to"}
    run_worker()
    assert mail_server.messages == [] and detail(publisher, rid)["status"] == "delivering"


def test_without_a_mail_server_the_choice_is_refused_at_once(staff):
    rid = signed_request(staff)
    body = do(staff("publisher1"), rid, "deliver_reply",
              {"delivery_method": "send_email", "email_to": "zhangsan@example.com"}, status=422)
    assert "未配置邮件服务器" in body["error"]["message"]
    assert detail(staff("publisher1"), rid)["status"] == "delivering"  # the step is still open


@pytest.fixture
def fast_retries(monkeypatch):
    # Every try of the job runs in one burst of the worker (the back-off is tested in tests/engine).
    monkeypatch.setattr(config.current(), "retry_backoff", (0,))
    monkeypatch.setattr(config.current(), "job_retries", 3)


def open_incidents(api_as) -> list[dict]:
    resp = api_as("admin").get("/api/incidents")
    assert resp.status_code == 200
    return resp.get_json()["items"]


def retry(api_as, incident_id):
    assert api_as("admin").post(f"/api/incidents/{incident_id}/retry").status_code == 200


def test_a_reply_mail_server_that_is_down_opens_an_incident_and_retry_sends_it(staff, api_as, app, mail_down,
                                                                               fast_retries):
    rid = signed_request(staff)
    publisher = staff("publisher1")
    do(publisher, rid, "deliver_reply", {"delivery_method": "send_email", "email_to": "zhangsan@example.com"})
    run_worker()  # three tries against a server that is down
    (incident,) = open_incidents(api_as)
    assert "答复书电子邮件发送失败" in incident["message"] and "zhangsan@example.com" in incident["message"]
    assert "已尝试 3 次" in incident["message"]
    d = detail(publisher, rid)
    assert d["status"] == "delivering" and d["reply_letter"]["delivered_on"] is None and d["closed_on"] is None
    page = login(app.test_client(), "admin").get("/admin/processes").get_data(as_text=True)
    assert "答复书电子邮件发送失败" in page

    inbox = mail_down.start()
    retry(api_as, incident["id"])
    run_worker()
    (recipients, _message), = inbox.messages
    assert recipients == ["zhangsan@example.com"]
    assert open_incidents(api_as) == []
    d = detail(publisher, rid)
    assert d["status"] == "replied" and d["reply_letter"]["delivered_on"] == clock.today().isoformat()


def test_a_notice_mail_refused_opens_an_incident_naming_it_and_retry_delivers_it(staff, api_as, app, mail_down,
                                                                                 fast_retries):
    publisher = staff("publisher1")
    rid = publisher.post("/api/requests", json={**payload(), "channel": "in_person",
                                                "received_on": clock.today().isoformat()}).get_json()["id"]
    do(publisher, rid, "review_request", {"decision": "accept"})
    do(staff("drafter1"), rid, "handle", {"decision": "fee", "fee_method": "per_page", "pages": 150})
    (notice,) = publisher.get(f"/api/requests/{rid}/notices").get_json()["items"]
    url = f"/api/requests/{rid}/notices/{notice['id']}/email"
    assert publisher.post(url, json={"email_to": "zhangsan@example.com"}).status_code == 202
    run_worker()
    (incident,) = open_incidents(api_as)
    assert "收费通知书电子邮件发送失败" in incident["message"] and "zhangsan@example.com" in incident["message"]
    assert detail(publisher, rid)["instance_id"] == incident["instance_id"]
    page = login(app.test_client(), "admin").get("/admin/processes").get_data(as_text=True)
    assert "收费通知书电子邮件发送失败" in page
    # Not delivered: no delivery day, the payment period still provisional, the step still open.
    (notice,) = publisher.get(f"/api/requests/{rid}/notices").get_json()["items"]
    assert notice["delivered_on"] is None
    d = detail(publisher, rid)
    assert d["status"] == "fee_pending" and d["fee"]["pay_by_provisional"] is True
    assert publisher.post(url, json={"email_to": "zhangsan@example.com"}).status_code == 409  # the admin retries

    inbox = mail_down.start()
    retry(api_as, incident["id"])
    run_worker()
    (recipients, message), = inbox.messages
    assert recipients == ["zhangsan@example.com"] and "收费通知书" in message["Subject"]
    assert open_incidents(api_as) == []
    (notice,) = publisher.get(f"/api/requests/{rid}/notices").get_json()["items"]
    today = clock.today()
    assert notice["delivered_on"] == today.isoformat()
    d = detail(publisher, rid)
    assert d["fee"]["pay_by"] == add_working_days(today, 20).isoformat() and d["fee"]["pay_by_provisional"] is False
    assert "notice_emailed" in [h["action"] for h in d["history"]]
