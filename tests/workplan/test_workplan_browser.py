"""In Chromium: the office imports a plan through the preview (correcting a row, mapping one unknown
unit and creating another), a department reports on its task page with an evidence link, the office
reviews, and the office dashboard counts per department and per section."""

import re

import pytest

from engine import clock
from tests.support.browser import log_in
from tests.support.sample_files import plain_pdf
from tests.support.workplan import create_plan, published_document

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

# The plan of the current year, so the test means the same whatever day it runs: its first row's
# deadline is always past (last year's 20 November), the corrected ones never (this year's end).
YEAR = clock.today().year
PLAN = f"""{YEAR}年示例县政务公开工作要点
一、加强重点领域信息公开
（一）推进财政信息公开。全面公开财政预决算信息。（县财政局牵头，县民政局配合，{YEAR - 1}年11月20日前完成）
（二）推进统计信息公开。按月公开统计数据。（县统计局负责，年底前完成）
（三）推进数据开放。公开政府数据开放目录。（县大数据局负责，年底前完成）
"""




def test_the_office_corrects_the_preview_and_creates_the_plan(page, live_server, staff):
    log_in(page, live_server, "office1")
    page.goto(f"{live_server}/workplans/import")
    page.fill("#plan-text", PLAN)
    page.click("#preview-button")
    page.wait_for_selector("#preview:not([hidden])")
    assert page.locator("#preview-rows tr").count() == 3
    assert page.locator("#unknown-list select").count() == 2
    page.select_option("select[data-unit='县统计局']", "民政局")  # map: 统计 sits in 民政局 here
    # 县大数据局 keeps the default: created with the plan. Correct the second row's deadline by hand.
    page.locator("#preview-rows tr").nth(1).locator(".deadline").fill(f"{YEAR}年12月底前")
    page.fill("#plan-title", f"{YEAR}年示例县政务公开工作要点")
    # The first row's deadline has passed: nothing is created until the office chooses.
    first = page.locator("#preview-rows tr").nth(0)
    assert first.locator(".tag.passed").inner_text() == "完成时限已过"
    assert first.locator(".due-on").inner_text() == f"{YEAR - 1}-11-20"
    page.click("#create-button")
    page.wait_for_selector("#create-message:has-text('完成时限')")
    assert len(page.console_errors) == 1 and "422" in page.console_errors[0]  # that refusal, and nothing else
    page.console_errors.clear()
    first.locator("select.overdue").select_option("reschedule")
    first.locator(".new-due").fill(f"{YEAR}-12-31")
    page.click("#create-button")
    page.wait_for_url(re.compile(r"/workplans/\d+$"))

    plan_id = int(page.url.rsplit("/", 1)[1])
    tasks = staff("office1").get(f"/api/workplans/{plan_id}").get_json()["tasks"]
    assert [t["lead_units"] for t in tasks] == [["财政局"], ["民政局"], ["县大数据局"]]
    assert (tasks[0]["due_on"], tasks[0]["deadline"]) == (f"{YEAR}-12-31", f"{YEAR}年12月31日前")
    assert tasks[1]["due_on"] == f"{YEAR}-12-31"
    assert page.locator("#by-department tbody tr").count() == 3
    from tests.support.browser import assert_clean_page

    assert_clean_page(page)


