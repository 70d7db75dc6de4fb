"""Whoever approves a reply sees the information it provides, de-identified; the letter's "见附件" is a
file delivered with it; the applicant follows the correction and reads the outcome and the letter."""

import io
import zipfile

import docx

from engine import clock
from tests.support.disclosure import run_worker
from tests.support.information_requests import do, register, sign_and_deliver
from tests.support.web import csrf_from, login

MATERIAL = "2026年城区道路改造工程预算表\n联系人李四，身份证号110101199003074573，电话13912341234。\n合计：1200万元。"


def _drafted(staff):
    rid = register(staff("publisher1"))["id"]
    do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
    do(staff("drafter1"), rid, "handle", {"decision": "reply"})
    do(staff("drafter1"), rid, "draft_reply", {"outcome": "disclosed", "material": MATERIAL})
    run_worker()
    return rid


def test_the_approvers_see_the_material_on_their_task_and_the_request_page(staff, app):
    rid = _drafted(staff)
    task = staff("secrecy1").get(f"/api/tasks?scope=available&request_id={rid}").get_json()["items"][0]
    client = login(app.test_client(), "secrecy1")
    page = client.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "提供的信息内容" in page and "合计：1200万元。" in page
    shown = page.split('id="redacted-material" tabindex="0">')[1].split("</div>")[0]
    assert "110101199003074573" not in shown and "13912341234" not in shown
    do(staff("secrecy1"), rid, "secrecy_review_reply", {"decision": "approve", "opinion": "不涉密"})
    task = staff("leader1").get(f"/api/tasks?scope=available&request_id={rid}").get_json()["items"][0]
    leader_page = login(app.test_client(), "leader1").get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert "合计：1200万元。" in leader_page and "此前的办理意见" in leader_page and "不涉密" in leader_page
    request_page = login(app.test_client(), "publisher1").get(f"/requests/{rid}").get_data(as_text=True)
    assert 'id="redacted-material"' in request_page and "下载附件：提供的政府信息" in request_page


def test_the_attachment_goes_with_the_letter_and_the_applicant_reads_the_outcome(staff, client):
    filed = client.post("/api/public/requests", json={
        "applicant": {"name": "张三", "type": "natural_person", "id_number": "110101199003074573",
                      "contact": "13912341234"}, "description": "2026年预算", "form": "electronic",
        "delivery": "email"}).get_json()
    no, code = filed["request_no"], filed["access_code"]
    rid = staff("publisher1").get("/api/requests").get_json()["items"][0]["id"]
    do(staff("publisher1"), rid, "review_request", {"decision": "correction",
                                                    "correction_items": "请写明所需预算的年度和项目\n请写明获取方式"})
    page = client.get(f"/public/requests/status?no={no}&code={code}").get_data(as_text=True)
    assert "需要补正的事项" in page and "请写明所需预算的年度和项目" in page and "请写明获取方式" in page
    sent = client.post("/public/requests/status", data={"no": no, "code": code, "csrf_token": csrf_from(page),
                                                        "description": "2026年城区道路改造工程预算"})
    text = sent.get_data(as_text=True)
    today = clock.today().isoformat()
    assert "您的补正已提交" in text and f"本机关已于{today}收到您的补正" in text and "需要补正的事项" not in text

    do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
    do(staff("drafter1"), rid, "handle", {"decision": "reply"})
    do(staff("drafter1"), rid, "draft_reply", {"outcome": "disclosed", "material": MATERIAL})
    run_worker()
    do(staff("secrecy1"), rid, "secrecy_review_reply", {"decision": "approve", "opinion": "不涉密"})
    sign_and_deliver(staff, rid, clock.today())

    letter = docx.Document(io.BytesIO(staff("publisher1").get(f"/api/requests/{rid}/reply-letter.docx").data))
    assert "附件：提供的政府信息" in [p.text for p in letter.paragraphs]
    end = client.get(f"/public/requests/status?no={no}&code={code}").get_data(as_text=True)
    assert "答复结果" in end and "予以公开" in end and "（见附件）" in end and "下载附件：提供的政府信息" in end
    file = client.get(f"/public/requests/status/attachment.docx?no={no}&code={code}")
    assert file.status_code == 200
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(file.data)).paragraphs)
    assert "合计：1200万元。" in body and "110101199003074573" not in body and "13912341234" not in body
    assert client.get(f"/public/requests/status/attachment.docx?no={no}&code=WRONG").status_code == 404
    assert zipfile.is_zipfile(io.BytesIO(client.get(f"/public/requests/status/letter.docx?no={no}&code={code}").data))
