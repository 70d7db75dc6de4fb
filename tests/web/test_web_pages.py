"""The pages through Flask's test client: permissions per role, CSRF, and each page's main action."""

import re

import pytest

from tests.support.bpmn import diagram, user_task
from tests.support.web import ONE_REVIEW, csrf_from, start_review

ADMIN_PAGES = ["/admin/processes", "/admin/processes/new", "/admin/processes/web_review/edit", "/admin/decisions",
               "/admin/decisions/rules.dmn/edit", "/admin/forms", "/admin/forms/review/edit", "/admin/users",
               "/admin/calendar", "/admin/calendar?year=2027"]
ADMIN_POSTS = ["/admin/processes/web_review/validate", "/admin/processes/web_review/draft",
               "/admin/processes/web_review/deploy", "/admin/forms/review", "/admin/decisions/rules.dmn"]
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def title_of(resp) -> str:
    return re.search(r"<title>(.*?)</title>", resp.get_data(as_text=True), re.S).group(1)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def token(client, url="/inbox") -> str:
    return csrf_from(client.get(url).get_data(as_text=True))


def test_anonymous_is_sent_to_login(client):
    for url in ["/inbox", "/tasks/1", "/settings", "/admin/processes"]:
        resp = client.get(url)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"], url


def test_drafter_gets_403_on_every_admin_page(login_as, review_task):
    drafter = login_as("drafter1")
    for url in ADMIN_PAGES:
        assert drafter.get(url).status_code == 403, url
    csrf = token(drafter)
    for url in ADMIN_POSTS:
        resp = drafter.post(url, json={"xml": ONE_REVIEW, "schema": {"components": []}}, headers={"X-CSRFToken": csrf})
        assert resp.status_code == 403, url
    assert drafter.post("/admin/users", data={"username": "x", "csrf_token": csrf}).status_code == 403
    assert drafter.post("/admin/calendar/2027", data={"holidays": "", "csrf_token": csrf}).status_code == 403


def test_admin_pages_render_with_chinese_titles(login_as, review_task):
    admin = login_as("admin")
    for url in [*ADMIN_PAGES, "/inbox", "/settings", f"/tasks/{review_task}"]:
        resp = admin.get(url)
        assert resp.status_code == 200, url
        assert has_chinese(title_of(resp)), url


