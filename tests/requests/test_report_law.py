"""The annual report as the law and the 2021 format want it: 规范性文件 counted from their validity,
the two-level headers, section four's one row of 15, the deadline per agency, a frozen publication."""

import io
from datetime import date as D

import time_machine
from docx import Document as Docx
from openpyxl import load_workbook

from engine import clock
from tests.support.disclosure import APPROVE, do_task, publish, run_worker
from tests.support.information_requests import morning, register, reply
from tests.support.web import login


def test_the_deadline_depends_on_the_kind_of_agency(staff, api_as):
    publisher = staff("publisher1")
    assert publisher.get("/api/reports/annual/2025").get_json()["publish_by"] == "2026-03-31"
    assert api_as("admin").put("/api/requests/settings", json={"agency_kind": "department"}).status_code == 200
    assert publisher.get("/api/reports/annual/2025").get_json()["publish_by"] == "2026-01-31"
    bad = api_as("admin").put("/api/requests/settings", json={"agency_kind": "bureau"})
    assert bad.status_code == 422 and "agency_kind" in bad.get_json()["error"]["fields"]


def test_normative_documents_are_counted_from_formation_and_validity(api_as, staff):
    target, publisher = publish(api_as, title="示例县城市绿化管理办法", category="normative", body="第一条", interpretation="解读", formed_on="2026-03-02")
    publish(api_as, title="示例县停车管理办法", category="normative", body="第一条", interpretation="解读", formed_on="2025-06-01")
    change = api_as("drafter1").post("/api/documents", json={
        "title": "关于废止《示例县城市绿化管理办法》的决定", "category": "normative", "attribute": "proactive",
        "formed_on": "2026-11-02", "body": "决定废止。", "interpretation": "废止说明。",
        "changes_document_id": target, "change_kind": "repeal"}).get_json()["id"]
    do_task(api_as("reviewer1"), change, APPROVE)
    do_task(api_as("secrecy1"), change, APPROVE)
    do_task(api_as("head1"), change, APPROVE)  # 规范性文件: approved by the head before publication
    run_worker()
    do_task(publisher, change, {"decision": "confirm"})
    run_worker()
    reader = staff("publisher1")
    row = lambda year: reader.get(f"/api/reports/annual/{year}").get_json()["section2"]["regulations"][1]  # noqa: E731
    # 2026: two issued (the 办法 and the decision), one repealed, in force on 31 Dec: the 2025 one and the decision.
    assert {k: row(2026)[k] for k in ("issued", "repealed", "in_force")} == {"issued": 2, "repealed": 1, "in_force": 2}
    assert {k: row(2025)[k] for k in ("issued", "repealed", "in_force")} == {"issued": 1, "repealed": 0, "in_force": 1}


