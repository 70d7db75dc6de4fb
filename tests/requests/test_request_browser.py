"""In Chromium: a member of the public files a request, staff handle it to a reply (Art. 35 reasons
on the request page, the review in the task page's form, the rest through the API), and the public
status page shows it replied."""

import re

import pytest

from engine import clock
from tests.support.information_requests import detail, do, sign_and_deliver

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


def test_public_files_staff_reply_public_sees_replied(page, live_server, staff):
    page.goto(f"{live_server}/public/requests/new")
    assert "申请" in page.title()
    page.select_option("select[name=applicant_type]", "natural_person")
    page.fill("input[name=applicant_name]", "张三")
    page.fill("input[name=applicant_id_number]", "110101199003074573")
    page.fill("input[name=applicant_contact]", "zhangsan@example.com")
    page.fill("textarea[name=description]", "申请公开2026年城区道路改造工程的预算")
    page.click("#submit-request")
    no = page.locator("#request-no").inner_text().strip()
    code = page.locator("#access-code").inner_text().strip()
    assert re.fullmatch(r"YSQ\d{9}", no) and len(code) == 10
    page.click("#status-link")
    assert page.locator("#request-status").get_attribute("data-status") == "reviewing"

    publisher = staff("publisher1")
    rid = publisher.get("/api/requests").get_json()["items"][0]["id"]
    task_id = publisher.get(f"/api/tasks?scope=available&request_id={rid}").get_json()["items"][0]["id"]
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "publisher1")
    page.fill("input[name=password]", "gongkai-demo")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/inbox"))
    # Art. 35 on the request page: ask for reasons, record them as reasonable, the delayed reply is offered.
    page.goto(f"{live_server}/requests/{rid}")
    page.fill("#reasons-form input[name=period_days]", "5")
    page.click("#reasons-form button[type=submit]")
    page.wait_for_selector("#reasons-answer-form")
    assert page.locator('tr[data-notice="reasons"]').count() == 1
    page.fill("#reasons-answer-form input[name=answered_on]", clock.today().isoformat())
    page.fill("#reasons-answer-form textarea[name=reasons]", "用于课题研究")
    page.get_by_label("合理", exact=True).check()
    page.click("#reasons-answer-form button[type=submit]")
    page.wait_for_selector("#delay-form")
    assert page.locator("#reasons-answered").get_attribute("data-reasonable") == "yes"
    page.goto(f"{live_server}/tasks/{task_id}")
    page.click("#claim")
    page.wait_for_selector("#form[data-ready=true]")
    page.get_by_label("受理，交信息所在部门承办").check()
    page.locator(".fjs-form-field", has_text="承办部门").locator(".fjs-select-display").click()
    page.locator(".fjs-dropdownlist-item", has_text="财政局").click()  # a list of departments, not free text
    page.click("#complete")
    page.wait_for_url(re.compile(r"/inbox$"))
    assert detail(publisher, rid)["status"] == "handling"

    do(staff("drafter2"), rid, "handle", {"decision": "reply"})
    do(staff("drafter2"), rid, "draft_reply", {"outcome": "already_public", "location": "县政府门户网站财政预决算栏目"})
    sign_and_deliver(staff, rid, clock.today())

    page.goto(f"{live_server}/public/requests/status?no={no}&code={code}")
    assert page.locator("#request-status").get_attribute("data-status") == "replied"
    assert page.locator("#request-status").inner_text() == "已答复"
    assert page.locator("#replied-on").inner_text() == clock.today().isoformat()
    # The applicant, holding the code, reads the letter addressed to them; staff stay unnamed.
    assert page.locator("#reply-letter").inner_text().count("张三：") == 1 and "leader1" not in page.content()
    page.goto(f"{live_server}/public/requests/status?no={no}&code=WRONG")
    assert "不正确" in page.locator(".error").inner_text()
    assert page.console_errors == []
