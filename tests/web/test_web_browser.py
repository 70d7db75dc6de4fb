"""The pages in Chromium (Playwright): log in, claim and approve a task, edit and deploy a diagram.

Every page visited must log no console error, carry a Chinese <title> and work at 1366×768.
"""

import re

import pytest
from rq import SimpleWorker

from engine import queue, users
from engine.db import reading
from engine.models import Department, HumanTask, ProcessInstance
from engine.workflow import instances
from tests.support.bpmn import diagram, service_task, user_task
from tests.support.browser import assert_clean_page, log_in
from tests.support.web import start_review

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
REVIEW_AND_NOTIFY = diagram("web_review", [
    user_task("review", lane="dept_reviewer", form="review", name="初审"),
    service_task("tell_drafter", params={"role": "'drafter'", "message": "'审核完成'"}),
], name="网页测试审核")




def check_page(page):
    assert page.viewport_size == {"width": 1366, "height": 768}
    assert_clean_page(page)


def test_reviewer_claims_and_approves_from_the_inbox(page, live_server, review_task):
    log_in(page, live_server, "reviewer1")
    check_page(page)
    page.click("[data-tab=available]")
    row = page.locator(f"tr[data-task-id='{review_task}']")
    assert "关于公开预算的通知" in row.inner_text() and "办公室" in row.inner_text()
    row.locator("button.claim").click()
    page.wait_for_url(re.compile(rf"/tasks/{review_task}$"))
    page.wait_for_selector("#form[data-ready=true]")
    page.wait_for_selector("#diagram[data-ready=true]")
    assert page.locator("#diagram [data-element-id=review].highlight").count() == 1
    check_page(page)

    page.click("#complete")  # empty form: the browser's own validation stops it
    assert page.locator(".fjs-form-field-error").count() >= 1
    assert page.url.endswith(f"/tasks/{review_task}")
    page.get_by_label("同意").check()
    page.get_by_label("审核意见").fill("内容与属性无误，同意公开")
    page.click("#complete")
    page.wait_for_url(re.compile(r"/inbox$"))
    assert "已办理完成" in page.locator(".flash").inner_text()
    page.click("[data-tab=completed]")
    assert "关于公开预算的通知" in page.locator("table.tasks").inner_text()
    SimpleWorker([queue.queue()], connection=queue.redis()).work(burst=True)
    check_page(page)


def test_admin_adds_a_lane_and_user_task_in_the_editor_and_deploys(page, live_server, settings):
    start_review(xml=REVIEW_AND_NOTIFY)  # the service task's spiffworkflow extension must survive the editor
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/processes")
    check_page(page)
    page.click("tr[data-key=web_review] a.edit")
    page.wait_for_selector("#editor[data-ready=true]")
    check_page(page)

    page.locator(".djs-element[data-element-id=lane_0] .djs-hit-all").click()
    page.click("#add-lane")
    page.select_option("#properties select[name=lane-role]", "leader")
    # Put a new user task into the new lane, between the start event and the review (canvas API).
    page.evaluate("""() => {
      const m = window.gkModeler, reg = m.get('elementRegistry'), modeling = m.get('modeling');
      const lane = reg.filter(e => e.type === 'bpmn:Lane' && e.businessObject.name === 'leader')[0];
      const task = modeling.createShape({type: 'bpmn:UserTask'}, {x: lane.x + 140, y: lane.y + lane.height / 2}, lane.parent);
      modeling.reconnectEnd(reg.get('f_start_review'), task, {x: task.x, y: task.y + task.height / 2});
      modeling.connect(task, reg.get('review'));
      m.get('selection').select(task);
    }""")
    page.fill("#properties input[name=name]", "领导预审")
    page.press("#properties input[name=name]", "Tab")
    page.select_option("#properties select[name=form-key]", "review")
    page.fill("#properties input[name=task-department]", "'财政局'")  # this step goes to 财政局's leader
    page.press("#properties input[name=task-department]", "Tab")
    page.click("#validate")
    page.wait_for_selector("#editor-status:has-text('校验通过')")
    page.click("#deploy")
    page.wait_for_selector("#editor-status:has-text('已部署为第 2 版')")
    check_page(page)

    row = instances.start_instance(users.by_username("admin"), "web_review", {"title": "新版本流程"})
    with reading() as s:
        first = s.query(HumanTask).filter_by(instance_id=row.id, status="open").one()
        version = s.get(ProcessInstance, row.id).version.version
        department = s.get(Department, first.department_id).name
    assert (first.name, first.role, first.form_key, version, department) == ("领导预审", "leader", "review", 2, "财政局")


