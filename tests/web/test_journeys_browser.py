"""The journeys as the people who do them meet them, in Chromium at a desk (1400 px) and on a phone
(390 px), public pages also in 长者模式: a document from its drafter to the public catalogue, and a
request with a correction from the citizen's filing to the letter on the status page. Each stop
asserts what the person reads there; each stop's screenshot is saved under test-artifacts/journeys/."""

import re

import pytest
from playwright.sync_api import expect

from engine import clock
from tests.support.disclosure import run_worker
from tests.support.information_requests import do
from tests.support.journey import PHONE, complete, log_in, look, open_task

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


BODY = "经审核，王秀英同志家庭符合城乡低保条件。身份证号110101199003074573。感谢王秀英同志配合入户调查。"


def test_a_document_from_its_drafter_to_the_public(page, live_server, staff):
    log_in(page, live_server, "drafter1")
    page.goto(f"{live_server}/documents/new")
    page.fill("input[name=title]", "关于岱宗大街积水点整治情况的通报")
    page.fill("input[name=formed_on]", clock.today().isoformat())
    page.select_option("#category", "general")
    page.select_option("#attribute", "proactive")
    page.fill("textarea[name=body]", BODY)
    page.click("#new-document button[type=submit]")
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    doc = int(page.url.rsplit("/", 1)[1])
    look(page, "doc-1-drafter-submitted", ["初审中", "关于岱宗大街积水点整治情况的通报"])

    log_in(page, live_server, "reviewer1")
    open_task(page, live_server, staff("reviewer1"), f"document_id={doc}")
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("审查意见").fill("内容属实，同意公开。")
    complete(page)

    log_in(page, live_server, "secrecy1")
    open_task(page, live_server, staff("secrecy1"), f"document_id={doc}")
    # The reviewer's words are beside the form, read-only; the form itself is empty.
    text = look(page, "doc-2-secrecy-review", ["此前的办理意见", "内容属实，同意公开。", "复审（保密审查）"])
    assert page.get_by_label("审查意见").input_value() == ""
    assert "secrecy_reviewer" not in text and "reviewer1" not in text  # names, not codes
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("审查意见").fill("经审查不涉及国家秘密，同意公开。")
    complete(page)
    run_worker()

    log_in(page, live_server, "publisher1")
    open_task(page, live_server, staff("publisher1"), f"document_id={doc}")
    assert page.get_by_label("备注").input_value() == ""  # not the secrecy reviewer's opinion
    look(page, "doc-3-confirm-redaction", ["经审查不涉及国家秘密，同意公开。", "请在右侧核对"])
    names = page.locator("#redaction-view mark.finding", has_text="王秀英")
    assert names.count() == 2 and page.locator("#redaction-view mark.finding.redacted", has_text="王秀英").count() == 2
    # Released in one place only, the name would tell who the pseudonym stands for: a warning says so.
    page.uncheck("#every-occurrence")
    names.first.click()
    expect(page.locator("#redaction-warnings")).to_contain_text("「王秀英」有 1 处保留原文")
    names.first.click()
    expect(page.locator("#redaction-warnings")).to_be_hidden()
    # By default a release applies to every occurrence.
    page.check("#every-occurrence")
    names.first.click()
    expect(page.locator("#redaction-view mark.finding.kept", has_text="王秀英")).to_have_count(2)
    names.first.click()
    expect(page.locator("#redaction-view mark.finding.redacted", has_text="王秀英")).to_have_count(2)
    expect(page.locator("#redacted-preview")).not_to_contain_text("王秀英")
    page.get_by_label("确认去标识化结果并发布").check()
    complete(page)
    run_worker()

    page.context.clear_cookies()
    page.goto(f"{live_server}/public?q=岱宗大街 积水")
    look(page, "doc-4-public-catalogue", ["关于岱宗大街积水点整治情况的通报", "索引号"], elder=True)
    page.click(f"a[href$='/public/documents/{doc}']")
    text = look(page, "doc-5-public-document", ["发布机构", "成文日期", "感谢"], elder=True)
    assert "王秀英" not in text and "110101199003074573" not in text
    # On a phone the 目录信息 table is a stack of label/value pairs, and 长者模式 and 订阅 are on screen.
    page.set_viewport_size({"width": 360, "height": 800})
    for control in (page.locator("#elder-toggle"), page.get_by_role("link", name="订阅（Atom）")):
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] < 60, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    log_in(page, live_server, "drafter1")
    page.goto(f"{live_server}/notifications")
    look(page, "doc-6-drafter-told", ["您起草的《关于岱宗大街积水点整治情况的通报》已公开发布"], widths=(PHONE,))


