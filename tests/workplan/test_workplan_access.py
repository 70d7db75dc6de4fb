"""Department separation on every work-plan endpoint: the office sees all, a department its own
tasks and those it assists, anyone else nothing — not even that a plan exists."""

import io

from openpyxl import load_workbook

from engine.db import transaction
from engine.models import Document
from tests.support.sample_files import plain_pdf
from tests.support.workplan import create_plan, published_document

BUDGET_PDF = plain_pdf()


def _tasks(api, plan_id):
    return {t["lead_units"][0]: t for t in api.get(f"/api/workplans/{plan_id}").get_json()["tasks"]}


def test_each_department_sees_what_it_leads_or_assists_and_nothing_else(staff):
    office, cz, mz, jy, outsider = (staff(u) for u in ("office1", "liaison_cz", "liaison_mz", "liaison_jy", "drafter1"))
    plan_id = create_plan(office)
    every = _tasks(office, plan_id)
    assert set(every) == {"财政局", "民政局", "教育局"}
    finance = every["财政局"]["id"]

    assert set(_tasks(mz, plan_id)) == {"财政局", "民政局"}  # leads 低保, assists the budget task
    assert set(_tasks(jy, plan_id)) == {"教育局"}
    assert outsider.get("/api/workplans").get_json()["items"] == []
    assert [p["tasks"] for p in jy.get("/api/workplans").get_json()["items"]] == [1]
    for url in (f"/api/workplans/{plan_id}", f"/api/workplans/{plan_id}/dashboard",
                f"/api/workplans/{plan_id}/export.xlsx", f"/api/workplans/tasks/{finance}"):
        assert outsider.get(url).status_code == 404, url
    assert jy.get(f"/api/workplans/tasks/{finance}").status_code == 404
    assert mz.get(f"/api/workplans/tasks/{finance}").status_code == 200

    board = jy.get(f"/api/workplans/{plan_id}/dashboard").get_json()
    assert [d["department"] for d in board["departments"]] == ["教育局"]
    sheet = load_workbook(io.BytesIO(jy.get(f"/api/workplans/{plan_id}/export.xlsx").data)).active
    assert [r[1] for r in sheet.iter_rows(min_row=3, values_only=True) if isinstance(r[0], int)] == [
        "重要政策文件与解读材料同步公开。"]

    assert office.get(f"/api/workplans/{plan_id}/summary").status_code == 200
    assert cz.get(f"/api/workplans/{plan_id}/summary").status_code == 403
    assert cz.post("/api/workplans/import", json={"text": "一、x"}).status_code == 403
    assert cz.post("/api/workplans", json={"year": 2026, "title": "x", "rows": []}).status_code == 403


def test_only_a_lead_departments_liaison_reports_and_only_the_office_reviews(staff):
    office, cz = staff("office1"), staff("liaison_cz")
    plan_id = create_plan(office)
    finance = _tasks(office, plan_id)["财政局"]["id"]
    report = {"text": "已完成预算公开"}
    assert staff("liaison_mz").post(f"/api/workplans/tasks/{finance}/reports", json=report).status_code == 403
    assert staff("liaison_jy").post(f"/api/workplans/tasks/{finance}/reports", json=report).status_code == 404
    assert staff("leader_cz").post(f"/api/workplans/tasks/{finance}/reports", json=report).status_code == 403
    assert cz.post(f"/api/workplans/tasks/{finance}/reports", json={"text": ""}).status_code == 422
    listed = cz.post(f"/api/workplans/tasks/{finance}/reports", json={"text": "进展", "evidence_urls": ["x"]})
    assert listed.status_code == 422 and "evidence_urls" in listed.get_json()["error"]["fields"]
    assert cz.post(f"/api/workplans/tasks/{finance}/reports", json=report).status_code == 200
    review = {"decision": "accept"}
    assert office.post(f"/api/workplans/tasks/{finance}/review", json={**review, "department_id": "x"}).status_code == 422
    assert cz.post(f"/api/workplans/tasks/{finance}/review", json=review).status_code == 403
    assert staff("liaison_jy").post(f"/api/workplans/tasks/{finance}/review", json=review).status_code == 403
    assert office.post(f"/api/workplans/tasks/{finance}/review", json=review).status_code == 200


def test_evidence_cites_only_published_catalogue_items_and_links_them_to_the_task(staff):
    office, cz = staff("office1"), staff("liaison_cz")
    plan_id = create_plan(office)
    finance = _tasks(office, plan_id)["财政局"]["id"]
    published = published_document()
    with transaction() as s:
        draft = Document(title="内部草稿", category="general", status="submitted")
        s.add(draft)
        s.flush()
        draft_id = draft.id
    for data, field in (({"document_ids": str(draft_id)}, "document_ids"), ({"document_ids": "12a"}, "document_ids"),
                        ({"evidence_urls": "javascript:alert(1)"}, "evidence_urls")):
        resp = cz.post(f"/api/workplans/tasks/{finance}/reports", json={"text": "进展", **data})
        assert resp.status_code == 422 and field in resp.get_json()["error"]["fields"], resp.get_json()

    link = f"/api/workplans/tasks/{finance}/documents"
    assert staff("liaison_jy").post(link, json={"document_id": published}).status_code == 404
    assert cz.post(link, json={"document_id": draft_id}).status_code == 422
    assert cz.post(link, json={"document_id": "x"}).status_code == 422
    linked = staff("liaison_mz").post(link, json={"document_id": published})  # an assisting unit may link too
    assert linked.status_code == 200 and [d["id"] for d in linked.get_json()["documents"]] == [published]


def test_uploaded_evidence_files_are_kept_and_shown_only_to_those_who_see_the_task(staff):
    office, cz = staff("office1"), staff("liaison_cz")
    plan_id = create_plan(office)
    finance = _tasks(office, plan_id)["财政局"]["id"]
    url = f"/api/workplans/tasks/{finance}/reports"
    refused = cz.post(url, data={"text": "进展", "evidence_files": (io.BytesIO(b"MZ\x90"), "tool.exe")},
                      content_type="multipart/form-data")
    assert refused.status_code == 422 and "evidence_files" in refused.get_json()["error"]["fields"]
    sent = cz.post(url, data={"text": "预算公开截图见附件", "evidence_files": [
        (io.BytesIO(BUDGET_PDF), "预算公开截图.pdf")]}, content_type="multipart/form-data")
    assert sent.status_code == 200, sent.get_json()
    report = cz.get(f"/api/workplans/tasks/{finance}").get_json()["reports"][0]
    attached = next(e for e in report["evidence"] if e["kind"] == "file")
    assert attached["name"] == "预算公开截图.pdf"
    link = f"/api/workplans/reports/{report['id']}/files/{attached['sha256']}"
    for who, status in (("liaison_cz", 200), ("liaison_mz", 200), ("office1", 200), ("liaison_jy", 404),
                        ("drafter1", 404)):
        resp = staff(who).get(link)
        assert resp.status_code == status, who
        if status == 200:
            assert resp.data == BUDGET_PDF
    assert cz.get(f"/api/workplans/reports/{report['id']}/files/{'0' * 64}").status_code == 404