def test_section_three_has_the_official_two_level_header_everywhere(staff, app):
    publisher = staff("publisher1")
    page = login(app.test_client(), "publisher1")
    html = page.get("/reports/annual/2025").get_data(as_text=True)
    assert 'colspan="5">法人或其他组织</th>' in html and 'rowspan="2">自然人</th>' in html
    assert 'rowspan="22">三、本年度办理结果</th>' in html and 'rowspan="8">（三）不予公开</th>' in html
    table = Docx(io.BytesIO(publisher.get("/api/reports/annual/2025?format=docx").data)).tables[1]
    assert [c.text for c in table.rows[1].cells][3:] == ["自然人", *["法人或其他组织"] * 5, "总计"]
    assert [c.text for c in table.rows[2].cells][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    sheet = load_workbook(io.BytesIO(publisher.get("/api/reports/annual/2025?format=xlsx").data))["三、依申请公开"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"E3:I3", "D3:D4", "J3:J4", "A2:C4"} <= merged and sheet["E4"].value == "商业企业"


def test_section_four_is_one_row_of_fifteen_and_a_case_can_be_updated(staff):
    publisher = staff("publisher1")
    case = publisher.post("/api/reports/annual/2025/proceedings", json={"kind": "litigation_after", "result": "pending"})
    case_id = case.get_json()["id"]
    resp = publisher.client.patch(f"/api/reports/annual/proceedings/{case_id}", json={"result": "corrected"},
                                  headers=publisher.headers)
    assert resp.status_code == 200 and resp.get_json()["result"] == "corrected"
    bad = publisher.client.patch(f"/api/reports/annual/proceedings/{case_id}", json={"result": "won"}, headers=publisher.headers)
    assert bad.status_code == 422 and "result" in bad.get_json()["error"]["fields"]
    table = Docx(io.BytesIO(publisher.get("/api/reports/annual/2025?format=docx").data)).tables[2]
    assert len(table.rows) == 4 and len(table.columns) == 15
    figures = [c.text for c in table.rows[3].cells]
    assert figures == ["0"] * 10 + ["0", "1", "0", "0", "1"]  # 复议后起诉: 结果纠正 1, 总计 1


def backdated_request(year) -> dict:
    return {"applicant": {"name": "张三", "type": "natural_person", "id_number": "110101199003074573",
                          "contact": "13912341234"},
            "description": "补登", "form": "electronic", "delivery": "email", "channel": "in_person",
            "received_on": f"{year}-12-30"}


def test_publishing_freezes_the_report_and_refuses_backdated_requests(staff, client, api_as):
    last, this = clock.today().year - 1, clock.today().year
    with time_machine.travel(morning(D(last, 3, 3)), tick=False):
        reply(staff, register(staff("publisher1"))["id"], "already_public")
    publisher = staff("publisher1")
    assert api_as("drafter1").post(f"/api/reports/annual/{last}/publish").status_code == 403
    assert publisher.post(f"/api/reports/annual/{this}/publish").status_code == 422  # the year has not ended
    first = publisher.post(f"/api/reports/annual/{last}/publish")
    assert first.status_code == 201 and first.get_json()["version"] == 1
    public = client.get(f"/api/public/reports/{last}").get_json()
    assert public["published"]["version"] == 1 and "identity" not in public["section3"]
    assert "entered_figures" not in public
    page = client.get(f"/public/reports/{last}").get_data(as_text=True)
    assert f"{last}年度政府信息公开工作年度报告" in page and "第1版" in page
    assert f"/public/reports/{last}" in client.get("/public/reports").get_data(as_text=True)
    body = "\n".join(p.text for p in Docx(io.BytesIO(client.get(f"/api/public/reports/{last}?format=docx").data)).paragraphs)
    assert "二、主动公开政府信息情况" in body and "校验" not in body
    backdated = publisher.post("/api/requests", json=backdated_request(last))
    assert backdated.status_code == 422 and "received_on" in backdated.get_json()["error"]["fields"]
    # An admin may register it with a reason: the published report is reopened and awaits a new version.
    late = {**backdated_request(last), "backdate_reason": f"邮寄件漏登，{last}年12月30日已签收"}
    assert staff("admin").post("/api/requests", json=late).status_code == 201
    assert staff("publisher1").get(f"/api/reports/annual/{last}").get_json()["versions"][0]["reopened_reason"] == \
        f"邮寄件漏登，{last}年12月30日已签收"
    # A change to the year after publication: the public keeps the frozen figures until a new version.
    publisher.post(f"/api/reports/annual/{last}/proceedings", json={"kind": "reconsideration", "result": "upheld"})
    frozen = client.get(f"/api/public/reports/{last}").get_json()["section4"]["kinds"][0]["values"]["total"]
    assert frozen == 0
    assert publisher.post(f"/api/reports/annual/{last}/publish").get_json()["version"] == 2
    assert client.get(f"/api/public/reports/{last}").get_json()["section4"]["kinds"][0]["values"]["total"] == 1
    assert client.get(f"/api/public/reports/{last - 6}").status_code == 404