def test_a_department_reports_with_evidence_and_the_office_reviews(page, live_server, staff):
    plan_id = create_plan(staff("office1"))
    task = next(t for t in staff("office1").get(f"/api/workplans/{plan_id}").get_json()["tasks"]
                if t["lead_units"] == ["财政局"])
    doc_id = published_document()

    log_in(page, live_server, "liaison_cz")
    page.goto(f"{live_server}/workplans/tasks/{task['id']}")
    page.fill("#report-form textarea[name=text]", "已在门户网站公开2026年财政预算")
    page.fill("#report-form textarea[name=evidence_urls]", "https://example.gov.cn/czyjs/2026")
    page.fill("#report-form input[name=document_ids]", str(doc_id))
    page.set_input_files("#report-form input[name=evidence_files]", files=[
        {"name": "预算公开截图.pdf", "mimeType": "application/pdf", "buffer": plain_pdf()}])
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#reports li.report")
    report = page.locator("#reports li.report").first
    assert "已在门户网站公开2026年财政预算" in report.inner_text() and "待审核" in report.inner_text()
    assert "财政局 · 冯联络" in report.inner_text()  # who reported, by name
    assert report.locator("a[href='https://example.gov.cn/czyjs/2026']").count() == 1
    assert report.locator(f"a[href$='/public/documents/{doc_id}']").inner_text() == "2026年县级财政预算公开"
    assert page.locator("#linked-documents li").count() == 1
    with page.expect_download() as download:
        report.get_by_text("预算公开截图.pdf").click()
    assert download.value.suggested_filename == "预算公开截图.pdf"
    assert page.locator("#report-form").count() == 0  # waiting for the office now
    assert page.console_errors == []

    page.context.clear_cookies()
    log_in(page, live_server, "office1")
    page.goto(f"{live_server}/workplans/tasks/{task['id']}")
    form = page.locator(".review-form")
    form.get_by_label("退回补充").check()
    form.locator("textarea[name=opinion]").fill("请补充项级科目公开的链接")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".flash")
    assert "已退回：请补充项级科目公开的链接" in page.locator("#reports li.report").first.inner_text()


def test_the_office_dashboard_counts_per_department_and_section(page, live_server, staff):
    plan_id = create_plan(staff("office1"))
    task = next(t for t in staff("office1").get(f"/api/workplans/{plan_id}").get_json()["tasks"]
                if t["lead_units"] == ["教育局"])
    assert staff("liaison_jy").post(f"/api/workplans/tasks/{task['id']}/reports",
                                    json={"text": "已同步公开解读", "request_completion": True}).status_code == 200
    assert staff("office1").post(f"/api/workplans/tasks/{task['id']}/review",
                                 json={"decision": "complete", "opinion": "同意"}).status_code == 200

    log_in(page, live_server, "office1")
    page.goto(f"{live_server}/workplans/{plan_id}")
    rows = {r.locator("td").first.inner_text(): r for r in page.locator("#by-department tbody tr").all()}
    assert set(rows) == {"财政局", "民政局", "教育局"}
    assert rows["教育局"].locator("[data-flag=done]").inner_text() == "1"
    assert rows["财政局"].locator("[data-flag=done]").inner_text() == "0"
    # Issued this month: its first report is owed next period, so none is missing yet.
    assert rows["财政局"].locator("[data-flag=no_report]").inner_text() == "0"
    sections = {r.locator("td").first.inner_text(): r.locator("[data-flag=done]").inner_text()
                for r in page.locator("#by-section tbody tr").all()}
    assert sections == {"加强重点领域信息公开": "0", "加强政策解读": "1"}
    from tests.support.browser import assert_clean_page

    assert_clean_page(page)


def test_the_shipped_diagram_opens_in_the_editor_and_on_the_liaisons_task(page, live_server, staff):
    plan_id = create_plan(staff("office1"))
    task = next(t for t in staff("office1").get(f"/api/workplans/{plan_id}").get_json()["tasks"]
                if t["lead_units"] == ["财政局"])
    inbox = staff("liaison_cz").get(f"/api/tasks?scope=available&instance_id={task['leads'][0]['instance_id']}")
    step = inbox.get_json()["items"][0]
    assert step["bpmn_id"] == "report"

    log_in(page, live_server, "liaison_cz")
    page.goto(f"{live_server}/tasks/{step['id']}")
    page.wait_for_selector(".djs-element[data-element-id=report]")
    assert page.console_errors == []
    page.context.clear_cookies()
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/processes/workplan_task/edit")
    page.wait_for_selector("#editor[data-ready=true]")
    for element in ("carry_out", "report", "review", "report_cycle", "escalate", "supervision_notice"):
        assert page.locator(f".djs-element[data-element-id={element}]").count() == 1, element
    page.click("#validate")
    page.wait_for_selector("#editor-status:has-text('校验通过')")
    assert page.console_errors == []
