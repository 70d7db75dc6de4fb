"""Usability in Chromium, as a clerk and a citizen meet the product: the inbox lands on work to do,
a form says what it needs before the server does, work in progress shows and updates by itself,
the diagram opens on the current step, 长者模式 enlarges the public pages, and empty and error
states say what to do next. axe-core checks every page these tests reach (tests/support/browser.py).
"""

import io
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engine.db import reading
from engine.models import Outbox
from engine.workflow import service_tasks
from tests.support.browser import assert_clean_page, log_in
from tests.support.disclosure import APPROVE, do_task, run_worker
from tests.support.information_requests import do, register

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
DOCUMENT = {"title": "关于公开预算的通知", "category": "general", "attribute": "proactive", "formed_on": "2026-11-02",
            "body": "经审核，户主张伟符合条件。联系电话13912341234。"}


def choose(page, label, option):
    """Pick `option` in form-js's select labelled `label`, as a person would."""
    page.locator(".fjs-form-field", has_text=label).locator(".fjs-select-display").click()
    page.locator(".fjs-dropdownlist-item", has_text=option).first.click()


def expect_refused(page, status):
    """The page answered `status` on purpose: Chromium logs that as a console error; only that.
    Call it once the refused page has loaded (the message arrives with the response)."""
    page.console_errors[:] = [e for e in page.console_errors if f"status of {status}" not in e]


def submit(staff, **fields) -> int:
    resp = staff("drafter1").post("/api/documents", json={**DOCUMENT, **fields})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_inbox_lands_on_what_the_reviewer_can_act_on(page, live_server, staff):
    doc_id = submit(staff)
    log_in(page, live_server, "reviewer1")
    assert page.locator(".tabs a.active").get_attribute("data-tab") == "actionable"
    row = page.locator("table.tasks tbody tr", has_text="关于公开预算的通知")
    assert row.locator("button.claim").is_visible()  # unclaimed, yet on the landing tab
    assert page.locator("[data-tab=actionable] .count").inner_text() == "1"
    assert_clean_page(page)
    page.click("[data-tab=mine]")  # the tabs narrow it
    assert "您认领的任务都已办结" in page.inner_text("table.tasks") and "查看待认领的任务" in page.inner_text("table.tasks")
    assert_clean_page(page)
    page.goto(f"{live_server}/inbox?q=不存在的标题")
    assert "没有符合筛选条件的任务" in page.inner_text("table.tasks")
    page.click("text=清除筛选")
    row = page.locator("table.tasks tbody tr", has_text="关于公开预算的通知")
    row.locator("button.claim").click()
    page.wait_for_url(re.compile(r"/tasks/\d+$"))
    page.wait_for_selector("#diagram[data-ready=true]")
    assert staff("reviewer1").get(f"/api/tasks?scope=mine&document_id={doc_id}").get_json()["total"] == 1
    assert_clean_page(page)


def _diagram_view(page, element_id):
    return page.evaluate("""(id) => {
        const canvas = window.gkDiagram.get('canvas'), el = window.gkDiagram.get('elementRegistry').get(id);
        const vb = canvas.viewbox();
        return {zoom: canvas.zoom(), dx: Math.abs(el.x + el.width / 2 - (vb.x + vb.width / 2)),
                dy: Math.abs(el.y + el.height / 2 - (vb.y + vb.height / 2)), width: vb.width,
                taken: document.querySelectorAll('#diagram .djs-connection.taken').length,
                done: [...document.querySelectorAll('#diagram .djs-shape.completed')].map(e => e.dataset.elementId)};
    }""", element_id)


def test_diagram_opens_on_the_current_step_with_the_path_taken(page, live_server, staff):
    doc_id = submit(staff)
    do_task(staff("reviewer1"), doc_id, APPROVE)
    task = staff("secrecy1").get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
    log_in(page, live_server, "secrecy1")
    page.goto(f"{live_server}/tasks/{task['id']}")
    page.wait_for_selector("#diagram[data-ready=true]")
    view = _diagram_view(page, "secrecy_review")
    assert view["zoom"] >= 0.9  # readable, not the whole procedure shrunk to fit
    assert view["dx"] < 5 and view["dy"] < 5  # centred on the current step
    assert page.locator("#diagram [data-element-id=secrecy_review].highlight").count() == 1
    assert "dept_review" in view["done"] and view["taken"] >= 2  # the path so far is marked
    assert_clean_page(page)


def test_form_says_what_a_partial_disclosure_needs_before_submitting(page, live_server, staff):
    rid = register(staff("publisher1"))["id"]
    do(staff("publisher1"), rid, "review_request", {"decision": "accept"})
    do(staff("drafter1"), rid, "handle", {"decision": "reply"})
    task = staff("drafter1").get(f"/api/tasks?scope=available&request_id={rid}").get_json()["items"][0]
    log_in(page, live_server, "drafter1")
    page.goto(f"{live_server}/tasks/{task['id']}")
    page.click("#claim")
    page.wait_for_selector("#form[data-ready=true]")
    choose(page, "答复类型", "部分公开（区分处理）")
    assert "部分公开、其他处理时必填" in page.inner_text("#form")  # said before anything is sent
    page.get_by_label("提供的信息内容").fill("2026年预算共1200万元。")
    requests = []
    page.on("request", lambda r: r.method == "POST" and requests.append(r.url))
    page.click("#complete")
    field = page.locator(".fjs-form-field", has=page.get_by_label("理由说明", exact=False))
    assert "此项必填" in field.inner_text() and requests == []  # stopped in the page, field named
    assert_clean_page(page)
    field.locator("textarea").fill("第三方的个人信息不予公开，其余部分予以公开。")
    page.click("#complete")
    page.wait_for_url(re.compile(r"/inbox$"))
    assert "已办理完成" in page.inner_text(".flash")


