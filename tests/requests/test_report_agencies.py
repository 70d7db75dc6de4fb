"""Each agency its own annual report: the installation's and a department that is its own 行政机关
(with an internal office under it) count their own requests, documents, proceedings and entries, are
read and written by their own staff, publish their own snapshots (free text de-identified), and a
backdated receipt is refused only by a published report of its own agency."""

import io
from datetime import date as D
from datetime import datetime, timezone

import pytest
import time_machine
from docx import Document as Docx

from engine import bootstrap, users
from engine.db import transaction
from engine.models import Document
from tests.support.information_requests import morning, register
from tests.support.web import csrf_from, login

# username, display name, roles, department
STAFF = (("publisher_cz", "财公开", ["publisher"], "财政局"), ("leader_cz", "财领导", ["leader"], "财政局"),
         ("publisher_ys", "预公开", ["publisher"], "预算股"))


def patch(api, url, body):
    return api.client.patch(url, json=body, headers=api.headers)


@pytest.fixture
def agencies(staff):
    """财政局 becomes its own agency (a department: report due 31 January); 预算股 is its internal office."""
    with transaction() as s:
        users.ensure_department(s, "预算股")
        for username, name, roles, dept in STAFF:
            users.create_user(username, bootstrap.DEMO_PASSWORD, roles, dept, display_name=name, session=s,
                              password_hash=bootstrap._demo_hash())
    admin = staff("admin")
    depts = {d["name"]: d["id"] for d in admin.get("/api/departments").get_json()["items"]}
    resp = patch(admin, f"/api/departments/{depts['财政局']}", {"agency_name": "示例县财政局", "agency_code": "CZJ",
                                                             "agency_kind": "department"})
    assert resp.status_code == 200, resp.get_json()
    assert patch(admin, f"/api/departments/{depts['预算股']}", {"parent": "财政局"}).get_json()["speaks_as"] == "示例县财政局"
    return depts


def document(department_id, title, category="general", formed_on=None):
    with transaction() as s:
        s.add(Document(title=title, category=category, attribute="proactive", status="published",
                       department_id=department_id, published_text=title, formed_on=formed_on,
                       published_at=datetime(2025, 6, 3, 2, tzinfo=timezone.utc)))


def new(report) -> int:
    return next(r["values"]["total"] for r in report["section3"]["rows"] if r["key"] == "new")


