"""Reply letters e-mailed by the system: through a real worker to a real (local) SMTP server."""

import io

from docx import Document

from engine.calendar import today_in_china
from tests.support.flows import run_worker
from tests.support.ysq import APPLICANT, detail, do, payload, task_for


def signed_request(staff, contact="13912341234，zhangsan@example.com") -> int:
    publisher = staff("publisher1")
    body = {**payload(applicant={**APPLICANT, "contact": contact}), "channel": "in_person",
            "received_on": today_in_china().isoformat()}
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
    assert Document(io.BytesIO(attachment.get_content())).paragraphs[1].text == "政府信息公开申请答复书"

    after = detail(publisher, rid)
    assert after["status"] == "replied" and after["closed_on"] == today_in_china().isoformat()
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