def test_a_request_with_a_correction_to_the_letter(page, live_server, staff):
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(f"{live_server}/public/requests/new")
    page.select_option("select[name=applicant_type]", "natural_person")
    page.fill("input[name=applicant_name]", "张三")
    page.fill("input[name=applicant_id_number]", "110101199003074573")
    page.fill("input[name=applicant_contact]", "zhangsan@example.com")
    page.fill("textarea[name=description]", "道路改造的预算")
    page.click("#submit-request")
    no, code = page.locator("#request-no").inner_text().strip(), page.locator("#access-code").inner_text().strip()
    status_url = f"{live_server}/public/requests/status?no={no}&code={code}"
    publisher = staff("publisher1")
    rid = publisher.get("/api/requests").get_json()["items"][0]["id"]

    log_in(page, live_server, "publisher1")
    open_task(page, live_server, publisher, f"request_id={rid}")
    page.get_by_label("申请内容不明确，一次性告知补正").check()
    page.get_by_label("补正事项（每行一项）").fill("请写明道路名称和年度\n请写明所需的预算文件名称")
    page.get_by_label("审查意见").fill("申请内容不明确")
    complete(page)

    page.context.clear_cookies()
    page.goto(status_url)
    look(page, "req-1-citizen-correction", ["需要补正的事项", "请写明道路名称和年度", "请写明所需的预算文件名称"],
         elder=True)
    page.fill("textarea[name=description]", "申请公开2026年岱宗大街改造工程的预算")
    page.click("form[method=post] button[type=submit]")
    look(page, "req-2-citizen-sent", ["您的补正已提交", "收到您的补正"], elder=True)

    log_in(page, live_server, "publisher1")
    open_task(page, live_server, publisher, f"request_id={rid}", "review_request")
    look(page, "req-3-second-review", ["本申请已告知过一次补正", "申请内容不明确"])
    assert not page.get_by_label("申请内容不明确，一次性告知补正").is_checked()  # no old choice
    page.get_by_label("受理，交信息所在部门承办").check()
    complete(page)
    do(staff("drafter1"), rid, "handle", {"decision": "reply"})
    do(staff("drafter1"), rid, "draft_reply", {"outcome": "disclosed", "material":
                                              "岱宗大街改造工程预算1200万元。联系人李四，电话13912341234。"})
    run_worker()

    log_in(page, live_server, "secrecy1")
    open_task(page, live_server, staff("secrecy1"), f"request_id={rid}")
    text = look(page, "req-4-secrecy-sees-material", ["提供的信息内容", "岱宗大街改造工程预算1200万元。"])
    assert "13912341234" not in page.inner_text("#redacted-material") and "张三" in text
    page.get_by_label("同意提供").check()
    page.get_by_label("审查意见").fill("不涉密")
    complete(page)
    do(staff("leader1"), rid, "leader_signoff", {"decision": "approve", "opinion": "同意"})

    log_in(page, live_server, "publisher1")
    open_task(page, live_server, publisher, f"request_id={rid}", "deliver_reply")
    assert page.get_by_label("电子邮件（已另行发送，仅登记）").is_checked()  # the applicant chose e-mail
    look(page, "req-5-delivery", ["送达答复", "岱宗大街改造工程预算1200万元。"])
    page.get_by_role("textbox", name="送达日期").fill(clock.today().strftime("%Y/%m/%d"))  # a date picker
    page.keyboard.press("Enter")
    complete(page)

    page.context.clear_cookies()
    page.goto(status_url)
    look(page, "req-6-citizen-outcome", ["答复结果", "予以公开", "（见附件）", "下载附件：提供的政府信息"], elder=True)