def test_a_task_one_may_not_see_is_not_found(login_as, review_task):
    assert login_as("reviewer2").get(f"/tasks/{review_task}").status_code == 404
    assert login_as("drafter1").get(f"/tasks/{review_task}").status_code == 404
    page = login_as("reviewer1").get(f"/tasks/{review_task}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "审核决定" in body and "bpmn:userTask" in body and "初审" in title_of(page)


def test_forms_without_csrf_are_refused(login_as, review_task):
    reviewer = login_as("reviewer1")
    assert reviewer.post(f"/tasks/{review_task}/claim").status_code == 400
    assert reviewer.post(f"/tasks/{review_task}/complete", json={"data": {}}).status_code == 400


def test_claim_complete_with_field_errors_then_success(login_as, review_task):
    reviewer = login_as("reviewer1")
    csrf = token(reviewer)
    inbox = reviewer.get("/inbox?tab=available").get_data(as_text=True)
    assert "关于公开预算的通知" in inbox and "办公室" in inbox
    assert reviewer.post(f"/tasks/{review_task}/claim", data={"csrf_token": csrf}).status_code == 302
    assert "关于公开预算的通知" in reviewer.get("/inbox?tab=mine").get_data(as_text=True)
    url, headers = f"/tasks/{review_task}/complete", {"X-CSRFToken": csrf}
    bad = reviewer.post(url, json={"data": {"decision": "maybe"}}, headers=headers)
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"decision", "opinion"}
    ok = reviewer.post(url, json={"data": {"decision": "approve", "opinion": "同意公开"}}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["redirect"] == "/inbox"
    assert reviewer.post(url, json={"data": {}}, headers=headers).status_code == 409
    done = reviewer.get("/inbox?tab=completed").get_data(as_text=True)
    assert "关于公开预算的通知" in done and "已办结" in done
    history = reviewer.get(f"/tasks/{review_task}").get_data(as_text=True)
    assert "认领" in history and "同意公开" in history


def test_release_and_delegate(login_as, review_task, settings):
    from engine import bootstrap, users

    users.create_user("reviewer3", bootstrap.DEMO_PASSWORD, ["dept_reviewer"], "办公室", password_hash=bootstrap._demo_hash())
    reviewer = login_as("reviewer1")
    csrf = token(reviewer)
    reviewer.post(f"/tasks/{review_task}/claim", data={"csrf_token": csrf})
    assert reviewer.post(f"/tasks/{review_task}/release", data={"csrf_token": csrf}).status_code == 302
    page = reviewer.get(f"/tasks/{review_task}").get_data(as_text=True)
    assert 'value="reviewer3"' in page and 'value="drafter1"' not in page
    resp = reviewer.post(f"/tasks/{review_task}/delegate", data={"csrf_token": csrf, "to": "reviewer3", "reason": "出差"})
    assert resp.status_code == 302
    assert "关于公开预算的通知" in login_as("reviewer3").get("/inbox?tab=mine").get_data(as_text=True)


def test_inbox_search_filters_and_saved_filters(login_as, settings):
    start_review("预算公开通知")
    start_review("人事任免公告")
    reviewer = login_as("reviewer1")
    body = reviewer.get("/inbox?tab=available&q=预算").get_data(as_text=True)
    assert "预算公开通知" in body and "人事任免公告" not in body
    assert "人事任免公告" in reviewer.get("/inbox?tab=available&process=web_review&name=初审&sort=due").get_data(as_text=True)
    assert "暂无任务" in reviewer.get("/inbox?tab=available&name=不存在").get_data(as_text=True)
    csrf = token(reviewer)
    resp = reviewer.post("/inbox/filters", data={"csrf_token": csrf, "filter_name": "预算类", "tab": "available", "q": "预算"})
    assert resp.status_code == 302
    page = reviewer.get("/inbox").get_data(as_text=True)
    assert "预算类" in page
    assert "预算类" not in login_as("publisher1").get("/inbox").get_data(as_text=True)
    filter_id = re.search(r"/inbox/filters/(\d+)/delete", page).group(1)
    assert login_as("publisher1").post(f"/inbox/filters/{filter_id}/delete",
                                       data={"csrf_token": csrf}).status_code in (400, 404)
    assert reviewer.post(f"/inbox/filters/{filter_id}/delete", data={"csrf_token": csrf}).status_code == 302
    assert "预算类" not in reviewer.get("/inbox").get_data(as_text=True)


def test_out_of_office_setting(login_as, settings):
    from engine import users

    reviewer = login_as("reviewer1")
    csrf = token(reviewer, "/settings")
    resp = reviewer.post("/settings/out-of-office", data={"csrf_token": csrf, "out_of_office": "on", "substitute": "leader1"})
    assert resp.status_code == 302
    me = users.by_username("reviewer1")
    assert me.out_of_office and me.substitute_id == users.by_username("leader1").id
    assert reviewer.post("/settings/out-of-office", data={"csrf_token": csrf, "out_of_office": "on"}).status_code == 422


def test_admin_validates_drafts_deploys_and_diffs(login_as, review_task):
    admin = login_as("admin")
    headers = {"X-CSRFToken": token(admin)}
    broken = diagram("web_review", [user_task("review", lane="nobody", form="review")])
    errors = admin.post("/admin/processes/web_review/validate", json={"xml": broken}, headers=headers).get_json()["errors"]
    assert errors and errors[0]["element_id"] == "review"
    refused = admin.post("/admin/processes/web_review/deploy", json={"xml": broken}, headers=headers)
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["element_id"] == "review"
    assert admin.post("/admin/processes/web_review/draft", json={"xml": broken}, headers=headers).status_code == 200
    assert "lane_0" in admin.get("/admin/processes/web_review/edit").get_data(as_text=True)
    assert "有草稿" in admin.get("/admin/processes").get_data(as_text=True)
    two = diagram("web_review", [user_task("review", lane="dept_reviewer", form="review", name="初审"),
                                 user_task("sign", lane="leader", form="review", name="签发")], name="网页测试审核")
    deployed = admin.post("/admin/processes/web_review/deploy", json={"xml": two}, headers=headers)
    assert deployed.get_json() == {"key": "web_review", "version": 2, "created": True,
        "processes": [{"key": "web_review", "version": 2, "created": True}]}
    assert "有草稿" not in admin.get("/admin/processes").get_data(as_text=True)
    diff = admin.get("/admin/processes/web_review/diff?a=1&b=2").get_data(as_text=True)
    assert "sign" in diff and "签发" in diff
    assert admin.get("/admin/processes/web_review/versions/2.bpmn").get_data(as_text=True) == two


def test_admin_new_process_form_and_dmn(login_as, settings):
    admin = login_as("admin")
    csrf = token(admin)
    resp = admin.post("/admin/processes/new", data={"csrf_token": csrf, "key": "brand_new", "name": "新流程"})
    assert resp.headers["Location"].endswith("/admin/processes/brand_new/edit")
    assert "Participant_brand_new" in admin.get("/admin/processes/brand_new/edit").get_data(as_text=True)
    headers = {"X-CSRFToken": csrf}
    schema = {"type": "default", "components": [{"type": "textfield", "key": "note", "label": "备注"}]}
    assert admin.post("/admin/forms/web_note_test", json={"schema": schema}, headers=headers).status_code == 200
    assert "web_note_test" in admin.get("/admin/forms").get_data(as_text=True)
    dmn = admin.get("/admin/decisions/web_rules.dmn/edit").get_data(as_text=True)
    xml = re.search(r'id="dmn-xml">(.*?)</script>', dmn, re.S).group(1)
    import json

    saved = admin.post("/admin/decisions/web_rules.dmn", json={"xml": json.loads(xml)}, headers=headers)
    assert saved.status_code == 200, saved.get_json()
    assert "web_rules.dmn" in admin.get("/admin/decisions").get_data(as_text=True)


def test_admin_users_roles_departments_and_calendar(login_as, settings):
    from engine import calendar, users

    admin = login_as("admin")
    csrf = token(admin)
    admin.post("/admin/departments", data={"csrf_token": csrf, "name": "教育局"})
    admin.post("/admin/roles", data={"csrf_token": csrf, "key": "archivist", "name": "档案员"})
    resp = admin.post("/admin/users", data={"csrf_token": csrf, "username": "newbie", "password": "long-password-7x",
                                            "department": "教育局", "roles": ["drafter", "archivist"]})
    assert resp.status_code == 302
    assert users.by_username("newbie").role_keys == {"drafter", "archivist"}
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "newbie" in page and "教育局" in page and "档案员" in page
    resp = admin.post("/admin/calendar/2027", data={"csrf_token": csrf, "notice": "国办发明电〔2026〕1号",
                                                    "holidays": "2027-01-01 元旦\n2027-02-08 春节",
                                                    "workdays": "2027-02-06 春节调休"})
    assert resp.status_code == 302
    assert not calendar.is_working_day("2027-02-08") and calendar.is_working_day("2027-02-06")
    assert "国办发明电〔2026〕1号" in admin.get("/admin/calendar?year=2027").get_data(as_text=True)
    bad = admin.post("/admin/calendar/2027", data={"csrf_token": csrf, "holidays": "2028-01-01 元旦"})
    assert bad.status_code == 422
    assert admin.post("/admin/calendar/2027/delete", data={"csrf_token": csrf}).status_code == 302
    assert calendar.get_year(2027)["source"] != "admin"


def test_an_admin_cancels_a_process_from_its_task_page(login_as):
    task_id = start_review(title="将被撤销的通知")
    reviewer = login_as("reviewer1")
    assert 'id="cancel-instance"' not in reviewer.get(f"/tasks/{task_id}").get_data(as_text=True)
    refused = reviewer.post(f"/tasks/{task_id}/cancel-instance", data={"csrf_token": token(reviewer), "reason": "x"})
    assert refused.status_code == 403

    admin = login_as("admin")
    page = admin.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert 'id="cancel-instance"' in page
    empty = admin.post(f"/tasks/{task_id}/cancel-instance", data={"csrf_token": token(admin), "reason": " "})
    assert empty.status_code == 422 and "请填写撤销原因" in empty.get_data(as_text=True)
    done = admin.post(f"/tasks/{task_id}/cancel-instance", data={"csrf_token": token(admin), "reason": "重复提交"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/inbox")
    after = admin.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "该流程已撤销。" in after and "重复提交" in after  # the reason is in the history
    assert 'id="cancel-instance"' not in after
    assert "将被撤销的通知" not in reviewer.get("/inbox").get_data(as_text=True)