def test_each_agency_counts_what_speaks_as_it_and_only_its_staff_read_and_write_it(staff, agencies, app):
    cz, ys = agencies["财政局"], agencies["预算股"]
    with time_machine.travel(morning(D(2025, 3, 3)), tick=False):
        register(staff("publisher1"), description="2025年城区道路预算")
        register(staff("publisher_cz"), description="2025年财政专项资金分配")
        register(staff("publisher_ys"), description="2025年部门预算编制说明")  # the internal office: 财政局's
    document(cz, "示例县财政局关于专项资金管理的规定", "normative", D(2025, 5, 1))
    document(ys, "2025年部门预算公开")
    document(agencies["办公室"], "2025年政府工作报告")
    with time_machine.travel(morning(D(2026, 1, 5)), tick=False):
        finance, office = staff("publisher_cz"), staff("publisher1")
        assert finance.put("/api/reports/annual/2025/text",
                           json={"overview": "本局认真落实条例。", "figures": {"fees_amount": 1.5}}).status_code == 200
        case = finance.post("/api/reports/annual/2025/proceedings", json={"kind": "reconsideration", "result": "upheld"})
        assert case.status_code == 201 and case.get_json()["agency_id"] == cz

        own = finance.get("/api/reports/annual/2025").get_json()  # the caller's own agency by default
        assert (own["agency"], own["agency_id"], own["publish_by"]) == ("示例县财政局", cz, "2026-01-31")
        assert new(own) == 2 and own["section3"]["identity"]["holds"] is True
        assert own["section2"]["proactive_published"] == 2 and own["section2"]["regulations"][1]["in_force"] == 1
        assert own["section2"]["fees_amount"] == 1.5 and own["overview"] == "本局认真落实条例。"
        assert own["section4"]["kinds"][0]["values"]["total"] == 1
        assert staff("publisher_ys").get("/api/reports/annual/2025").get_json()["agency_id"] == cz
        assert staff("leader_cz").get(f"/api/reports/annual/2025?agency={cz}").status_code == 200

        root = office.get("/api/reports/annual/2025").get_json()
        assert (root["agency_id"], root["publish_by"]) == (None, "2026-03-31")
        assert new(root) == 1 and root["section2"]["proactive_published"] == 1
        assert root["section2"]["regulations"][1]["in_force"] == 0 and root["section2"]["fees_amount"] == 0
        assert root["overview"] == "" and root["section4"]["kinds"][0]["values"]["total"] == 0
        assert staff("admin").get(f"/api/reports/annual/2025?agency={cz}").get_json()["overview"] == "本局认真落实条例。"
        assert staff("admin").get("/api/reports/annual/2025?agency=root").get_json()["agency_id"] is None

        # Neither agency's staff reads or writes the other's report.
        assert office.get(f"/api/reports/annual/2025?agency={cz}").status_code == 403
        assert office.put(f"/api/reports/annual/2025/text?agency={cz}", json={"overview": "x"}).status_code == 403
        assert office.post(f"/api/reports/annual/2025/publish?agency={cz}").status_code == 403
        assert finance.get("/api/reports/annual/2025?agency=root").status_code == 403
        assert finance.post("/api/reports/annual/2025/proceedings?agency=root",
                            json={"kind": "reconsideration", "result": "upheld"}).status_code == 403
        case_id = case.get_json()["id"]
        assert patch(office, f"/api/reports/annual/proceedings/{case_id}", {"result": "corrected"}).status_code == 403
        assert staff("leader_cz").put("/api/reports/annual/2025/text", json={"overview": "x"}).status_code == 403
        # An internal office is not an agency of its own; nor is a word.
        assert staff("admin").get(f"/api/reports/annual/2025?agency={ys}").status_code == 404
        assert staff("admin").get("/api/reports/annual/2025?agency=abc").status_code == 404
        docx = finance.get("/api/reports/annual/2025?format=docx")
        assert Docx(io.BytesIO(docx.data)).paragraphs[0].text == "示例县财政局2025年度政府信息公开工作年度报告"

        # The page: an admin switches between the agencies; a form keeps the agency it was opened for.
        admin_page = login(app.test_client(), "admin")
        html = admin_page.get(f"/reports/annual/2025?agency={cz}").get_data(as_text=True)
        assert '<span id="agency">示例县财政局</span>' in html and "/reports/annual/2025?agency=root" in html
        saved = admin_page.post(f"/reports/annual/2025/text?agency={cz}", data={
            "csrf_token": csrf_from(html), "overview": "本局全年公开信息。", "problems": "", "other_matters": ""})
        assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/reports/annual/2025?agency={cz}")
        assert finance.get("/api/reports/annual/2025").get_json()["overview"] == "本局全年公开信息。"
        assert login(app.test_client(), "publisher_cz").get("/reports/annual/2025?agency=root").status_code == 403


