"""Agency identity per department (own 行政机关 or an internal office) and the 公开指南 (Art. 12)."""

from tests.disclosure.test_catalogue import patch
from tests.support.disclosure import publish
from tests.support.information_requests import add_staff

GUIDE = {"classification": "分为规范性文件、政策性文件等。", "arrangement": "按主题分类编排。",
         "obtaining": "在本网站检索或依申请获取。", "work_office": "示例县人民政府办公室政务公开科",
         "office_address": "示例县人民大道1号", "office_hours": "工作日9:00-17:00",
         "phone": "0538-1234567", "fax": "0538-7654321", "internet": "http://www.example.gov.cn"}


def departments(admin) -> dict:
    return {d["name"]: d for d in admin.get("/api/departments").get_json()["items"]}


def test_an_internal_office_speaks_with_its_parent_agency_name(api_as, client):
    admin = api_as("admin")
    add_staff("publisher_gov", ["publisher"], "县政府")  # an agency receives its own requests: someone must take them
    depts = departments(admin)
    gov = patch(admin, f"/api/departments/{depts['县政府']['id']}",
                {"agency_name": "示例县人民政府", "agency_code": "GOV01", "agency_kind": "government"})
    assert gov.status_code == 200, gov.get_json()
    office = patch(admin, f"/api/departments/{depts['办公室']['id']}", {"agency_name": "", "parent": "县政府"})
    assert office.get_json()["speaks_as"] == "示例县人民政府"
    doc_id, publisher = publish(api_as, title="通知", body="正文")
    public = client.get(f"/api/public/documents/{doc_id}").get_json()
    assert public["publisher"] == "示例县人民政府" and public["index_no"].startswith("GOV01/")
    # Made its own agency, the office signs with its own name and code from then on.
    patch(admin, f"/api/departments/{depts['办公室']['id']}", {"agency_name": "示例县人民政府办公室", "agency_code": "OFF9"})
    doc2, _ = publish(api_as, title="通知二", body="正文二")
    public2 = client.get(f"/api/public/documents/{doc2}").get_json()
    assert public2["publisher"] == "示例县人民政府办公室" and public2["index_no"].startswith("OFF9/")
    assert client.get(f"/api/public/documents/{doc_id}").get_json()["publisher"] == "示例县人民政府"  # fixed


def test_department_settings_are_checked_and_admin_only(api_as):
    admin = api_as("admin")
    depts = departments(admin)
    office, finance = depts["办公室"]["id"], depts["财政局"]["id"]
    assert patch(admin, f"/api/departments/{finance}", {"parent": "办公室"}).status_code == 200
    cycle = patch(admin, f"/api/departments/{office}", {"parent": "财政局"})
    assert cycle.status_code == 422 and "parent" in cycle.get_json()["error"]["fields"]
    for body, field in (({"agency_kind": "ministry"}, "agency_kind"), ({"agency_code": "a b"}, "agency_code"),
                        ({"parent": "不存在"}, "parent"), ({"colour": "red"}, "colour")):
        resp = patch(admin, f"/api/departments/{office}", body)
        assert resp.status_code == 422 and field in resp.get_json()["error"]["fields"], body
    assert patch(api_as("drafter1"), f"/api/departments/{office}", {"agency_name": "x"}).status_code == 403
    assert patch(admin, "/api/departments/99999", {"agency_name": "x"}).status_code == 404


def test_the_guide_is_public_complete_and_edited_by_the_admin(api_as, client):
    before = client.get("/api/public/guide").get_json()
    assert [s["title"] for s in before["sections"]] == ["分类", "编排体系", "获取方式", "政府信息公开工作机构", "办公地址",
                                                         "办公时间", "联系电话", "传真号码", "互联网联系方式"]
    # Art. 12: the 工作机构 is named, by default the department that receives the agency's requests.
    assert before["sections"][3]["text"].endswith("政府信息公开工作机构：办公室")
    assert before["complete"] is False  # the office's contacts are not known until the admin writes them
    admin = api_as("admin")
    missing = admin.put("/api/guide", json={**GUIDE, "fax": " "})
    assert missing.status_code == 422 and list(missing.get_json()["error"]["fields"]) == ["fax"]
    assert api_as("drafter1").put("/api/guide", json=GUIDE).status_code == 403  # the agency's publisher may
    saved = admin.put("/api/guide", json=GUIDE)
    assert saved.status_code == 200 and saved.get_json()["complete"] is True
    page = client.get("/public/guide").get_data(as_text=True)
    assert "0538-7654321" in page and "工作日9:00-17:00" in page and "政府信息公开指南" in page
    assert "示例县人民政府办公室政务公开科" in page
    assert "/public/guide" in client.get("/public").get_data(as_text=True)


def test_the_admin_sets_identity_and_guide_through_the_pages(app):
    from tests.disclosure.test_pages import csrf_of, login

    client = app.test_client()
    login(client, "admin")
    page = client.get("/admin/agency").get_data(as_text=True)
    assert "财政局" in page and "传真号码" in page
    token = csrf_of(client, "/admin/agency")
    finance = departments_by_page(client)["财政局"]
    identity = {"csrf_token": token, "agency_name": "示例县财政局", "agency_code": "CZJ", "agency_kind": "department"}
    refused = client.post(f"/admin/departments/{finance}/identity", data=identity)
    # Nobody in 财政局 could take a request addressed to it: the page says what to add first.
    assert refused.status_code == 422 and "财政局没有在岗的公开专员" in refused.get_data(as_text=True)
    add_staff("publisher_cz", ["publisher"], "财政局")
    resp = client.post(f"/admin/departments/{finance}/identity", data=identity)
    assert resp.status_code == 302
    assert client.post("/admin/guide", data={"csrf_token": token, **GUIDE}).status_code == 302
    assert "示例县财政局" in client.get("/admin/agency").get_data(as_text=True)
    assert "0538-1234567" in client.get("/public/guide").get_data(as_text=True)


def departments_by_page(client) -> dict:
    import re

    page = client.get("/admin/agency").get_data(as_text=True)
    return {name: int(i) for name, i in re.findall(r'<td>([^<]+)<form id="dept-(\d+)"', page)}
