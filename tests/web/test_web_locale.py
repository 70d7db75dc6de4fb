"""Chinese by default; English when the user picks it (and it sticks for the session)."""

import re

from tests.support.web import csrf_from, login

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_english_is_the_second_locale(app):
    client = login(app.test_client(), "reviewer1")
    chinese = client.get("/inbox").get_data(as_text=True)
    assert "我的待办" in chinese and '<html lang="zh-CN">' in chinese
    english = client.get("/inbox?lang=en").get_data(as_text=True)
    assert "My tasks" in english and "Log out" in english and '<html lang="en">' in english
    assert "My tasks" in client.get("/inbox").get_data(as_text=True)  # remembered
    public = app.test_client().get("/public?lang=en").get_data(as_text=True)
    assert "Catalogue of proactively disclosed information" in public
    assert 'aria-label="Year"' in public and not CJK.search(re.search(r"<title>(.*?)</title>", public).group(1))
    assert 'aria-label="年份"' in app.test_client().get("/public").get_data(as_text=True)


def test_task_and_document_pages_in_english(app, api_as):
    doc_id = api_as("drafter1").post("/api/documents", json={
        "title": "关于X的通知", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
        "body": "正文"}).get_json()["id"]
    task = api_as("reviewer1").get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
    client = login(app.test_client(), "reviewer1")
    page = client.get(f"/tasks/{task['id']}?lang=en").get_data(as_text=True)
    assert "Review records" in page and "Claim" in page and "Diagram" in page
    assert "Publish by" in client.get(f"/documents/{doc_id}").get_data(as_text=True)


def test_public_request_pages_in_english(app):
    client = app.test_client()
    form = client.get("/public/requests/new?lang=en").get_data(as_text=True)
    assert "Request for government information" in form and "Applicant details" in form and '<html lang="en">' in form
    assert "Natural person" in form and "Submit request" in form and not CJK.search(form)
    fields = {"csrf_token": csrf_from(form), "applicant_type": "natural_person", "applicant_name": "张三",
              "applicant_id_number": "110101199003074573", "applicant_contact": "13912341234",
              "description": "申请公开2026年城区道路改造工程的预算", "form": "electronic", "delivery": "email"}
    bad = client.post("/public/requests/new", data={**fields, "applicant_name": ""})
    errors = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "The request contains errors" in errors and "This field is required." in errors

    filed = client.post("/public/requests/new", data=fields)
    page = filed.get_data(as_text=True)
    assert filed.status_code == 201 and "Request submitted" in page and "Access code" in page and "Reply due" in page
    assert not CJK.search(page) and "申请已提交" not in page and "查询码" not in page
    no = re.search(r'id="request-no">([^<]+)<', page).group(1)
    status_url = re.search(r'id="status-link" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    status = client.get(status_url).get_data(as_text=True)  # the language sticks without ?lang
    assert "Progress of an information request" in status and "Date of receipt" in status
    assert 'data-status="reviewing">Under review<' in status and not CJK.search(status)
    wrong = client.get(f"/public/requests/status?no={no}&code=WRONG").get_data(as_text=True)
    assert "The request number or access code is incorrect." in wrong and "不正确" not in wrong
    chinese = app.test_client().get(status_url).get_data(as_text=True)
    assert "依申请公开办理进度查询" in chinese and "审查申请" in chinese and "Under review" not in chinese


def test_annual_report_page_in_english(app):
    client = login(app.test_client(), "publisher1")
    page = client.get("/reports/annual/2025?lang=en").get_data(as_text=True)
    assert "Annual Report on Government Information Disclosure, 2025" in page and "Download Word" in page
    assert "1. Overview" in page and "3. Requests for government information received and handled" in page
    assert "Applicants" in page and "Month 1: 0 received" in page and "Record" in page
    for chrome in ("年度政府信息公开工作年度报告", "一、总体情况", "下载 Word", "申请人情况", "编辑文字部分", "尚未填写"):
        assert chrome not in page
    resp = client.post("/reports/annual/2025/text", data={"csrf_token": csrf_from(page), "overview": "",
                                                          "problems": "", "other_matters": ""})
    assert resp.status_code == 302
    assert "The annual report has been saved." in client.get("/reports/annual/2025").get_data(as_text=True)
    assert "年度政府信息公开工作年度报告" in client.get("/reports/annual/2025?lang=zh").get_data(as_text=True)