def test_the_editors_speak_chinese(page, live_server):
    """The admin's BPMN, DMN and form editors: the libraries' own chrome in Chinese (bpmn-js-i18n and
    dmn-js through their translate service; form-js, which has none, by replacing its texts)."""
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/processes/disclosure_review/edit")
    page.wait_for_selector("[data-ready=true]")
    assert page.locator(".djs-palette [aria-label='启动手动工具']").count() == 1  # bpmn-js-i18n's words
    page.locator(".djs-element[data-element-id=dept_review]").first.click()
    panel = page.inner_text(".properties")
    assert "部门审核人（dept_reviewer）" in panel and "审查文件（review_document）" in panel
    look(page, "edit-1-bpmn", ["流程"], widths=(1400,))

    page.goto(f"{live_server}/admin/decisions/publication_deadline.dmn/edit")
    page.wait_for_selector("#dmn[data-ready=true]")
    text = page.inner_text("#dmn")
    assert "命中策略" in text and "Hit policy" not in text
    look(page, "edit-2-dmn", ["决策表"], widths=(1400,))

    page.goto(f"{live_server}/admin/forms/review_document/edit")
    page.wait_for_selector("#form-editor[data-ready=true]")
    page.locator(".fjs-editor-container .fjs-form-field").first.click()
    text = page.inner_text("#form-editor")
    for words in ("组件", "单行文本", "单选按钮组", "常规", "条件", "校验", "请选择"):
        assert words in text, words
    for english in ("Components", "Text field", "General", "Validation", "Select"):
        assert english not in text, english
    look(page, "edit-3-form", ["表单"], widths=(1400,))


def test_the_seed_work_plan_of_a_first_time_office(page, live_server, staff):
    year = clock.today().year
    text = (f"发布日期：{year}年3月1日\n示例县人民政府办公室关于印发《{year}年示例县政务公开工作要点》的通知\n"
            f"一、重点领域信息公开\n（一）推进财政信息公开。全面公开预决算。（县财政局负责，年底前完成）\n"
            f"（二）推进价格信息公开。公开重要商品价格。（区发展和改革局负责，年底前完成）\n"
            f"（三）推进项目信息公开。公开重大项目批准信息。（区发改局负责，年底前完成）\n"
            f"（四）做好解读回应。及时回应社会关切。（年底前完成）\n")
    log_in(page, live_server, "office1")  # a demo user: the 政务公开办
    page.goto(f"{live_server}/workplans/import")
    page.fill("#plan-text", text)
    page.click("#preview-button")
    page.wait_for_selector("#preview:not([hidden])")
    assert page.input_value("#plan-title") == f"{year}年示例县政务公开工作要点"  # the heading, not 发布日期
    expect(page.locator("#unknown-list")).to_contain_text("您是否指：区发展和改革局")
    page.click("#create-button")
    expect(page.locator("#blocking-rows")).to_contain_text("第4行没有牵头单位")
    assert "blocking" in page.locator("#preview-rows tr").nth(3).get_attribute("class")
    look(page, "plan-1-import-blocking", ["有 1 行需要处理", "第4行没有牵头单位", "您是否指：区发展和改革局"])
    page.locator("#preview-rows tr").nth(3).locator(".lead").fill("办公室")
    page.click("#create-button")
    page.wait_for_url(re.compile(r"/workplans/\d+$"))
    plan = int(page.url.rsplit("/", 1)[1])

    log_in(page, live_server, "liaison2")  # the demo liaison of 财政局 receives its task
    open_task(page, live_server, staff("liaison2"), "process_key=workplan_task")
    look(page, "plan-2-liaison-report", ["全面公开预决算"])
    page.get_by_label("工作进展").fill("已在门户网站公开本级预决算及说明。")
    page.get_by_label("佐证链接（每行一个网址）").fill("https://www.example.gov.cn/czyjs")
    page.get_by_label("任务已完成，申请销号").check()
    complete(page)

    log_in(page, live_server, "office1")
    page.goto(f"{live_server}/workplans/{plan}")
    look(page, "plan-3-dashboard", ["最近报送的进展", "已在门户网站公开本级预决算及说明。", "申请销号"])
    open_task(page, live_server, staff("office1"), "process_key=workplan_task", "review")
    text = look(page, "plan-4-office-review", ["已在门户网站公开本级预决算及说明。", "https://www.example.gov.cn/czyjs"])
    assert "request_completion" not in text and "False" not in text  # content, not process variables