def test_admin_cancels_a_process_after_confirming(page, live_server, review_task):
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/tasks/{review_task}")
    page.fill("form.cancel-instance input[name=reason]", "重复提交")
    page.once("dialog", lambda dialog: dialog.dismiss())  # thinking better of it keeps the process
    page.click("#cancel-instance")
    assert page.url.endswith(f"/tasks/{review_task}") and page.locator("#cancel-instance").count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#cancel-instance")
    page.wait_for_url(re.compile(r"/inbox$"))
    assert "流程已撤销" in page.locator(".flash").inner_text()
    page.goto(f"{live_server}/tasks/{review_task}")
    assert "该流程已撤销。" in page.content()
    check_page(page)


def test_admin_pages_load_cleanly(page, live_server, review_task):
    log_in(page, live_server, "admin")
    for path, ready in [("/admin/users", None), ("/admin/calendar", None), ("/admin/decisions", None),
                        ("/admin/decisions/web_rules.dmn/edit", "#dmn[data-ready=true]"),
                        ("/admin/forms/review/edit", "#form-editor[data-ready=true]"),
                        (f"/tasks/{review_task}", "#diagram[data-ready=true]"), ("/settings", None)]:
        page.goto(live_server + path)
        if ready:
            page.wait_for_selector(ready)
        check_page(page)


def test_admin_imports_a_bpmn_file_from_disk_and_is_told_when_it_cannot_be_drawn(page, live_server, settings,
                                                                                  tmp_path):
    start_review(xml=REVIEW_AND_NOTIFY)
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/processes/web_review/edit")
    page.wait_for_selector("#editor[data-ready=true]")

    # A file with only the process (no drawing): the server lays it out and bpmn-js draws it.
    plain = tmp_path / "two_steps.bpmn"
    plain.write_text(diagram("two_steps", [user_task("first_check"), user_task("second_check", lane="leader")]),
                     encoding="utf-8")
    page.set_input_files("#import-file", str(plain))
    page.wait_for_selector("#editor-status:has-text('已导入 two_steps.bpmn')")
    assert page.locator(".djs-element[data-element-id=second_check]").count() == 1

    # A drawing that points at nothing in the file: bpmn-js draws an empty canvas, and it says so.
    ghost = tmp_path / "ghost.bpmn"
    ghost.write_text(diagram("ghost", [user_task("only_step")]).replace("</bpmn:definitions>", (
        '<bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="dia"><bpmndi:BPMNPlane id="plane" '
        'bpmnElement="elsewhere"><bpmndi:BPMNShape id="s" bpmnElement="missing"><dc:Bounds x="0" y="0" '
        'width="100" height="80"/></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>')),
        encoding="utf-8")
    page.set_input_files("#import-file", str(ghost))
    page.wait_for_selector("#editor-status:has-text('无法')")
    assert "ghost.bpmn" in page.locator("#editor-status").inner_text()

    broken = tmp_path / "broken.bpmn"
    broken.write_text("<bpmn:definitions", encoding="utf-8")
    page.set_input_files("#import-file", str(broken))
    page.wait_for_selector("#editor-status:has-text('无法导入 broken.bpmn')")
    page.console_errors.clear()  # bpmn-js logs the unparsable file itself