def test_each_agency_publishes_its_own_snapshot_and_backdating_looks_at_its_own(staff, agencies, client):
    cz = agencies["财政局"]
    with time_machine.travel(morning(D(2025, 3, 3)), tick=False):
        register(staff("publisher_cz"), description="2025年财政专项资金分配")
    with time_machine.travel(morning(D(2026, 1, 5)), tick=False):
        finance, office = staff("publisher_cz"), staff("publisher1")
        first = finance.post("/api/reports/annual/2025/publish")
        assert first.status_code == 201 and (first.get_json()["agency_id"], first.get_json()["version"]) == (cz, 1)
        # Only 财政局's 2025 report is published: a receipt backdated into 2025 is refused there only.
        backdated = {"received_on": "2025-12-30"}
        refused = finance.post("/api/requests", json=_payload(**backdated))
        assert refused.status_code == 422 and "received_on" in refused.get_json()["error"]["fields"]
        assert staff("publisher_ys").post("/api/requests", json=_payload(**backdated)).status_code == 422
        assert office.post("/api/requests", json=_payload(**backdated)).status_code == 201

        root = office.post("/api/reports/annual/2025/publish")
        assert root.status_code == 201 and (root.get_json()["agency_id"], root.get_json()["version"]) == (None, 1)
        assert finance.post("/api/reports/annual/2025/publish").get_json()["version"] == 2
        late = _payload(received_on="2025-12-31", backdate_reason="邮寄件漏登，2025年12月31日已签收")
        assert office.post("/api/requests", json=late).status_code == 422
        assert staff("admin").post("/api/requests", json=late).status_code == 201  # reopens the installation's
        assert office.get("/api/reports/annual/2025").get_json()["versions"][0]["reopened_reason"].startswith("邮寄件")
        assert [v["reopened_reason"] for v in finance.get("/api/reports/annual/2025").get_json()["versions"]] == [None, None]

    listed = client.get("/api/public/reports?year=2025").get_json()["items"]
    assert [(p["agency"], p["agency_id"], p["version"]) for p in listed] == [
        ("示例县人民政府办公室", None, 1), ("示例县财政局", cz, 2)]
    assert client.get("/api/public/reports?year=x").status_code == 422
    assert client.get(f"/api/public/reports/2025?agency={cz}").get_json()["published"]["version"] == 2
    assert client.get("/api/public/reports/2025").get_json()["agency"] == "示例县人民政府办公室"
    year_page = client.get("/public/reports/2025").get_data(as_text=True)
    assert "示例县人民政府办公室2025年度" in year_page and "示例县财政局2025年度" in year_page
    assert f"/public/reports/2025/{cz}" in year_page and "/public/reports/2025/root" in year_page
    page = client.get(f"/public/reports/2025/{cz}").get_data(as_text=True)
    assert "示例县财政局2025年度政府信息公开工作年度报告" in page and "第2版" in page
    docx = client.get(f"/api/public/reports/2025?agency={cz}&format=docx")
    assert Docx(io.BytesIO(docx.data)).paragraphs[0].text == "示例县财政局2025年度政府信息公开工作年度报告"
    assert client.get(f"/api/public/reports/2025?agency={agencies['预算股']}").status_code == 404


def _payload(**extra) -> dict:
    return {"applicant": {"name": "张三", "type": "natural_person", "id_number": "110101199003074573",
                          "contact": "13912341234"},
            "description": "补登", "form": "electronic", "delivery": "email", "channel": "in_person", **extra}


def test_the_free_text_is_published_without_personal_data(staff, client):
    overview = "2025年，本机关认真落实条例。申请人李明（电话13912345678）多次来访，均已答复。"
    with time_machine.travel(morning(D(2026, 1, 5)), tick=False):
        publisher = staff("publisher1")
        publisher.put("/api/reports/annual/2025/text", json={"overview": overview, "problems": "联系人王建国，手机13800138000。"})
        published = publisher.post("/api/reports/annual/2025/publish").get_json()
        assert {f["kind"] for f in published["deidentified"]["overview"]} == {"person_name", "mobile"}
        assert publisher.get("/api/reports/annual/2025").get_json()["overview"] == overview  # the staff's text is kept
    public = client.get("/api/public/reports/2025").get_json()
    for text in (public["overview"], public["problems"], client.get("/public/reports/2025/root").get_data(as_text=True),
                 "\n".join(p.text for p in Docx(io.BytesIO(client.get("/api/public/reports/2025?format=docx").data)).paragraphs)):
        assert "李明" not in text and "13912345678" not in text and "王建国" not in text and "13800138000" not in text
    assert public["overview"].startswith("2025年，本机关认真落实条例。") and "139****5678" in public["overview"]