def test_document_page_shows_work_in_progress_and_an_incident_without_a_reload(page, live_server, staff):
    doc_id = submit(staff)
    do_task(staff("reviewer1"), doc_id, APPROVE)
    do_task(staff("secrecy1"), doc_id, APPROVE)  # the worker now holds it: de-identification
    log_in(page, live_server, "drafter1")
    page.goto(f"{live_server}/documents/{doc_id}")
    working = page.locator("#progress .working")
    assert working.is_visible() and "去标识化处理" in working.inner_text()
    first = page.inner_text("#progress .elapsed")
    expect(page.locator("#progress .elapsed")).not_to_have_text(first)  # the clock runs
    assert_clean_page(page)
    page.evaluate("window.gkSamePage = true")
    run_worker()
    expect(page.locator("[data-doc-status]")).to_have_text("待确认去标识化")
    assert working.is_hidden() and "确认去标识化结果" in page.inner_text("#current-tasks")
    assert page.evaluate("window.gkSamePage === true")  # updated in place, never reloaded

    do_task(staff("publisher1"), doc_id, {"decision": "confirm"})
    with reading() as s:
        outbox = s.scalar(select(Outbox.id).where(Outbox.operation == "publish", Outbox.status == "pending"))
    while not service_tasks.record_failure(outbox, OSError("catalogue storage is full")):
        pass  # the worker's own failure path, to its last attempt: an incident opens
    page.wait_for_selector("#progress .incident:not([hidden])", timeout=30_000)  # polled every 10 s now
    message = page.inner_text("#progress .incident")
    assert "系统在发布时出错" in message and "无需重新提交" in message
    assert "catalogue storage is full" not in message  # the technical detail is for the admin
    assert page.evaluate("window.gkSamePage === true")
    assert_clean_page(page)


def test_elder_mode_on_public_pages_by_keyboard_and_remembered(page, live_server):
    page.goto(f"{live_server}/public")
    assert_clean_page(page)
    body_px = "() => parseFloat(getComputedStyle(document.body).fontSize)"
    assert page.evaluate(body_px) < 18
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "elder-toggle":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate(body_px) >= 18 and page.get_attribute("#elder-toggle", "aria-pressed") == "true"
    assert_clean_page(page)  # stronger contrast still passes axe
    page.goto(f"{live_server}/public/requests/new")  # remembered on the next page, rendered enlarged
    assert page.evaluate(body_px) >= 18 and "elder" in page.get_attribute("html", "class")
    assert_clean_page(page)
    page.focus("#elder-toggle")
    page.keyboard.press("Space")
    assert page.evaluate(body_px) < 18
    page.reload()
    assert page.evaluate(body_px) < 18 and page.get_attribute("#elder-toggle", "aria-pressed") == "false"


def test_empty_and_error_states_say_what_to_do_next(page, live_server, client):
    log_in(page, live_server, "drafter1")
    page.goto(f"{live_server}/documents")
    assert "点击“提交新文件”开始" in page.inner_text("table.documents")
    assert_clean_page(page)
    page.goto(f"{live_server}/documents/new")
    page.fill("input[name=title]", "关于X的通知")
    page.fill("input[name=formed_on]", "2026-11-02")
    page.set_input_files("#pick-file", files=[{"name": "通知.docx", "mimeType": "application/octet-stream",
                                                     "buffer": io.BytesIO(b"not a word file").getvalue()}])
    page.click("#new-document button[type=submit]")
    hint = page.wait_for_selector("[data-hint=file]")
    page.wait_for_load_state("load")
    expect_refused(page, 422)
    assert "另存为”.docx" in hint.inner_text() and "粘贴到正文框" in hint.inner_text()
    assert_clean_page(page)

    page.context.clear_cookies()
    for _ in range(5):
        client.post("/api/login", json={"username": "reviewer1", "password": "wrong"})
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "reviewer1")
    page.fill("input[name=password]", "gongkai-demo")
    page.click("main button[type=submit]")
    page.wait_for_selector("main .error")
    page.wait_for_load_state("load")
    expect_refused(page, 401)
    assert re.search(r"请于 \d\d:\d\d（北京时间）后再试", page.inner_text(".error"))
    assert_clean_page(page)


def test_staff_and_public_pages_pass_axe(page, live_server, staff):
    doc_id = submit(staff)
    rid = register(staff("publisher1"))["id"]
    log_in(page, live_server, "admin")
    for path in ("/inbox", "/inbox?tab=completed", "/documents", f"/documents/{doc_id}", "/requests",
                 f"/requests/{rid}", "/requests/register", "/reports/annual", "/notifications", "/settings", "/admin/processes",
                 "/admin/users", "/admin/calendar", "/admin/decisions", "/admin/forms",
                 "/admin/processes/disclosure_review/edit"):
        page.goto(live_server + path)
        assert_clean_page(page)
    page.context.clear_cookies()
    for path in ("/public", "/public?q=没有的词", "/public/requests/new", "/public/requests/status?no=YSQ1&code=x"):
        page.goto(live_server + path)
        if path == "/public?q=没有的词":
            assert "提出政府信息公开申请" in page.inner_text("table.catalogue")  # what to do next
        assert_clean_page(page)
    assert len(set(page.a11y_checked)) >= 18
    assert any(url.endswith("/login") for url in page.a11y_checked)  # checked on load, never asked for
